"""The whole call path through the three real services with real aiortc peers:
REST join → WebSocket join → offer/answer → ICE/DTLS/SRTP → mix-minus."""
import asyncio
import time

from aiortc_peer import AUDIBLE_DB, Peer, tone_levels
from parley_harness import wait_until

TONES = {"ada": 440, "bob": 550, "cy": 660}


async def hear(peer, seconds=2.0):
    started = time.monotonic()
    await asyncio.sleep(seconds)
    return tone_levels(peer.recorder.samples_since(started), list(TONES.values()))


def test_three_participants_moderation_and_departures(cluster_factory):
    cluster = cluster_factory().start()
    room = cluster.create_room("standup")

    async def scenario():
        peers = {name: Peer(cluster, room["id"], name, tone) for name, tone in TONES.items()}
        try:
            for peer in peers.values():
                await peer.join()
            await asyncio.sleep(3)

            # Everyone hears the other two, and itself at least 20 dB lower.
            for name, peer in peers.items():
                levels = await hear(peer)
                own = levels[TONES[name]]
                print(f"{name}: " + ", ".join(f"{f} Hz {l:.1f} dB" for f, l in levels.items()))
                for other, tone in TONES.items():
                    if other != name:
                        assert levels[tone] > AUDIBLE_DB, (name, other, levels)
                        assert levels[tone] > own + 20, (name, other, levels)
            # aiortc offers AEAD_AES_128_GCM first among its profiles; mediad prefers it
            # too, so the audio above went through Parley's OpenSSL GCM path both ways.
            for name, peer in peers.items():
                assert cluster.srtp_profile(peer.participant_id) == "SRTP_AEAD_AES_128_GCM", name
            for name, peer in peers.items():
                ttfa = peer.time_to_first_audio()
                print(f"join-to-first-mixed-audio {name}: {ttfa:.3f} s" if ttfa else f"{name}: no audio")

            # REST shows all three, talking (they send tones continuously).
            def all_talking():
                listed = cluster.participants(room["id"])
                return len(listed) == 3 and all(p["talking"] for p in listed)
            wait_until(all_talking, timeout=5, what="three talking participants in REST")
            listed = {p["displayName"]: p for p in cluster.participants(room["id"])}
            assert set(listed) == set(TONES)
            for p in listed.values():
                assert set(p) >= {"id", "displayName", "muted", "talking", "joinedAt"}

            # Admin mute: participant-updated to everyone (the muted one included), and silence.
            bob = peers["bob"]
            mark = {name: len(peer.events) for name, peer in peers.items()}
            status, updated = cluster.api("POST", f"/v1/rooms/{room['id']}/participants/{bob.participant_id}/mute",
                                          {"muted": True}, admin=True)
            assert status == 200 and updated["muted"] is True, (status, updated)
            for name, peer in peers.items():
                await peer.wait_for("participant-updated", start=mark[name],
                                    predicate=lambda m: m["participant"]["id"] == bob.participant_id and m["participant"]["muted"])
            await asyncio.sleep(1.0)
            levels = await hear(peers["ada"])
            assert levels[550] < levels[660] - 20, ("bob still audible after mute", levels)

            # Kick cy: cy gets kicked, the rest participant-left.
            cy = peers["cy"]
            mark = {name: len(peer.events) for name, peer in peers.items()}
            status, _ = cluster.api("DELETE", f"/v1/rooms/{room['id']}/participants/{cy.participant_id}", admin=True)
            assert status == 204
            await cy.wait_for("kicked", start=mark["cy"])
            await peers["ada"].wait_for("participant-left", start=mark["ada"],
                                        predicate=lambda m: m["participantId"] == cy.participant_id)
            wait_until(lambda: cy.participant_id not in [p["id"] for p in cluster.participants(room["id"])],
                       timeout=3, what="kicked participant gone from REST")

            # Bob just drops its socket: gone from the list and the mix within a couple of seconds.
            await bob.ws.close()
            await bob.pc.close()
            wait_until(lambda: [p["displayName"] for p in cluster.participants(room["id"])] == ["ada"],
                       timeout=3, what="dropped participant gone from REST")
            await peers["ada"].wait_for("participant-left", predicate=lambda m: m["participantId"] == bob.participant_id)

            # A new participant, then delete the room: room-closed to everyone left.
            dee = Peer(cluster, room["id"], "dee", 770)
            peers["dee"] = dee
            await dee.join()
            mark = {name: len(peer.events) for name, peer in peers.items()}
            status, _ = cluster.api("DELETE", f"/v1/rooms/{room['id']}", admin=True)
            assert status == 204
            for name in ("ada", "dee"):
                await peers[name].wait_for("room-closed", start=mark[name])
        finally:
            for peer in peers.values():
                await peer.close()

    asyncio.run(scenario())


