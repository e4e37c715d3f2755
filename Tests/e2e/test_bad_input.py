"""Hostile and broken input against the three real services, all on one cluster:
REST junk, WebSocket junk, UDP junk at mediad's port next to a live call. Every bad
input must get a clear error (4xx JSON, `error` message, or a dropped packet that is
counted), nothing crashes or hangs, and the live call is not disturbed. The last
test checks health, metrics, logs and a fresh call on the same cluster."""
import asyncio
import json
import os
import random
import socket
import struct
import time  # noqa: F401
import urllib.parse

import pytest
import websockets

from aiortc_peer import Peer
from bad_input_support import (UdpSniffer, assert_error, check_two_way, metric_sum, metrics_text, raw_http, send_spoofed_udp,
                               session_media_info)
from parley_harness import Cluster, http_json, wait_until
from stun import binding_request, is_success_response

ERROR_CODES = {400, 401, 403, 404, 405, 409, 413, 429}


@pytest.fixture(scope="module")
def cluster(request):
    cluster = Cluster().start()
    failed_before = request.session.testsfailed
    yield cluster
    cluster.stop()
    if request.session.testsfailed > failed_before:
        cluster.dump_logs()
    cluster.cleanup()


@pytest.fixture(scope="module")
def room(cluster):
    return cluster.create_room("hostile", pin="4321", maxParticipants=10)


# ---------------------------------------------------------------- REST


def test_malformed_and_wrongly_typed_json(cluster):
    cases = [
        (b"not json", "invalid_json"),
        (b"", None),
        (b"{", "invalid_json"),
        (b"[]", None),
        (b"null", None),
        (b"\"name\"", None),
        (b'{"name": 5}', None),
        (b'{"name": null}', None),
        (b'{"name": ["a"]}', None),
        (b'{"nom": "x"}', None),
        (b'{"name": "x", "maxParticipants": "ten"}', None),
        (b'{"name": "x", "maxParticipants": 1.5}', None),
        (b'{"name": "x", "maxParticipants": 99999999999999999999999}', None),
        (b'{"name": "x", "pin": 1234}', None),
        (b'\xff\xfe{"name": "x"}', None),
        (b'{"name": "x\x00"', None),
    ]
    for body, code in cases:
        status, reply = raw_http(cluster.roomd_port, "POST", "/v1/rooms", body, admin=cluster.admin_key)
        assert status == 400, (body, status, reply)
        assert_error(reply, code, body)
    # Nonsensical values of the right type.
    for fields in ({"name": ""}, {"name": "x", "maxParticipants": 0}, {"name": "x", "maxParticipants": -5},
                   {"name": "x" * 100_000}):
        status, reply = cluster.api("POST", "/v1/rooms", fields, admin=True)
        assert status in (400, 413), (str(fields)[:60], status, reply)
        assert_error(reply, None, fields)
    # Join with broken bodies.
    room = cluster.create_room("json-join")
    for body in (b"nope", b"{}", b'{"displayName": 7}', b'{"displayName": "a", "pin": false}', b"[1,2]"):
        status, reply = raw_http(cluster.roomd_port, "POST", f"/v1/rooms/{room['id']}/join", body)
        assert status == 400, (body, status, reply)
        assert_error(reply, None, body)
    # Mute with a non-bool.
    status, reply = raw_http(cluster.roomd_port, "POST", f"/v1/rooms/{room['id']}/participants/nobody/mute",
                             b'{"muted": "yes"}', admin=cluster.admin_key)
    assert status in (400, 404), (status, reply)
    assert_error(reply, None, "mute")


def test_deeply_nested_json(cluster):
    for depth in (1_000, 20_000):
        for body in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
            status, reply = raw_http(cluster.roomd_port, "POST", "/v1/rooms", body, admin=cluster.admin_key)
            assert status in (400, 413), (depth, status, reply)
            assert_error(reply, None, depth)
    assert cluster.roomd.alive()


