"""Starts a private Parley cluster (roomd, signald, mediad) for one benchmark run.

mediad is pinned to one core, roomd/signald and the load generator to the other,
so mediad's CPU figures are its own.
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

ADMIN_KEY = "bench-admin-key"
# On a shared machine, raise the services' and generator's priority so other
# processes on the pinned cores disturb the figures less (root only; harmless otherwise).
# BENCH_NICE overrides it, e.g. 19 to stay out of another benchmark's way.
_NICE_LEVEL = os.environ.get("BENCH_NICE", "-10" if os.geteuid() == 0 else "")
NICE = ["nice", "-n", _NICE_LEVEL] if _NICE_LEVEL else []


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None, timeout=2):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def tail_file(path, lines=20):
    """The last lines of a log, or "" when there is none."""
    try:
        with open(path, "rb") as f:
            return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
    except OSError:
        return ""


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


class Cluster:
    def __init__(self, bin_dir, mediad_core="1", other_core="0", mediad_env=None):
        self.bin = bin_dir
        self.dir = tempfile.mkdtemp(prefix="parley-bench-")
        self.roomd_port, self.signald_port = free_port(), free_port()
        self.mediad_http, self.mediad_udp = free_port(), free_port(socket.SOCK_DGRAM)
        self.mediad_core, self.other_core = mediad_core, other_core
        self.env = dict(os.environ)
        self.env.update({
            "VOICE_SOCKET_DIR": os.path.join(self.dir, "run"),
            "VOICE_LOG_LEVEL": "warning",
            "ROOMD_HTTP": f"127.0.0.1:{self.roomd_port}",
            "ROOMD_DB": os.path.join(self.dir, "data", "roomd.sqlite"),
            "ROOMD_ADMIN_KEY": ADMIN_KEY,
            "ROOMD_SIGNAL_URL": f"ws://127.0.0.1:{self.signald_port}/v1/signal",
            "SIGNALD_HTTP": f"127.0.0.1:{self.signald_port}",
            "MEDIAD_ID": "bench",
            "MEDIAD_UDP": f"127.0.0.1:{self.mediad_udp}",
            "MEDIAD_HTTP": f"127.0.0.1:{self.mediad_http}",
            "MEDIAD_CAPACITY": "5000",
            "MEDIAD_THREADS": "1",
            # Every synthetic join comes from 127.0.0.1: lift roomd's per-address join
            # limit, which would otherwise cap the join storm.
            "ROOMD_JOIN_RATE": "100000",
        })
        self.env.update(mediad_env or {})
        self.procs = {}

    @property
    def roomd_url(self):
        return f"http://127.0.0.1:{self.roomd_port}"

    @property
    def metrics_url(self):
        return f"http://127.0.0.1:{self.mediad_http}/metrics"

    def spawn(self, name, core):
        log = open(os.path.join(self.dir, name + ".log"), "wb")
        # BENCH_CONTROL_BIN: take roomd/signald from elsewhere (mediad and loadgen always from `bin`).
        folder = os.environ.get("BENCH_CONTROL_BIN", self.bin) if name in ("roomd", "signald") else self.bin
        # roomd and signald share the generator's core at normal priority: their bursts
        # (presence and talking events fanned out to every participant) must not stall
        # the generator's send clock and receive path, which would count as mediad's lateness.
        nice = NICE if name == "mediad" else []
        env = dict(self.env)
        # BENCH_MEDIAD_LOG_LEVEL=debug: mediad's phase moves, without the others' chatter.
        if name == "mediad" and os.environ.get("BENCH_MEDIAD_LOG_LEVEL"):
            env["VOICE_LOG_LEVEL"] = os.environ["BENCH_MEDIAD_LOG_LEVEL"]
        proc = subprocess.Popen(nice + ["taskset", "-c", core, os.path.join(folder, name)], env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def start(self):
        self.spawn("roomd", self.other_core)
        wait_until(lambda: get(self.roomd_url + "/healthz")[0] == 200, 30, "roomd")
        self.spawn("signald", self.other_core)
        wait_until(lambda: get(f"http://127.0.0.1:{self.signald_port}/healthz")[0] == 200, 30, "signald")
        self.spawn("mediad", self.mediad_core)

        def registered():
            _, body = get(self.roomd_url + "/v1/media-servers", {"Authorization": f"Bearer {ADMIN_KEY}"})
            return any(m["healthy"] for m in json.loads(body)["mediaServers"])
        wait_until(registered, 30, "mediad registration")
        time.sleep(0.5)
        return self

    @property
    def mediad_pid(self):
        return self.procs["mediad"].pid

    def stop(self):
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def tail(self, name, lines=20):
        return tail_file(os.path.join(self.dir, name + ".log"), lines)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def run_loadgen(bin_dir, cluster, core, args, timeout):
    """Runs loadgen against `cluster` (pinned to `core`); returns its JSON summary or None."""
    out = os.path.join(cluster.dir, f"loadgen-{time.monotonic_ns()}.json")
    command = NICE + ["taskset", "-c", core, os.path.join(bin_dir, "loadgen"),
               "--roomd", cluster.roomd_url, "--admin-key", ADMIN_KEY, "--quiet", "--realtime-clock",
               "--mediad-pid", str(cluster.mediad_pid), "--mediad-metrics", cluster.metrics_url,
               "--json", out] + [str(a) for a in args]
    return run_for_summary(command, out, timeout, "loadgen", cluster.mediad_pid)


def nice_of(pid):
    """The process's nice value now (field 19 of /proc/PID/stat): something may have reniced it."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[16])
    except (OSError, IndexError, ValueError):
        return None


def run_for_summary(command, out, timeout, what, server_pid):
    """Runs one loadgen command that writes its JSON summary to `out`; the summary or None."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"    {what} timed out after {timeout}s")
        return None
    if result.returncode != 0 or not os.path.exists(out):
        print(f"    {what} failed ({result.returncode}): {result.stderr.strip()[-400:]}")
        return None
    with open(out) as f:
        summary = json.load(f)
    summary["_text"] = result.stdout
    summary["serverNice"] = nice_of(server_pid)
    with open("/proc/loadavg") as f:
        summary["loadavg"] = float(f.read().split()[0])
    return summary
