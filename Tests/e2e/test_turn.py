"""TURN through a real coturn (Debian `turnserver`, loopback, `use-auth-secret`):
the credentials roomd hands out are accepted, wrong ones refused, and aiortc
participants limited to relay candidates get a working call through the relay."""
import asyncio
import time

import pytest
from aiortc import RTCConfiguration, RTCIceServer, RTCIceTransportPolicy, RTCPeerConnection, RTCSessionDescription

import aiortc_peer  # noqa: F401  (patches aioice to gather 127.0.0.1)
from aiortc_peer import Peer, Recorder, ToneTrack, local_candidate_types, selected_pair, tone_levels
from coturn import TURNSERVER, Coturn
from stun import error_code, turn_rest_credentials
from wire_client import WireClient
import os

SECRET = "parley-test-turn-secret"
SUCCESS, ERROR = 0x0103, 0x0113

pytestmark = pytest.mark.skipif(not os.path.exists(TURNSERVER), reason="coturn not installed (scripts/setup.sh installs it)")


def test_coturn_accepts_rest_api_credentials_and_refuses_wrong_ones(cluster_factory):
    cluster = cluster_factory()
    turn = Coturn(cluster, SECRET)
    username = f"{int(time.time()) + 600}:participant-1"
    kind, attrs = turn.allocate(username, turn_rest_credentials(SECRET, username))
    assert kind == SUCCESS, (hex(kind), error_code(attrs))

    kind, attrs = turn.allocate(username, turn_rest_credentials("not-the-secret", username))
    assert kind == ERROR and error_code(attrs) == 401, (hex(kind), error_code(attrs))

    expired = f"{int(time.time()) - 5}:participant-1"
    kind, attrs = turn.allocate(expired, turn_rest_credentials(SECRET, expired))
    assert kind == ERROR and error_code(attrs) == 401, ("expired credentials accepted", hex(kind), error_code(attrs))


def relay_config(turn, participant):
    username = f"{int(time.time()) + 600}:{participant}"
    return RTCConfiguration(iceServers=[RTCIceServer(urls=[turn.url], username=username,
                                                     credential=turn_rest_credentials(SECRET, username))],
                            iceTransportPolicy=RTCIceTransportPolicy.RELAY)


async def hear(recorders, seconds=2.0):
    started = time.monotonic()
    await asyncio.sleep(seconds)
    return [tone_levels(r.samples_since(started), [440, 660]) for r in recorders]


def assert_relayed(pc, turn, name):
    assert set(local_candidate_types(pc)) == {"relay"}, (name, local_candidate_types(pc))
    pair = selected_pair(pc)
    assert pair is not None, f"{name}: ICE never nominated a pair"
    kind, local, remote = pair
    assert kind == "relay" and turn.relay_port(local[1]), (name, pair)
    return pair


def test_mediad_takes_media_relayed_through_coturn(cluster_factory):
    """mediad alone (driven over Wire as signald does) with relay-only aiortc peers:
    mediad's ICE-lite agent sees only coturn's relay addresses and still connects."""
    cluster = cluster_factory().start(signald=False, roomd=False)
    turn = Coturn(cluster, SECRET)
    pairs = []

    async def scenario():
        wire = await WireClient.connect(cluster.mediad_socket(1))
        peers = []
        try:
            for name, tone in (("alice", 440), ("bob", 660)):
                pc = RTCPeerConnection(relay_config(turn, name))
                pc.addTrack(ToneTrack(tone))
                recorder = Recorder()
                pc.on("track", lambda track, r=recorder: asyncio.ensure_future(r.run(track)))
                await pc.setLocalDescription(await pc.createOffer())
                assert " typ relay" in pc.localDescription.sdp and " typ host" not in pc.localDescription.sdp
                reply = await wire.call("session.create", {"roomId": "relayed", "participantId": name,
                                                           "offerSdp": pc.localDescription.sdp, "muted": False})
                await pc.setRemoteDescription(RTCSessionDescription(sdp=reply["answerSdp"], type="answer"))
                peers.append((name, pc, recorder))
            for name, _, _ in peers:
                await wire.wait_event("session.state", lambda b, n=name: b["participantId"] == n and b["state"] == "connected",
                                      timeout=20)
            await asyncio.sleep(2)
            alice, bob = await hear([peers[0][2], peers[1][2]])
            print(f"alice hears 660 Hz at {alice[660]:.1f} dB (own {alice[440]:.1f}); bob hears 440 Hz at {bob[440]:.1f} dB (own {bob[660]:.1f})")
            assert alice[660] > -40 and alice[660] > alice[440] + 20, alice
            assert bob[440] > -40 and bob[440] > bob[660] + 20, bob
            for name, pc, _ in peers:
                pairs.append(assert_relayed(pc, turn, name))
                print(name, pairs[-1])
        finally:
            for _, pc, _ in peers:
                await pc.close()
            await wire.close()

    asyncio.run(scenario())
    assert_coturn_relayed_to(turn, {remote for _, _, remote in pairs}, users=["alice", "bob"])


