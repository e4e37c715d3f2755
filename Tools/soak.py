#!/usr/bin/env python3
"""Soak: SOAK_PARTICIPANTS participants (default 50) in SOAK_ROOMS rooms (default 5)
for SOAK_MINUTES (default 30) against real roomd/signald/mediad.

Every minute prints the RSS of each service (from /proc), mediad's late mixer ticks
and dropped packets (from /metrics), and the packet loss the participants see.
Exit status 1 if a service died, a participant lost its session, or mediad's RSS
kept growing through the second half of the run.

SOAK_CLIENT picks the participants: `loadgen` (default; Tools/loadgen, the real
REST → WebSocket → ICE → DTLS → SRTP path with pre-encoded Opus, two talkers per
room, cheap enough that the generator never starves the call) or `aiortc` (one
Python worker process per room; on a busy 2-core machine the Python side itself
can fall behind and miss ICE consent).

    PARLEY_BIN=.build/release SOAK_MINUTES=5 .venv/bin/python Tools/soak.py
"""
import asyncio
import math
import multiprocessing
import os
import re
import subprocess
import sys
import time
from queue import Empty

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))

from bad_input_support import metric_sum, metrics_text  # noqa: E402
from parley_harness import Cluster  # noqa: E402

MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
ROOMS = int(os.environ.get("SOAK_ROOMS", "5"))
PARTICIPANTS = int(os.environ.get("SOAK_PARTICIPANTS", "50"))
CLIENT = os.environ.get("SOAK_CLIENT", "loadgen")


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def room_worker(cluster_info, room_id, names, seconds, queue):
    """Joins `names` to one room, then every 60 s reports (received, lost, closed sessions)."""
    from aiortc_peer import Peer

    class Remote:  # just what Peer needs from a Cluster
        def __init__(self, info):
            self.roomd_url = info["roomd_url"]

        def join(self, room, name, pin=None):
            from parley_harness import http_json
            status, body = http_json("POST", f"{self.roomd_url}/v1/rooms/{room}/join", {"displayName": name})
            assert status == 201, (status, body)
            return body

    class Sink:
        """Drains the received track without keeping the audio (a soak runs for hours)."""
        def __init__(self):
            self.frames = 0
            self.first_audio_at = None

        async def run(self, track):
            while True:
                try:
                    await track.recv()
                except Exception:
                    return
                self.frames += 1

    async def run():
        remote = Remote(cluster_info)
        peers = []
        for i, name in enumerate(names):
            peer = Peer(remote, room_id, name, 300 + 40 * i)
            peer.recorder = Sink()
            for attempt in range(5):  # a 503 while mediad's heartbeat is late is retried
                try:
                    await peer.join()
                    break
                except Exception as error:
                    print(f"{name}: join failed ({error!r:.120}), retrying", flush=True)
                    await peer.close()
                    peer = Peer(remote, room_id, name, 300 + 40 * i)
                    peer.recorder = Sink()
                    await asyncio.sleep(2)
            # One at a time: a starved Python side must not miss ICE consent while joining.
            for _ in range(200):
                if peer.pc.connectionState == "connected":
                    break
                await asyncio.sleep(0.05)
            peers.append(peer)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(min(60, max(0.1, deadline - time.monotonic())))
            received = lost = 0
            for peer in peers:
                for stat in (await peer.pc.getStats()).values():
                    if stat.type == "inbound-rtp":
                        received += stat.packetsReceived
                        lost += max(0, stat.packetsLost)
            closed = sum(1 for p in peers if p.closed.is_set() or p.pc.connectionState != "connected")
            queue.put((room_id, received, lost, closed))
        for peer in peers:
            await peer.close()
    asyncio.run(run())