def test_huge_bodies_are_refused_without_buffering(cluster):
    ten_mb = 10 * 1024 * 1024
    # Declared length over the limit: 413 before we have sent the body.
    sock = socket.create_connection(("127.0.0.1", cluster.roomd_port), timeout=10)
    sock.sendall((f"POST /v1/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {cluster.admin_key}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {ten_mb}\r\n\r\n").encode())
    sock.sendall(b"[" * 4096)
    reply = sock.recv(65536).decode(errors="replace")
    sock.close()
    assert reply.startswith("HTTP/1.1 413"), reply[:200]
    assert '"payload_too_large"' in reply or '"code"' in reply, reply

    # Chunked, no length: refused as soon as it passes 64 KB; we stream 10 MB and the
    # server must answer or close long before the end.
    for path, admin in (("/v1/rooms", True), ("/v1/rooms/whatever/join", False)):
        sock = socket.create_connection(("127.0.0.1", cluster.roomd_port), timeout=10)
        auth = f"Authorization: Bearer {cluster.admin_key}\r\n" if admin else ""
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n").encode())
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * 64 * 1024)
        sent = 0
        answer = b""
        sock.settimeout(0.05)
        try:
            while sent < ten_mb:
                sock.sendall(chunk)
                sent += 64 * 1024
                try:
                    answer += sock.recv(65536)
                    if answer:
                        break
                except socket.timeout:
                    pass
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(5)
        try:
            answer += sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            pass
        sock.close()
        assert sent < ten_mb, f"{path}: server swallowed all 10 MB of a chunked body"
        text = answer.decode(errors="replace")
        assert text.startswith("HTTP/1.1 413") or text == "" or text.startswith("HTTP/1.1 404"), (path, text[:200])

    # Through a normal client too: 10 MB with Content-Length gets a 413 JSON error.
    status, reply = raw_http(cluster.roomd_port, "POST", "/v1/rooms", b" " * ten_mb, admin=cluster.admin_key)
    assert status == 413, status
    assert_error(reply, "payload_too_large", "10MB")
    assert cluster.roomd.alive()


def test_unknown_routes_and_methods(cluster, room):
    for method, path in (("GET", "/nope"), ("GET", "/v1"), ("GET", "/v1/rooms/x/y/z"), ("POST", "/v2/rooms"),
                         ("GET", "/v1/rooms/" + room["id"] + "/nothing")):
        status, reply = raw_http(cluster.roomd_port, method, path, None, admin=cluster.admin_key)
        assert status == 404, (method, path, status, reply)
        assert_error(reply, None, path)
    for method, path in (("PATCH", "/v1/rooms"), ("PUT", f"/v1/rooms/{room['id']}"), ("DELETE", "/v1/rooms"),
                         ("GET", f"/v1/rooms/{room['id']}/join"), ("BREW", "/v1/rooms")):
        status, reply = raw_http(cluster.roomd_port, method, path, b"{}", admin=cluster.admin_key)
        if method == "BREW":  # not an HTTP method at all: the HTTP parser's plain 400
            assert status == 400, (method, status, reply)
            continue
        assert status in (404, 405), (method, path, status, reply)
        assert_error(reply, None, (method, path))


def test_admin_key_is_required_and_checked(cluster, room):
    routes = [("GET", "/v1/rooms"), ("POST", "/v1/rooms"), ("GET", f"/v1/rooms/{room['id']}"),
              ("DELETE", f"/v1/rooms/{room['id']}"), ("GET", f"/v1/rooms/{room['id']}/participants"),
              ("GET", "/v1/media-servers"), ("DELETE", f"/v1/rooms/{room['id']}/participants/p1")]
    headers = [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer "}, {"Authorization": "Bearer wrong"},
               {"Authorization": f"Bearer {cluster.admin_key}x"}, {"Authorization": f"Bearer {cluster.admin_key[:-1]}"},
               {"Authorization": f"Basic {cluster.admin_key}"}, {"Authorization": cluster.admin_key},
               {"Authorization": "Bearer " + "k" * 8000}]
    for method, path in routes:
        for header in headers:
            status, reply = http_json(method, cluster.roomd_url + path, {"name": "x"}, header)
            assert status == 401, (method, path, header.get("Authorization", "")[:30], status, reply)
            assert_error(reply, "unauthorized", path)
    # The room was not deleted by any of that.
    status, _ = cluster.api("GET", f"/v1/rooms/{room['id']}", admin=True)
    assert status == 200