def test_signalling_errors(cluster_factory):
    cluster = cluster_factory().start()
    room = cluster.create_room("errors", maxParticipants=1)
    import json

    import websockets

    async def scenario():
        async with websockets.connect(cluster.signal_url) as ws:
            await ws.send(json.dumps({"type": "offer", "sdp": "v=0"}))
            assert json.loads(await ws.recv())["code"] == "not_joined"
            await ws.send("not json")
            assert json.loads(await ws.recv())["code"] == "invalid_json"
            await ws.send(json.dumps({"type": "ping"}))
            assert json.loads(await ws.recv())["code"] == "not_joined", "anything but join before join"
            await ws.send(json.dumps({"type": "join", "token": "garbage"}))
            error = json.loads(await ws.recv())
            assert error["type"] == "error" and error["code"] == "invalid_token", error
        # Room full at signalling join: two REST joins are fine, the second signalling join is refused.
        first = cluster.join(room["id"], "one")
        status, body = cluster.api("POST", f"/v1/rooms/{room['id']}/join", {"displayName": "two"})
        assert status == 201, (status, body)
        async with websockets.connect(cluster.signal_url) as a, websockets.connect(cluster.signal_url) as b:
            await a.send(json.dumps({"type": "join", "token": first["token"]}))
            assert json.loads(await a.recv())["type"] == "joined"
            await a.send(json.dumps({"type": "ping"}))
            assert json.loads(await a.recv())["type"] == "pong"
            await a.send(json.dumps({"type": "offer", "sdp": "garbage"}))
            assert json.loads(await a.recv())["code"] == "invalid_sdp"
            await a.send(json.dumps({"type": "dance"}))
            assert json.loads(await a.recv())["code"] == "unknown_type"
            await a.send(b"\x00binary")
            assert json.loads(await a.recv())["code"] == "binary_not_supported"
            await b.send(json.dumps({"type": "join", "token": body["token"]}))
            assert json.loads(await b.recv())["code"] == "room_full"
            status, again = cluster.api("POST", f"/v1/rooms/{room['id']}/join", {"displayName": "three"})
            assert status == 409 and again["error"]["code"] == "room_full", (status, again)

    asyncio.run(scenario())


def test_rooms_on_two_mixing_threads(cluster_factory):
    """MEDIAD_THREADS=2: the second room lives on the thread that does not own the
    UDP socket, so its datagrams are handed over in batches after each read burst."""
    cluster = cluster_factory(extra_env={"MEDIAD_THREADS": "2"}).start()
    rooms = [cluster.create_room(f"thread-{index}") for index in range(2)]

    async def scenario():
        pairs = [[Peer(cluster, room["id"], f"{name}-{index}", tone) for name, tone in (("ada", 440), ("bob", 550))]
                 for index, room in enumerate(rooms)]
        try:
            for pair in pairs:
                for peer in pair:
                    await peer.join()
            await asyncio.sleep(3)
            for index, (ada, bob) in enumerate(pairs):
                heard_by_ada, heard_by_bob = await hear(ada), await hear(bob)
                print(f"room {index}: ada hears {heard_by_ada}, bob hears {heard_by_bob}")
                assert heard_by_ada[550] > AUDIBLE_DB and heard_by_ada[550] > heard_by_ada[440] + 20, (index, heard_by_ada)
                assert heard_by_bob[440] > AUDIBLE_DB and heard_by_bob[440] > heard_by_bob[550] + 20, (index, heard_by_bob)
        finally:
            for pair in pairs:
                for peer in pair:
                    await peer.close()

    asyncio.run(scenario())