def rss_growing(samples):
    half = samples[len(samples) // 2:]
    return len(half) >= 3 and all(b > a for a, b in zip(half, half[1:])) and half[-1] > half[0] * 1.2


def shut_down(cluster, failures):
    cluster.stop()
    if failures:
        cluster.dump_logs()
    cluster.cleanup()


def report(failures):
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


def soak_with_loadgen():
    """Runs Tools/loadgen for the whole soak; it prints a cumulative `interim` line per minute."""
    binary = os.path.join(os.environ.get("PARLEY_BIN", ".build/debug"), "loadgen")
    if not os.path.exists(binary):
        print(f"soak: {binary} not found (make soak builds it)")
        return 1
    cluster = Cluster().start()
    failures = []
    generator = None
    try:
        per_room = PARTICIPANTS // ROOMS
        services = {s.name: s for s in cluster.services}
        mediad = services["mediad-m1"]
        mediad_port = cluster.mediad_http_ports[0]
        generator = subprocess.Popen(
            [binary, "--roomd", cluster.roomd_url, "--admin-key", cluster.admin_key, "--rooms", str(ROOMS),
             "--participants-per-room", str(per_room), "--talkers", "2", "--ramp", "10",
             "--duration", str(MINUTES * 60), "--report-every", "60", "--quiet",
             "--mediad-pid", str(mediad.proc.pid), "--mediad-metrics", f"http://127.0.0.1:{mediad_port}/metrics"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        print(f"soak: {per_room * ROOMS} loadgen participants in {ROOMS} rooms for {MINUTES:g} min; "
              f"binaries {os.path.abspath(os.path.dirname(binary))}", flush=True)
        header = ("min  " + "  ".join(f"{n:>11}" for n in services) +
                  "   late_ticks  dropped  rx_packets   lost  loss%  late>40ms  lat_p99_ms  down")
        mediad_rss, minute, previous = [], 0, None
        for line in generator.stdout:
            if not line.startswith("interim "):
                print("  " + line.rstrip(), flush=True)  # loadgen's own header, failures and summary
                continue
            if previous is None:
                print(header, flush=True)
            figures = dict(re.findall(r"(\w+)=([\d./]+)", line))
            minute += 1
            received, lost = int(figures["received"]), int(figures["lost"])
            connected, total = (int(v) for v in figures["connected"].split("/"))
            metrics = metrics_text(mediad_port)
            rss = {n: rss_mb(s.proc.pid) for n, s in services.items()}
            mediad_rss.append(rss["mediad-m1"])
            down = total - connected
            print(f"{minute:3d}  " + "  ".join(f"{v:8.1f} MB" for v in rss.values()) +
                  f"   {metric_sum(metrics, 'mediad_late_ticks_total'):10.0f}"
                  f"  {metric_sum(metrics, 'mediad_packets_dropped_total'):7.0f}  {received:10d}  {lost:5d}"
                  f"  {100.0 * lost / max(1, received + lost):5.2f}  {int(figures['late']):9d}"
                  f"  {float(figures['latency_p99_ms']):10.1f}  {down:4d}", flush=True)
            previous = figures
            if down:
                failures.append(f"minute {minute}: {down} participants not connected")
            failures += [f"{name} died" for name, service in services.items() if not service.alive()]
        if generator.wait() != 0:
            failures.append(f"loadgen exited with {generator.returncode}")
        if minute < math.floor(MINUTES) - 1:
            failures.append(f"only {minute} per-minute reports for a {MINUTES:g} min soak")
        if rss_growing(mediad_rss):
            failures.append(f"mediad RSS kept growing: {mediad_rss[len(mediad_rss) // 2:]}")
    finally:
        if generator and generator.poll() is None:
            generator.kill()
            generator.wait()
        shut_down(cluster, failures)
    return report(failures)


def main():
    return soak_with_loadgen() if CLIENT == "loadgen" else soak_with_aiortc()


def soak_with_aiortc():
    cluster = Cluster().start()
    failures = []
    try:
        per_room = PARTICIPANTS // ROOMS
        seconds = MINUTES * 60
        queue = multiprocessing.Queue()
        workers = []
        for r in range(ROOMS):
            room = cluster.create_room(f"soak-{r}", maxParticipants=per_room + 1)
            names = [f"r{r}p{i}" for i in range(per_room)]
            worker = multiprocessing.Process(target=room_worker, daemon=True,
                                             args=({"roomd_url": cluster.roomd_url}, room["id"], names, seconds, queue))
            worker.start()
            workers.append(worker)
        services = {s.name: s for s in cluster.services}
        mediad_port = cluster.mediad_http_ports[0]
        started = time.monotonic()
        print(f"soak: {per_room * ROOMS} participants in {ROOMS} rooms for {MINUTES:g} min; "
              f"binaries {os.path.abspath(os.environ.get('PARLEY_BIN', '.build/debug'))}", flush=True)
        print("min  " + "  ".join(f"{n:>11}" for n in services) + "   late_ticks  dropped  rx_packets  lost  loss%  down",
              flush=True)
        mediad_rss = []
        for minute in range(1, math.ceil(MINUTES) + 1):
            latest = {}
            deadline = time.monotonic() + 120
            while len(latest) < ROOMS and time.monotonic() < deadline:
                try:
                    room, received, lost, closed = queue.get(timeout=5)
                    latest[room] = (received, lost, closed)
                except Empty:
                    if not any(w.is_alive() for w in workers):
                        break
            metrics = metrics_text(mediad_port)
            late = metric_sum(metrics, "mediad_late_ticks_total")
            dropped = metric_sum(metrics, "mediad_packets_dropped_total")
            received = sum(v[0] for v in latest.values())
            lost = sum(v[1] for v in latest.values())
            down = sum(v[2] for v in latest.values()) + per_room * (ROOMS - len(latest))
            rss = {n: rss_mb(s.proc.pid) for n, s in services.items()}
            mediad_rss.append(rss.get("mediad-m1", 0))
            loss = 100.0 * lost / max(1, received + lost)
            print(f"{minute:3d}  " + "  ".join(f"{v:8.1f} MB" for v in rss.values()) +
                  f"   {late:10.0f}  {dropped:7.0f}  {received:10d}  {lost:4d}  {loss:5.2f}  {down:4d}", flush=True)
            if down:
                failures.append(f"minute {minute}: {down} peers not connected or not reporting")
            failures += [f"{name} died" for name, service in services.items() if not service.alive()]
        if rss_growing(mediad_rss):
            failures.append(f"mediad RSS kept growing: {mediad_rss[len(mediad_rss) // 2:]}")
    finally:
        shut_down(cluster, failures)
    return report(failures)


if __name__ == "__main__":
    sys.exit(main())
