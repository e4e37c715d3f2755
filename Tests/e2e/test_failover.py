"""Three mediad replicas started with one shared environment (port ranges, no
ids), rooms spread over them, and a SIGKILL mid-call: roomd re-places the dead
instance's rooms, its participants get `media_server_lost`, and rejoining gives
a working call on a surviving instance."""
import asyncio
import signal
import time


from aiortc_peer import AUDIBLE_DB, Peer, tone_levels
from parley_harness import wait_until

TONES = {"ada": 440, "bob": 660}


def answer_port(peer):
    """The UDP port of mediad's ICE candidate in the peer's answer."""
    for line in peer.pc.remoteDescription.sdp.splitlines():
        if line.startswith("a=candidate:"):
            return int(line.split()[5])
    raise AssertionError("answer has no candidate")


def server_by_port(servers, port):
    matches = [s for s in servers if int(s["udpAddress"].rsplit(":", 1)[1]) == port]
    assert len(matches) == 1, (port, servers)
    return matches[0]


async def assert_call_works(peers, window=2.0, attempts=4):
    """Each peer hears the other's tone (and not its own) in some `window` of
    audio within `attempts` windows: a loaded CI machine may starve the test's
    event loop for a moment, which shows up as a gap, not as a broken call."""
    for name, peer in peers.items():
        other = TONES["bob" if name == "ada" else "ada"]
        for attempt in range(attempts):
            started = time.monotonic()
            await asyncio.sleep(window)
            levels = tone_levels(peer.recorder.samples_since(started), list(TONES.values()))
            print(f"{name}: hears {other} Hz at {levels[other]:.1f} dB, own {TONES[name]} Hz at {levels[TONES[name]]:.1f} dB")
            if levels[other] > AUDIBLE_DB and levels[other] > levels[TONES[name]] + 20:
                break
            chunks = [(round(at - started, 2), round(float(abs(c).max()), 3)) for at, c in peer.recorder.chunks if at >= started]
            print(f"{name}: received frames (t, peak) in the window: {chunks[::10]}; ice {peer.pc.iceConnectionState}")
        assert levels[other] > AUDIBLE_DB and levels[other] > levels[TONES[name]] + 20, (name, levels)


def test_rooms_spread_over_three_instances_and_fail_over_when_one_dies(cluster_factory):
    cluster = cluster_factory(mediads=3, mediad_ranges=True).start()
    servers = cluster.media_servers()
    print("media servers:", servers)
    assert len(servers) == 3 and all(s["healthy"] for s in servers), servers
    # Same environment, yet distinct names and UDP ports (the default id is host name + pid).
    assert len({s["id"] for s in servers}) == 3 and len({s["udpAddress"] for s in servers}) == 3, servers
    pids = {m.proc.pid: m for m in cluster.mediads}
    process_of = {}
    for s in servers:
        pid = int(s["id"].rsplit("-", 1)[1])
        assert pid in pids, (s["id"], list(pids))
        process_of[s["id"]] = pids[pid]

    rooms = [cluster.create_room(f"room-{i}") for i in range(6)]
    servers = cluster.media_servers()
    counts = {s["id"]: s["rooms"] for s in servers}
    print("rooms per instance:", counts)
    assert sum(counts.values()) == 6 and all(n >= 1 for n in counts.values()), counts

    async def scenario():
        room = rooms[0]["id"]
        peers = {name: Peer(cluster, room, name, tone) for name, tone in TONES.items()}
        rejoined = {}
        try:
            for peer in peers.values():
                await peer.join()
            await asyncio.sleep(3)
            await assert_call_works(peers)
            port = answer_port(peers["ada"])
            assert answer_port(peers["bob"]) == port
            victim = server_by_port(cluster.media_servers(), port)
            victim_rooms = victim["rooms"]
            print(f"killing {victim['id']} (udp {victim['udpAddress']}, {victim_rooms} rooms)")

            killed_at = time.monotonic()
            process_of[victim["id"]].signal(signal.SIGKILL)
            for peer in peers.values():
                error = await peer.wait_for("error", timeout=10, predicate=lambda m: m.get("code") == "media_server_lost")
                print(f"{peer.name}: {error} after {time.monotonic() - killed_at:.2f} s")

            # By the time clients hear of it, roomd has re-placed every room of the dead instance.
            after = {s["id"]: s for s in cluster.media_servers()}
            print("after the kill:", after)
            assert after[victim["id"]]["healthy"] is False, after
            survivors = {i: s for i, s in after.items() if i != victim["id"]}
            assert all(s["healthy"] for s in survivors.values()), after
            assert sum(s["rooms"] for s in survivors.values()) == 6, ("rooms not all re-placed on live instances", after)

            # A fresh REST join and WebSocket join land on a survivor with a working call.
            for peer in peers.values():
                await peer.close()
            rejoined.update({name: Peer(cluster, room, name, tone) for name, tone in TONES.items()})
            for peer in rejoined.values():
                await peer.join()
            new_port = answer_port(rejoined["ada"])
            assert new_port != port and answer_port(rejoined["bob"]) == new_port
            new_home = server_by_port(cluster.media_servers(), new_port)
            assert new_home["id"] in survivors and new_home["healthy"], new_home
            print(f"rejoined on {new_home['id']} ({time.monotonic() - killed_at:.2f} s after the kill)")
            await asyncio.sleep(3)
            await assert_call_works(rejoined)
            wait_until(lambda: len(cluster.participants(room)) == 2, timeout=5, what="two participants after rejoin")
        finally:
            for peer in list(peers.values()) + list(rejoined.values()):
                await peer.close()

    asyncio.run(scenario())
    # The dead instance stays listed (unhealthy) and no new room goes to it.
    extra = [cluster.create_room(f"late-{i}") for i in range(3)]
    assert extra
    final = {s["id"]: s for s in cluster.media_servers()}
    assert sum(s["rooms"] for s in final.values() if s["healthy"]) == 9, final


def test_a_hung_mediad_is_dropped_by_heartbeat_and_comes_back(cluster_factory):
    """SIGSTOP (a hung process keeps its sockets open): roomd notices the stale
    heartbeat and moves its rooms; after SIGCONT the instance is healthy again
    and takes new rooms."""
    cluster = cluster_factory(mediads=2, mediad_ranges=True).start()
    rooms = [cluster.create_room(f"room-{i}") for i in range(4)]
    assert rooms
    servers = {s["id"]: s for s in cluster.media_servers()}
    assert all(s["rooms"] == 2 for s in servers.values()), servers
    hung_id = sorted(servers)[0]
    hung = next(m for m in cluster.mediads if m.proc.pid == int(hung_id.rsplit("-", 1)[1]))
    hung.signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        wait_until(lambda: not {s["id"]: s for s in cluster.media_servers()}[hung_id]["healthy"],
                   timeout=10, what="the hung instance to turn unhealthy")
        print(f"unhealthy after {time.monotonic() - started:.1f} s")
        wait_until(lambda: [s["rooms"] for s in cluster.media_servers() if s["healthy"]] == [4],
                   timeout=12, what="the hung instance's rooms to move to the live one")
        print(f"rooms moved after {time.monotonic() - started:.1f} s")
    finally:
        hung.signal(signal.SIGCONT)
    wait_until(lambda: {s["id"]: s for s in cluster.media_servers()}[hung_id]["healthy"],
               timeout=15, what="the resumed instance to be healthy again")
    cluster.create_room("after-resume")
    servers = {s["id"]: s for s in cluster.media_servers()}
    print(servers)
    assert servers[hung_id]["rooms"] >= 1, ("the resumed instance takes no new rooms", servers)