def assert_coturn_relayed_to(turn, media_addresses, users):
    """coturn's log shows an allocation per user and a channel/permission to mediad's address."""
    log = turn.log()
    print("\n".join(l for l in log.splitlines() if "ALLOCATE" in l or "CHANNEL_BIND" in l or " peer " in l))
    for user in users:
        assert any(f":{user}>" in l and "ALLOCATE processed, success" in l for l in log.splitlines()), (user, log[-3000:])
    for host, port in media_addresses:
        assert f"peer {host}:{port} " in log, (host, port, log[-3000:])


def test_join_hands_out_coturn_credentials_and_relayed_participants_talk(cluster_factory):
    """The whole path: roomd's join response carries coturn REST-API credentials;
    two relay-only aiortc participants join through signald and hear each other."""
    import base64
    import hashlib
    import hmac

    cluster = cluster_factory()
    turn = Coturn(cluster, SECRET)
    cluster.env.update({"ROOMD_TURN_URLS": turn.url, "ROOMD_TURN_SECRET": SECRET})
    cluster.start()
    room = cluster.create_room("relayed")

    join = cluster.join(room["id"], "ada")
    turn_servers = [s for s in join["iceServers"] if any(u.startswith("turn:") for u in s["urls"])]
    assert len(turn_servers) == 1 and turn_servers[0]["urls"] == [turn.url], join["iceServers"]
    server = turn_servers[0]
    expiry, participant = server["username"].split(":", 1)
    assert participant == join["participantId"], server
    # Expiry = the token's expiry (ROOMD_TOKEN_TTL, 600 s by default).
    assert abs(int(expiry) - (time.time() + 600)) < 30, (expiry, time.time())
    expected = base64.b64encode(hmac.new(SECRET.encode(), server["username"].encode(), hashlib.sha1).digest()).decode()
    assert server["credential"] == expected, server
    kind, attrs = turn.allocate(server["username"], server["credential"])
    assert kind == SUCCESS, (hex(kind), error_code(attrs))
    kind, attrs = turn.allocate(server["username"], server["credential"][:-4] + "AAA=")
    assert kind == ERROR and error_code(attrs) == 401, (hex(kind), error_code(attrs))

    async def scenario():
        ada = Peer(cluster, room["id"], "ada", 440, ice_servers=join["iceServers"], relay_only=True)
        bob_join = await asyncio.to_thread(cluster.join, room["id"], "bob")
        bob = Peer(cluster, room["id"], "bob", 660, ice_servers=bob_join["iceServers"], relay_only=True)
        try:
            await ada.join(join)
            await bob.join(bob_join)
            assert " typ relay" in ada.pc.localDescription.sdp and " typ host" not in ada.pc.localDescription.sdp
            await asyncio.sleep(3)
            ada_hears, bob_hears = await hear([ada.recorder, bob.recorder])
            print(f"ada hears 660 Hz at {ada_hears[660]:.1f} dB (own {ada_hears[440]:.1f}); "
                  f"bob hears 440 Hz at {bob_hears[440]:.1f} dB (own {bob_hears[660]:.1f})")
            assert ada_hears[660] > -40 and ada_hears[660] > ada_hears[440] + 20, ada_hears
            assert bob_hears[440] > -40 and bob_hears[440] > bob_hears[660] + 20, bob_hears
            pairs = [assert_relayed(p.pc, turn, p.name) for p in (ada, bob)]
            return [ada.participant_id, bob.participant_id], {remote for _, _, remote in pairs}
        finally:
            await ada.close()
            await bob.close()

    participant_ids, media_addresses = asyncio.run(scenario())
    assert_coturn_relayed_to(turn, media_addresses, users=participant_ids)
