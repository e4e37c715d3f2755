"""The load generator behind `make bench`, end to end: it joins real participants
through roomd → signald → mediad (or Janus AudioBridge's HTTP API), exchanges
ICE/DTLS/SRTP with the media server, talks, and measures what comes back. The
benchmarks' figures are only as good as this path, so it runs in CI at a size
that fits a debug build."""
import csv
import json
import os
import subprocess
import sys

import pytest

from parley_harness import BIN

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tools", "bench"))
import janus as janus_bench  # noqa: E402


def run_loadgen(command, out, timeout=120):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"loadgen failed ({result.returncode}):\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
    with open(out) as f:
        return json.load(f), result.stdout


@pytest.mark.parametrize("sockets", [[], ["--one-port"]], ids=["socket-per-participant", "one-port"])
def test_loadgen_meeting_against_parley(cluster_factory, sockets):
    """With --one-port every participant is a loopback address of its own on one shared
    generator socket: mediad must see eight distinct peers and each must hear its mix."""
    cluster = cluster_factory()
    cluster.start()
    out = os.path.join(cluster.dir, "loadgen.json")
    summary, text = run_loadgen([
        os.path.join(BIN, "loadgen"), "--roomd", cluster.roomd_url, "--admin-key", cluster.admin_key,
        "--rooms", "2", "--participants-per-room", "4", "--talkers", "2", "--ramp", "20",
        "--duration", "4", "--listeners-measuring", "1", "--switch-seconds", "2", "--realtime-clock",
        "--mediad-pid", str(cluster.mediads[0].proc.pid),
        "--mediad-metrics", f"http://127.0.0.1:{cluster.mediad_http_ports[0]}/metrics", "--json", out] + sockets, out)
    print(text)
    if os.geteuid() == 0:
        assert "send clock SCHED_FIFO" in text, "as root the generator's send clock runs real-time"
    assert summary["connected"] == 8 and summary["failed"] == 0, text
    assert summary["srtpFailures"] == 0, text
    # Every participant hears a mix (50 packets/s); a debug build on a shared machine may drop a few.
    assert summary["lossPercent"] < 10, text
    assert summary["received"] > 8 * 4 * 50 * 0.9, text
    # The marker a talker sends is found in a listener's decoded mix, within a sane delay.
    assert summary["latencyCount"] >= 2, text
    assert 0.005 < summary["latencyP50"] < 0.3, text
    # Arrivals are the kernel's receive stamps: the receive thread reads them later
    # (with one port it polls every 0.5 ms), and the figures timed at the read say so.
    assert summary["latencyAtReadP50"] >= summary["latencyP50"], text
    assert summary["readDelayP99ms"] >= (0.05 if sockets else 0), text
    assert summary["ticks"] > 0, "mediad's tick metrics were read"
    # Memory from /proc: the participants' sessions are heap, a part of the RSS growth.
    assert summary["mediadRssGrowthKB"] > 0 and summary["mediadAnonymousGrowthKB"] > 0, text
    assert summary["mediadAnonymousGrowthKB"] < summary["mediadRssKB"], text


