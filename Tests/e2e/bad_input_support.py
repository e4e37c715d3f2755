"""Helpers for the hostile-input tests: raw HTTP, metrics reading, and a loopback
sniffer + spoofing sender (root only) to capture and replay a live call's SRTP."""
import json
import re
import socket
import struct
import threading
import urllib.request

from stun import sdp_value


def raw_http(port, method, path, body, admin=None, headers=None, timeout=15):
    """Sends exactly these bytes (no JSON encoding); returns (status, parsed JSON or raw)."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if admin:
        all_headers["Authorization"] = f"Bearer {admin}"
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        text = response.read()
    except (BrokenPipeError, ConnectionResetError) as error:
        return 0, {"raw": str(error)}
    finally:
        connection.close()
    try:
        return response.status, json.loads(text) if text else None
    except ValueError:
        return response.status, {"raw": text.decode(errors="replace")[:200]}


def assert_error(reply, code, context):
    """The API.md error shape: {"error": {"code": snake_case, "message": str}}."""
    assert isinstance(reply, dict) and isinstance(reply.get("error"), dict), (context, reply)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", reply["error"].get("code", "")), (context, reply)
    assert isinstance(reply["error"].get("message"), str), (context, reply)
    if code is not None:
        assert reply["error"]["code"] == code, (context, reply)


def metrics_text(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


def metric_sum(text, name, **labels):
    """Sum of every sample of `name` whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        match = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)", line.strip())
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(match.group(4))
    return total


def session_media_info(peer):
    """Server/client ICE credentials and mediad's media address for an aiortc Peer."""
    answer = peer.pc.remoteDescription.sdp
    host = port = None
    for line in answer.splitlines():
        if line.startswith("a=candidate:"):
            parts = line.split()
            host, port = parts[4], int(parts[5])
            break
    return {"host": host, "port": port, "server_ufrag": sdp_value(answer, "ice-ufrag"),
            "server_pwd": sdp_value(answer, "ice-pwd"),
            "client_ufrag": sdp_value(peer.pc.localDescription.sdp, "ice-ufrag")}


class UdpSniffer:
    """Captures IPv4/UDP datagrams to `port` on the loopback interface (AF_PACKET, root)."""

    def __init__(self, port, limit=2000, exclude_ports=()):
        self.port = port
        self.exclude_ports = set(exclude_ports)
        self.limit = limit
        self.packets = []
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        self.sock.bind(("lo", 0))
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                frame, address = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            if address[2] == socket.PACKET_OUTGOING:
                continue  # loopback shows every packet twice
            ip = frame[14:]
            if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            ihl = (ip[0] & 0x0F) * 4
            src_port, dst_port, length = struct.unpack(">HHH", ip[ihl:ihl + 6])
            if dst_port != self.port or src_port in self.exclude_ports or len(self.packets) >= self.limit:
                continue
            src = (socket.inet_ntoa(ip[12:16]), src_port)
            dst = (socket.inet_ntoa(ip[16:20]), dst_port)
            self.packets.append((src, dst, bytes(ip[ihl + 8:ihl + length])))

    def captured(self, predicate=lambda packet: True):
        return [p for p in list(self.packets) if predicate(p)]

    def stop(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


def send_spoofed_udp(src, dst, payload):
    """Sends `payload` from `src` (any loopback address/port) to `dst`; needs root."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        udp = struct.pack(">HHHH", src[1], dst[1], 8 + len(payload), 0) + payload  # checksum 0: none
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                         socket.inet_aton(src[0]), socket.inet_aton(dst[0]))
        sock.sendto(ip + udp, (dst[0], 0))
    finally:
        sock.close()


async def check_two_way(a, b, label, seconds=2.0):
    """Each of two aiortc Peers hears the other's tone over the next `seconds`, its own
    at least 20 dB lower. Returns {name: (heard dB, own dB)}."""
    import asyncio
    import time

    from aiortc_peer import tone_levels
    started = time.monotonic()
    await asyncio.sleep(seconds)
    result = {}
    for peer, other in ((a, b), (b, a)):
        levels = tone_levels(peer.recorder.samples_since(started), [other.frequency, peer.frequency])
        heard, own = levels[other.frequency], levels[peer.frequency]
        print(f"{label} {peer.name}: hears {heard:.1f} dB, own {own:.1f} dB")
        assert heard > -40 and heard > own + 20, (label, peer.name, levels)
        result[peer.name] = (heard, own)
    return result
