"""Starts Parley's real services as processes in a temp directory and cleans up.

Used by every end-to-end test: each `Cluster` has its own socket dir, database and
ports, and `stop()` kills every process it started (also on test failure), then
prints the tail of each log when asked.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

BIN = os.environ.get("PARLEY_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug"))


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    def __init__(self, name, args, env, log_path):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        if self.alive():
            os.killpg(self.proc.pid, sig)

    def stop(self, timeout=5.0):
        """SIGTERM, then SIGKILL after `timeout`; returns seconds it took to exit."""
        started = time.monotonic()
        self.signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait()
        self.log.close()
        return time.monotonic() - started

    def tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""


class Cluster:
    """roomd + signald + N mediad, on fresh ports, in a private temp dir."""

    def __init__(self, admin_key="test-admin-key", mediads=1, extra_env=None, mediad_ranges=False):
        """`mediad_ranges`: every mediad gets the same environment, as replicas of a
        deployment do: `MEDIAD_UDP`/`MEDIAD_HTTP` port ranges and no `MEDIAD_ID`
        (each binds the first free ports and names itself); else each gets its own
        id `m<i>` and ports."""
        self.dir = tempfile.mkdtemp(prefix="parley-e2e-")
        self.socket_dir = os.path.join(self.dir, "run")
        self.admin_key = admin_key
        self.roomd_port = free_port()
        self.signald_port = free_port()
        self.services = []
        self.env = dict(os.environ)
        self.env.update({
            "VOICE_SOCKET_DIR": self.socket_dir,
            "VOICE_LOG_LEVEL": "debug",
            "ROOMD_HTTP": f"127.0.0.1:{self.roomd_port}",
            "ROOMD_DB": os.path.join(self.dir, "data", "roomd.sqlite"),
            "ROOMD_ADMIN_KEY": admin_key,
            "ROOMD_SIGNAL_URL": f"ws://127.0.0.1:{self.signald_port}/v1/signal",
            "SIGNALD_HTTP": f"127.0.0.1:{self.signald_port}",
        })
        self.env.update(extra_env or {})
        self.mediad_count = mediads
        self.mediad_http_ports = []
        self.mediad_ranges = mediad_ranges
        if mediad_ranges:
            udp, http = free_range(socket.SOCK_DGRAM, 20), free_range(socket.SOCK_STREAM, 20)
            self.env.update({"MEDIAD_UDP": f"127.0.0.1:{udp}-{udp + 19}", "MEDIAD_HTTP": f"127.0.0.1:{http}-{http + 19}"})
            self.env.pop("MEDIAD_ID", None)

    @property
    def roomd_url(self):
        return f"http://127.0.0.1:{self.roomd_port}"

    @property
    def signal_url(self):
        return f"ws://127.0.0.1:{self.signald_port}/v1/signal"

    def start_service(self, name, extra_env=None, log_name=None):
        env = dict(self.env)
        env.update(extra_env or {})
        log = os.path.join(self.dir, (log_name or name) + ".log")
        service = Service(log_name or name, [os.path.join(BIN, name)], env, log)
        self.services.append(service)
        return service

    def start_process(self, name, args, extra_env=None):
        """Any other process (coturn, …) that `stop()` must also end."""
        env = dict(self.env)
        env.update(extra_env or {})
        service = Service(name, args, env, os.path.join(self.dir, name + ".log"))
        self.services.append(service)
        return service

    def start_mediad(self, index):
        if self.mediad_ranges:
            return self.start_service("mediad", log_name=f"mediad-{index}")
        udp = free_port(socket.SOCK_DGRAM)
        http = free_port()
        self.mediad_http_ports.append(http)
        return self.start_service("mediad", {
            "MEDIAD_ID": f"m{index}",
            "MEDIAD_UDP": f"127.0.0.1:{udp}",
            "MEDIAD_HTTP": f"127.0.0.1:{http}",
        }, log_name=f"mediad-m{index}")

    def start(self, mediad=True, signald=True, roomd=True):
        if roomd:
            self.roomd = self.start_service("roomd")
            wait_http(f"{self.roomd_url}/healthz")
        if signald:
            self.signald = self.start_service("signald")
            wait_http(f"http://127.0.0.1:{self.signald_port}/healthz")
        if mediad and self.mediad_ranges and roomd:
            # One after another, as `docker-compose --scale` restarts would: two
            # starters probing one HTTP range at once can race for a port.
            self.mediads = []
            for i in range(1, self.mediad_count + 1):
                self.mediads.append(self.start_mediad(i))
                wait_until(lambda: len([m for m in self.media_servers() if m["healthy"]]) == i,
                           timeout=15, what=f"mediad {i} registration")
        elif mediad:
            self.mediads = [self.start_mediad(i) for i in range(1, self.mediad_count + 1)]
            if roomd:
                wait_until(lambda: len([m for m in self.media_servers() if m["healthy"]]) == self.mediad_count,
                           timeout=15, what="mediad registration")
            else:
                wait_until(lambda: all(os.path.exists(self.mediad_socket(i)) for i in range(1, self.mediad_count + 1)),
                           timeout=15, what="mediad control sockets")
        return self

    def mediad_socket(self, index):
        return os.path.join(self.socket_dir, f"mediad-m{index}.sock")

    def stop(self):
        for service in reversed(self.services):
            if not service.log.closed:
                service.stop()

    def log_lines(self, prefix, *containing):
        """Lines of the logs of the services named `prefix…` that contain every string given."""
        lines = []
        for service in self.services:
            if service.name.startswith(prefix):
                with open(service.log_path, "rb") as f:
                    lines += [line for line in f.read().decode("utf-8", "replace").splitlines()
                              if all(part in line for part in containing)]
        return lines

    def srtp_profile(self, participant_id):
        """The SRTP profile mediad logged when the participant's media connected."""
        for line in self.log_lines("mediad", "media connected", f"participant={participant_id}"):
            for word in line.split():
                if word.startswith("srtp="):
                    return word[len("srtp="):]
        return None

    def dump_logs(self):
        for service in self.services:
            print(f"----- tail of {service.name} log -----")
            print(service.tail())

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # REST helpers
    def api(self, method, path, body=None, admin=False, headers=None):
        return http_json(method, self.roomd_url + path, body,
                         {**({"Authorization": f"Bearer {self.admin_key}"} if admin else {}), **(headers or {})})

    def create_room(self, name="room", **fields):
        status, room = self.api("POST", "/v1/rooms", {"name": name, **fields}, admin=True)
        assert status == 201, (status, room)
        return room

    def join(self, room_id, name, pin=None):
        body = {"displayName": name}
        if pin is not None:
            body["pin"] = pin
        status, join = self.api("POST", f"/v1/rooms/{room_id}/join", body)
        assert status == 201, (status, join)
        return join

    def participants(self, room_id):
        status, body = self.api("GET", f"/v1/rooms/{room_id}/participants", admin=True)
        assert status == 200, (status, body)
        return body["participants"]

    def media_servers(self):
        status, body = self.api("GET", "/v1/media-servers", admin=True)
        return body.get("mediaServers", []) if status == 200 else []


def free_range(kind, size):
    """The start of `size` consecutive ports on 127.0.0.1 that are free right now,
    below the kernel's ephemeral range (so other tests' free_port() rarely lands there)."""
    import random
    for _ in range(200):
        start = random.randrange(21000, 32000 - size)
        sockets = []
        try:
            for port in range(start, start + size):
                s = socket.socket(socket.AF_INET, kind)
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return start
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise AssertionError("no free port range")


def http_json(method, url, body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text) if text else None
        except ValueError:
            return error.code, {"raw": text.decode(errors="replace")}


def wait_http(url, timeout=20):
    def ready():
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except Exception:
            return False
    wait_until(ready, timeout, f"{url} to answer 200")


def wait_until(condition, timeout=10, what="condition", interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