def test_wrong_pin(cluster, room):
    for pin in (None, "", "0000", "43210", "4321 ", "x" * 10_000, 4321):
        body = {"displayName": "guess"} if pin is None else {"displayName": "guess", "pin": pin}
        status, reply = cluster.api("POST", f"/v1/rooms/{room['id']}/join", body)
        # A wrongly typed, empty or oversized PIN is bad input (400); any other wrong one 403.
        expected = (400,) if isinstance(pin, int) or pin == "" or len(pin or "") > 64 else (403, 429)
        assert status in expected, (pin if not isinstance(pin, str) else pin[:10], status, reply)
        if status == 403:
            assert_error(reply, "wrong_pin", pin)


def test_absurd_path_ids(cluster):
    ids = ["does-not-exist", "x" * 10_000, "ünïcødé-😀", "..", "../../etc/passwd", "%00", "a b", "' OR 1=1 --",
           "%2e%2e%2f%2e%2e%2f", "\\x00", "-1", "0"]
    for raw_id in ids:
        encoded = urllib.parse.quote(raw_id, safe="")
        for method, suffix, admin, body in (("GET", "", True, None), ("DELETE", "", True, None),
                                            ("POST", "/join", False, b'{"displayName": "x"}'),
                                            ("GET", "/participants", True, None),
                                            ("POST", "/participants/" + encoded + "/mute", True, b'{"muted": true}'),
                                            ("DELETE", "/participants/" + encoded, True, None)):
            path = f"/v1/rooms/{encoded}{suffix}"
            status, reply = raw_http(cluster.roomd_port, method, path, body, admin=cluster.admin_key if admin else None)
            assert status in (400, 404, 414, 431), (raw_id[:20], method, suffix[:20], status, reply)
            if status in (400, 404):
                assert_error(reply, None, (raw_id[:20], method))
    assert cluster.roomd.alive()


def test_expired_and_garbage_tokens(cluster_factory):
    short = cluster_factory(extra_env={"ROOMD_TOKEN_TTL": "1"}).start()
    room = short.create_room("ttl")

    async def scenario():
        join = short.join(room["id"], "late")
        await asyncio.sleep(2.5)
        async with websockets.connect(short.signal_url) as ws:
            await ws.send(json.dumps({"type": "join", "token": join["token"]}))
            reply = json.loads(await ws.recv())
            assert reply["type"] == "error" and reply["code"] in ("token_expired", "invalid_token"), reply
            await expect_closed(ws)
        for token in ("", join["token"][:-1] + ("A" if join["token"][-1] != "A" else "B"),
                      "x" * 60_000, join["token"] + "x", 12345, None, ["a"], {"t": 1}):
            async with websockets.connect(short.signal_url, max_size=2**20) as ws:
                await ws.send(json.dumps({"type": "join", "token": token}))
                reply = json.loads(await ws.recv())
                assert reply["type"] == "error", (str(token)[:20], reply)
                assert reply["code"] in ("invalid_token", "token_expired", "invalid_message", "invalid_json"), reply
    asyncio.run(scenario())
    assert all(s.alive() for s in short.services)


def test_token_unusable_after_room_deleted(cluster):
    doomed = cluster.create_room("doomed")
    join = cluster.join(doomed["id"], "ghost")
    status, _ = cluster.api("DELETE", f"/v1/rooms/{doomed['id']}", admin=True)
    assert status == 204

    async def scenario():
        async with websockets.connect(cluster.signal_url) as ws:
            await ws.send(json.dumps({"type": "join", "token": join["token"]}))
            reply = json.loads(await ws.recv())
            assert reply["type"] == "error" and reply["code"] in ("invalid_token", "room_not_found", "room_closed"), reply
    asyncio.run(scenario())


# ---------------------------------------------------------------- WebSocket


async def expect_closed(ws, timeout=5):
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except websockets.ConnectionClosed:
        return
    except asyncio.TimeoutError:
        raise AssertionError("socket not closed")


async def next_error(ws, timeout=5):
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == "error":
            return message


