"""Each service restarted (or stopped) under a live call with real aiortc peers.

roomd: the call keeps flowing while it is down, and after it comes back on the same
database the rooms, tokens, placements and participant list are all there.
signald: clients see their socket close and a fresh join works.
mediad: sessions end with RTCP BYE (or DTLS close), clients get an `error`.
Every service exits within 5 s of SIGTERM."""
import asyncio
import time
import urllib.error

from aiortc import rtcrtpreceiver, rtcrtpsender

from aiortc_peer import Peer
from bad_input_support import check_two_way
from parley_harness import wait_http, wait_until

STOP_LIMIT = 5.0
BYES = []


def _record_bye(cls):
    original = cls._handle_rtcp_packet

    async def handle(self, packet):
        if isinstance(packet, rtcrtpreceiver.RtcpByePacket):
            BYES.append((time.monotonic(), id(self.transport)))
        return await original(self, packet)
    cls._handle_rtcp_packet = handle


_record_bye(rtcrtpreceiver.RTCRtpReceiver)
_record_bye(rtcrtpsender.RTCRtpSender)


async def start_call(cluster, room_id, names=(("alice", 440), ("bob", 660))):
    peers = [Peer(cluster, room_id, name, tone) for name, tone in names]
    for peer in peers:
        await peer.join()
    await asyncio.sleep(3)
    await check_two_way(*peers, "before")
    return peers


def stop_timed(cluster, service):
    took = service.stop(timeout=10)
    print(f"{service.name} exited {took:.2f} s after SIGTERM")
    assert took < STOP_LIMIT, (service.name, took)
    return took


def test_roomd_restart_under_a_live_call(cluster_factory):
    cluster = cluster_factory().start()
    room = cluster.create_room("keep", pin="1357")

    async def scenario():
        peers = []
        try:
            peers = [Peer(cluster, room["id"], n, t, pin="1357") for n, t in (("alice", 440), ("bob", 660))]
            for peer in peers:
                await peer.join()
            await asyncio.sleep(3)
            await check_two_way(*peers, "before")
            unused = cluster.join(room["id"], "carol", pin="1357")  # a token issued before the restart
            placed_on = {m["id"]: m["rooms"] for m in cluster.media_servers()}

            await asyncio.to_thread(stop_timed, cluster, cluster.roomd)
            try:
                cluster.api("GET", "/v1/rooms", admin=True)
                raise AssertionError("roomd still answers")
            except (urllib.error.URLError, ConnectionError):
                pass
            await check_two_way(*peers, "roomd down", seconds=3.0)

            cluster.roomd = cluster.start_service("roomd", log_name="roomd-2")
            await asyncio.to_thread(wait_http, f"{cluster.roomd_url}/healthz")
            status, again = cluster.api("GET", f"/v1/rooms/{room['id']}", admin=True)
            assert status == 200 and again["name"] == "keep" and again["hasPin"], (status, again)
            status, wrong = cluster.api("POST", f"/v1/rooms/{room['id']}/join", {"displayName": "x", "pin": "0"})
            assert status == 403, (status, wrong)
            await asyncio.to_thread(wait_until, lambda: any(m["healthy"] for m in cluster.media_servers()), 15,
                                    "mediad re-registered")
            await asyncio.to_thread(wait_until, lambda: sorted(p["displayName"] for p in cluster.participants(room["id"]))
                                    == ["alice", "bob"], 15, "participants re-synced after restart")
            print("placements before:", placed_on, "after:", {m["id"]: m["rooms"] for m in cluster.media_servers()})
            await check_two_way(*peers, "roomd back")

            # The pre-restart token still opens a session, on the same mediad as the others.
            carol = Peer(cluster, room["id"], "carol", 550)
            peers.append(carol)
            await carol.join(join_response=unused)
            await asyncio.to_thread(wait_until, lambda: len(cluster.participants(room["id"])) == 3, 10, "carol counted")
            await asyncio.sleep(3)
            await check_two_way(peers[0], carol, "with carol")
        finally:
            for peer in peers:
                await peer.close()
    asyncio.run(scenario())


def test_signald_restart_clients_see_close_and_rejoin(cluster_factory):
    cluster = cluster_factory().start()
    room = cluster.create_room("relay")

    async def scenario():
        peers = []
        try:
            peers = await start_call(cluster, room["id"])
            await asyncio.to_thread(stop_timed, cluster, cluster.signald)
            for peer in peers:
                await asyncio.wait_for(peer.closed.wait(), 5)
            cluster.signald = cluster.start_service("signald", log_name="signald-2")
            await asyncio.to_thread(wait_http, f"http://127.0.0.1:{cluster.signald_port}/healthz")
            for peer in peers:
                await peer.close()
            peers = await start_call(cluster, room["id"], (("alice2", 440), ("bob2", 660)))
            await asyncio.to_thread(wait_until, lambda: sorted(p["displayName"] for p in cluster.participants(room["id"]))
                                    == ["alice2", "bob2"], 10, "only the rejoined participants listed")
        finally:
            for peer in peers:
                await peer.close()
    asyncio.run(scenario())


def test_mediad_sigterm_ends_sessions_cleanly(cluster_factory):
    cluster = cluster_factory().start()
    room = cluster.create_room("media")

    async def scenario():
        peers = []
        try:
            peers = await start_call(cluster, room["id"])
            marks = [len(p.events) for p in peers]
            byes_before = len(BYES)
            stopped_at = time.monotonic()
            await asyncio.to_thread(stop_timed, cluster, cluster.mediads[0])
            for peer, mark in zip(peers, marks):
                error = await peer.wait_for("error", start=mark, timeout=10)
                print(f"{peer.name} got error {error['code']}")
                assert error["code"] in ("media_server_lost", "media_session_closed", "media_closed"), error

            def ended(peer):
                return peer.pc.connectionState in ("closed", "failed", "disconnected")
            await asyncio.sleep(1.0)
            byes = [at - stopped_at for at, _ in BYES[byes_before:]]
            states = [p.pc.connectionState for p in peers]
            print(f"RTCP BYE seen by peers after {['%.2f' % b for b in byes]} s; pc states {states}")
            assert len(byes) >= len(peers) or all(ended(p) for p in peers), (byes, states)
        finally:
            for peer in peers:
                await peer.close()
    asyncio.run(scenario())
    for service in (cluster.signald, cluster.roomd):
        stop_timed(cluster, service)