def test_bench_refuses_to_run_alongside_another(tmp_path):
    """Two benchmarks at once share the cores and garble each other's figures (and one
    markdown file): the second must stop at once, saying why."""
    import fcntl
    lock_path = tmp_path / "bench.lock"
    bench = os.path.join(os.path.dirname(__file__), "..", "..", "Tools", "bench", "bench.py")
    env = dict(os.environ, PARLEY_BENCH_LOCK=str(lock_path))
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = subprocess.run([sys.executable, bench, "/nonexistent", "--only", "storm", "--no-janus"],
                                capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode != 0, result.stdout
    assert "another benchmark is running" in result.stderr, result.stderr
    # Free again: it gets past the lock (to its usage text).
    result = subprocess.run([sys.executable, bench, "--help"], capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 0 and "--townhall-steps" in result.stdout, result.stderr


def metric(url, name):
    """The sum of a Prometheus series' samples (every label set) at `url`."""
    import urllib.request
    with urllib.request.urlopen(url, timeout=10) as response:
        lines = response.read().decode().splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines
               if line.startswith(name) and line[len(name):len(name) + 1] in (" ", "{"))


def test_loadgen_town_hall_sends_in_slices_against_parley(cluster_factory):
    """A room bigger than one fan-out slice (64): its tick sends the rest in slices,
    and the datagrams read in between wait for the last one (handled with their
    read times). Everyone must still hear the mix, the talkers' frames must still
    be mixed (the marker is found), and nothing may be lost on the way."""
    cluster = cluster_factory()
    cluster.start()
    out = os.path.join(cluster.dir, "loadgen.json")
    marker_log = os.path.join(cluster.dir, "markers.csv")
    metrics = f"http://127.0.0.1:{cluster.mediad_http_ports[0]}/metrics"
    summary, text = run_loadgen([
        os.path.join(BIN, "loadgen"), "--roomd", cluster.roomd_url, "--admin-key", cluster.admin_key,
        "--rooms", "1", "--participants-per-room", "90", "--talkers", "3", "--ramp", "45",
        "--duration", "4", "--listeners-measuring", "2", "--marker-interval", "0.5", "--switch-seconds", "2",
        "--realtime-clock", "--one-port", "--mediad-metrics", metrics, "--marker-log", marker_log,
        "--json", out], out, timeout=180)
    print(text)
    assert summary["connected"] == 90 and summary["failed"] == 0, text
    assert summary["srtpFailures"] == 0, text
    assert summary["lossPercent"] < 10, text
    assert summary["latencyCount"] >= 2, text
    assert 0.005 < summary["latencyP50"] < 0.3, text
    assert metric(metrics, "mediad_deferred_datagrams_total") > 0, "datagrams came in while slices were sent"
    # --marker-log lists every marker the figures count: from a talker to a measuring
    # listener (the last two joined), within the talkers' 2 s turn.
    with open(marker_log) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == summary["latencyCount"], rows[:5]
    latencies = sorted(float(row["latency_ms"]) for row in rows)
    assert latencies[0] <= 1000 * summary["latencyP50"] + 0.01, (latencies, summary["latencyP50"])
    assert latencies[-1] >= 1000 * summary["latencyP99"] - 0.01, (latencies, summary["latencyP99"])
    for row in rows:
        assert int(row["listener"]) >= 88 and int(row["talker"]) < 88, row
        assert int(row["talker_send_phase"]) == int(row["talker"]) % 4, row
        assert 0 <= float(row["since_switch_s"]) < 2, row


@pytest.fixture
def janus_server():
    if not janus_bench.ensure_installed():
        pytest.fail("janus is not installed (scripts/setup.sh installs it)")
    server = janus_bench.JanusCluster(core="0-1")
    server.start()
    yield server
    print(server.tail())
    server.cleanup()


def test_loadgen_drives_janus_audiobridge(janus_server):
    """The side-by-side benchmark's other half: same participants, Janus's API."""
    out = os.path.join(janus_server.dir, "loadgen.json")
    summary, text = run_loadgen(janus_bench.ns(
        os.path.join(os.path.abspath(BIN), "loadgen"), "--janus", janus_server.url,
        "--bind-address", janus_bench.GENERATOR_IP, "--rooms", "1", "--participants-per-room", "3",
        "--talkers", "1", "--ramp", "20", "--duration", "4", "--listeners-measuring", "1",
        "--mediad-pid", janus_server.pid, "--json", out), out)
    print(text)
    assert summary["connected"] == 3 and summary["failed"] == 0, text
    assert summary["srtpFailures"] == 0, text
    assert summary["received"] > 3 * 4 * 50 * 0.8, text
    assert summary["latencyCount"] >= 1, text