def test_websocket_junk(cluster, room):
    async def scenario():
        async with websockets.connect(cluster.signal_url, max_size=2**22) as ws:
            # Before join: every kind of junk gets an error, the session stays.
            for frame in ("not json", "", "[]", "null", "42", '{"type": 5}', '{"no": "type"}', '{"type": "offer"}',
                          json.dumps({"type": "candidate", "candidate": "x"}), "{" * 10_000,
                          "[" * 30_000 + "]" * 30_000):
                await ws.send(frame)
                error = await next_error(ws)
                assert error["code"] in ("not_joined", "invalid_json", "invalid_message", "unknown_type"), (frame[:30], error)
            await ws.send(b"\x00\x01binary")
            assert (await next_error(ws))["code"] == "binary_not_supported"
            await ws.send(json.dumps({"type": "join"}))
            assert (await next_error(ws))["code"] in ("invalid_message", "invalid_token")
            await ws.send(json.dumps({"type": "ping"}))
            assert (await next_error(ws))["code"] == "not_joined"

        # Joined: bad messages get codes and the session keeps going.
        join = cluster.join(room["id"], "junk", pin="4321")
        async with websockets.connect(cluster.signal_url, max_size=2**22) as ws:
            await ws.send(json.dumps({"type": "join", "token": join["token"]}))
            assert json.loads(await ws.recv())["type"] == "joined"
            await ws.send(json.dumps({"type": "candidate", "candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host",
                                      "sdpMid": "0", "sdpMLineIndex": 0}))
            assert (await next_error(ws))["code"] == "no_media_session"
            await ws.send(json.dumps({"type": "offer", "sdp": "v=0\r\ngarbage\r\n" * 50}))
            assert (await next_error(ws))["code"] == "invalid_sdp"
            video_only = ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                          "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\n"
                          "a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaaaa\r\na=fingerprint:sha-256 " + ":".join(["AB"] * 32) +
                          "\r\na=setup:actpass\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n")
            await ws.send(json.dumps({"type": "offer", "sdp": video_only}))
            assert (await next_error(ws))["code"] == "no_usable_audio"
            for message in ({"type": "offer"}, {"type": "offer", "sdp": 5}, {"type": "mute", "muted": "yes"},
                            {"type": "mute"}, {"type": "candidate", "candidate": 7}, {"type": "dance"},
                            {"type": "join", "token": join["token"]}):
                await ws.send(json.dumps(message))
                error = await next_error(ws)
                assert error["code"], (message, error)
            await ws.send(json.dumps({"type": "ping"}))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert reply["type"] in ("pong", "error"), reply

            # A 1 MB frame: close 1009, or an error and the session survives.
            await ws.send("x" * (1 << 20))
            try:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert reply["type"] == "error", reply
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 1009, closed
    asyncio.run(scenario())


def test_message_flood_is_rate_limited(cluster, room):
    async def scenario():
        join = cluster.join(room["id"], "flood", pin="4321")
        async with websockets.connect(cluster.signal_url) as ws:
            await ws.send(json.dumps({"type": "join", "token": join["token"]}))
            assert json.loads(await ws.recv())["type"] == "joined"
            for _ in range(500):
                await ws.send('{"type": "ping"}')
            codes = []
            closed = False
            try:
                while True:
                    message = json.loads(await asyncio.wait_for(ws.recv(), 2))
                    codes.append(message.get("code", message["type"]))
            except asyncio.TimeoutError:
                pass
            except websockets.ConnectionClosed:
                closed = True
            assert "rate_limited" in codes, codes[:20]
            print(f"flood of 500 pings: {codes.count('pong')} pong, {codes.count('rate_limited')} rate_limited, "
                  f"closed={closed}")
            if not closed:
                await asyncio.sleep(1.5)
                await ws.send('{"type": "ping"}')
                assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "pong"
    asyncio.run(scenario())


# ---------------------------------------------------------------- UDP next to a live call


def test_udp_junk_next_to_a_live_call(cluster, room):
    async def scenario():
        sniffer = None
        alice = Peer(cluster, room["id"], "alice", 440, pin="4321")
        bob = Peer(cluster, room["id"], "bob", 660, pin="4321")
        try:
            await alice.join()
            await bob.join()
            await asyncio.sleep(3)
            info = session_media_info(alice)
            target = (info["host"], info["port"])
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.bind(("127.0.0.1", 0))
            probe.settimeout(0.3)
            sniffer = UdpSniffer(info["port"], exclude_ports={probe.getsockname()[1]})
            sniffer.start()
            before = metrics_text(cluster.mediad_http_ports[0])
            rng = random.Random(1)

            def answered():
                try:
                    return probe.recv(2048)
                except socket.timeout:
                    return None

            # Unknown source: random bytes, truncated STUN, DTLS junk, RTP with no session.
            good, _ = binding_request(f"{info['server_ufrag']}:{info['client_ufrag']}", info["server_pwd"])
            for i in range(2000):
                kind = i % 5
                if kind == 0:
                    data = rng.randbytes(rng.randrange(0, 1500))
                elif kind == 1:
                    data = good[:rng.randrange(0, len(good))]
                elif kind == 2:
                    data = bytes([rng.randrange(20, 64)]) + b"\xfe\xfd" + rng.randbytes(rng.randrange(0, 300))
                elif kind == 3:
                    data = bytes([0x80, 111]) + rng.randbytes(rng.randrange(10, 300))
                else:
                    data = bytes([0x80, 200]) + rng.randbytes(rng.randrange(6, 100))
                probe.sendto(data, target)
                if i % 200 == 0:
                    await asyncio.sleep(0.01)
            # STUN: unknown ufrag, bad integrity, wrong password: no answers.
            for request in (binding_request(f"nobody:{info['client_ufrag']}", info["server_pwd"])[0],
                            binding_request(f"{info['server_ufrag']}:{info['client_ufrag']}", info["server_pwd"],
                                            corrupt_integrity=True)[0],
                            binding_request(f"{info['server_ufrag']}:{info['client_ufrag']}", "y" * 24)[0]):
                probe.sendto(request, target)
                assert answered() is None, "mediad answered a STUN request it must refuse"

            # Now make the probe a valid (peer-reflexive) address of alice's session, then send
            # SRTP with bad auth tags and DTLS junk from it: dropped, the call goes on.
            probe.sendto(good, target)
            reply = answered()
            assert reply is not None and reply[:2] == b"\x01\x01", "a valid check must be answered"
            ssrc = rng.getrandbits(32)
            for seq in range(300):
                header = struct.pack(">BBHII", 0x90 if seq % 2 else 0x80, 111, seq, seq * 960, ssrc)
                probe.sendto(header + rng.randbytes(rng.randrange(0, 200)), target)
            for _ in range(50):
                probe.sendto(bytes([0x80, 200]) + rng.randbytes(40), target)   # SRTCP junk
                probe.sendto(bytes([23, 0xfe, 0xfd]) + rng.randbytes(60), target)  # DTLS app data junk
                probe.sendto(bytes([21, 0xfe, 0xfd]) + b"\x00" * 8 + b"\x00\x02\x02\x28", target)  # fake alert
            probe.close()

            # Replay the peers' real SRTP, each from its own address (spoofed on loopback).
            await asyncio.sleep(1.0)
            captured = sniffer.captured(lambda p: 128 <= p[2][0] <= 191 and not 192 <= p[2][1] <= 223)
            assert captured, "no SRTP captured from the live call"
            replayed = 0
            for src, dst, payload in captured[:200]:
                if dst[1] == info["port"] and src[1] != 0:
                    send_spoofed_udp(src, dst, payload)
                    replayed += 1
            assert replayed > 20, (replayed, len(sniffer.packets))
            print(f"replayed {replayed} captured SRTP packets")

            # The live call is not disturbed.
            await asyncio.sleep(1.0)
            await check_two_way(alice, bob, "after UDP junk", seconds=2.5)
            assert not any(m.get("type") == "error" for m in alice.events + bob.events), alice.events + bob.events

            after = metrics_text(cluster.mediad_http_ports[0])
            dropped = {reason: metric_sum(after, "mediad_packets_dropped_total", reason=reason) -
                       metric_sum(before, "mediad_packets_dropped_total", reason=reason)
                       for reason in ("unknown_session", "srtp_auth", "stun_integrity", "malformed",
                                      "unvalidated_source", "stun_username")}
            print("mediad drops during the junk:", dropped)
            assert dropped["unknown_session"] >= 1500, dropped
            assert dropped["srtp_auth"] >= 300 + replayed * 0.9, ("bad tags and replays must be counted", dropped)
        finally:
            if sniffer:
                sniffer.stop()
            await alice.close()
            await bob.close()
    asyncio.run(scenario())


# ---------------------------------------------------------------- afterwards


def test_afterwards_healthy_counted_and_a_fresh_call_works(cluster):
    for port in (cluster.roomd_port, cluster.signald_port, *cluster.mediad_http_ports):
        status, body = http_json("GET", f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and body["status"] == "ok", (port, status, body)
    assert all(s.alive() for s in cluster.services)

    roomd = metrics_text(cluster.roomd_port)
    refused = {code: metric_sum(roomd, "roomd_http_requests_total", status=str(code)) for code in sorted(ERROR_CODES)}
    print("roomd refused by status:", refused)
    for code in (400, 401, 403, 404, 413):
        assert refused[code] > 0, (code, refused)
    signald = metrics_text(cluster.signald_port)
    errors = {code: metric_sum(signald, "signald_errors_total", code=code)
              for code in ("not_joined", "invalid_json", "binary_not_supported", "rate_limited", "invalid_sdp",
                           "no_usable_audio", "no_media_session", "invalid_token")}
    print("signald errors:", errors)
    for code, count in errors.items():
        assert count > 0, (code, errors)
    mediad = metrics_text(cluster.mediad_http_ports[0])
    assert metric_sum(mediad, "mediad_packets_dropped_total") > 2000

    # Secrets never logged: PIN, tokens, admin key.
    cluster_logs = ""
    for service in cluster.services:
        with open(service.log_path, "rb") as f:
            cluster_logs += f.read().decode(errors="replace")
    assert cluster.admin_key not in cluster_logs
    assert "4321" not in cluster_logs, "the room PIN appears in a log"

    room = cluster.create_room("after")

    async def scenario():
        ada = Peer(cluster, room["id"], "ada", 440)
        bo = Peer(cluster, room["id"], "bo", 550)
        try:
            await ada.join()
            await bo.join()
            await asyncio.sleep(3)
            await check_two_way(ada, bo, "fresh call")
        finally:
            await ada.close()
            await bo.close()
    asyncio.run(scenario())


def test_no_token_in_any_log_and_sockets_are_private(cluster):
    room = cluster.create_room("secrets", pin="98765")
    join = cluster.join(room["id"], "s", pin="98765")

    async def scenario():
        async with websockets.connect(cluster.signal_url) as ws:
            await ws.send(json.dumps({"type": "join", "token": join["token"]}))
            assert json.loads(await ws.recv())["type"] == "joined"
            await ws.send(json.dumps({"type": "leave"}))
    asyncio.run(scenario())
    time.sleep(0.5)
    for service in cluster.services:
        with open(service.log_path, "rb") as f:
            text = f.read().decode(errors="replace")
        assert join["token"] not in text, f"token in {service.name} log"
        assert join["token"][:16] not in text, f"token prefix in {service.name} log"
        assert "98765" not in text, f"PIN in {service.name} log"
    mode = os.stat(cluster.socket_dir).st_mode & 0o777
    assert mode == 0o700, oct(mode)
    for name in os.listdir(cluster.socket_dir):
        path = os.path.join(cluster.socket_dir, name)
        mode = os.stat(path).st_mode & 0o777
        assert mode & 0o077 == 0, (name, oct(mode))


def test_pin_guessing_is_rate_limited(cluster):
    room = cluster.create_room("brute", pin="271828")
    statuses = []
    for guess in range(60):
        status, reply = cluster.api("POST", f"/v1/rooms/{room['id']}/join", {"displayName": "b", "pin": f"{guess:06d}"})
        statuses.append(status)
        if status == 429:
            assert_error(reply, "rate_limited", guess)
            break
    assert 429 in statuses, f"60 wrong PINs in a row, no 429: {sorted(set(statuses))}"
