"""mediad against a real, independent WebRTC stack (aiortc), driven through the
Wire control socket exactly as signald drives it."""
import asyncio
import os
import random
import socket
import time

import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

import aiortc_peer  # noqa: F401  (patches aioice to gather 127.0.0.1)
from aiortc_peer import AUDIBLE_DB, Recorder, ToneTrack, tone_levels
from parley_harness import wait_until
from stun import binding_request, is_success_response, sdp_value
from wire_client import WireClient


class DirectPeer:
    """An aiortc peer whose offer goes straight to mediad over Wire."""

    def __init__(self, wire, room, participant, frequency):
        self.wire = wire
        self.room = room
        self.participant = participant
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc.addTrack(ToneTrack(frequency))
        self.recorder = Recorder()
        self.answer = None

        @self.pc.on("track")
        def on_track(track):
            asyncio.ensure_future(self.recorder.run(track))

    async def connect(self, munge=lambda sdp: sdp):
        await self.pc.setLocalDescription(await self.pc.createOffer())
        reply = await self.wire.call("session.create", {
            "roomId": self.room, "participantId": self.participant,
            "offerSdp": munge(self.pc.localDescription.sdp), "muted": False})
        self.answer = reply["answerSdp"]
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=self.answer, type="answer"))

    def media_address(self):
        for line in self.answer.splitlines():
            if line.startswith("a=candidate:"):
                parts = line.split()
                return parts[4], int(parts[5])
        raise AssertionError("answer has no candidate")


def mediad_socket(cluster):
    return cluster.mediad_socket(1)


def run(coro):
    return asyncio.run(coro)


def test_audio_flows_both_ways_and_survives_a_datagram_flood(cluster_factory):
    cluster = cluster_factory().start(signald=False, roomd=False)

    async def scenario():
        wire = await WireClient.connect(mediad_socket(cluster))
        alice = DirectPeer(wire, "r1", "alice", 440)
        bob = DirectPeer(wire, "r1", "bob", 660)
        await alice.connect()
        await bob.connect()
        await wire.wait_event("session.state", lambda b: b["participantId"] == "alice" and b["state"] == "connected")
        await wire.wait_event("session.state", lambda b: b["participantId"] == "bob" and b["state"] == "connected")
        await asyncio.sleep(3)
        started = time.monotonic()
        await asyncio.sleep(2)
        for peer, hears, own in ((alice, 660, 440), (bob, 440, 660)):
            levels = tone_levels(peer.recorder.samples_since(started), [hears, own])
            print(f"{peer.participant}: hears {hears} Hz at {levels[hears]:.1f} dB, own {own} Hz at {levels[own]:.1f} dB")
            assert levels[hears] > AUDIBLE_DB, levels
            assert levels[hears] > levels[own] + 20, levels

        # A few thousand hostile datagrams: random bytes, truncated STUN, fake DTLS/RTP.
        host, port = alice.media_address()
        flood = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rng = random.Random(7)
        for i in range(3000):
            first = rng.choice([0, 1, 22, 23, 128, 144, 200, rng.randrange(256)])
            payload = bytes([first]) + rng.randbytes(rng.randrange(0, 300))
            flood.sendto(payload, (host, port))
            if i % 200 == 0:
                await asyncio.sleep(0.01)
        flood.close()
        after = time.monotonic() + 0.5
        await asyncio.sleep(2.5)
        for peer, hears, own in ((alice, 660, 440), (bob, 440, 660)):
            levels = tone_levels(peer.recorder.samples_since(after), [hears, own])
            assert levels[hears] > levels[own] + 20, ("after flood", peer.participant, levels)
        for peer in (alice, bob):
            await peer.pc.close()
        await wire.close()

    run(scenario())
    assert all(m.alive() for m in cluster.mediads)
    metrics = open_url(f"http://127.0.0.1:{cluster.mediad_http_ports[0]}/metrics")
    assert "mediad_packets_dropped_total" in metrics


def test_wrong_fingerprint_fails_the_session(cluster_factory):
    cluster = cluster_factory().start(signald=False, roomd=False)

    async def scenario():
        wire = await WireClient.connect(mediad_socket(cluster))
        mallory = DirectPeer(wire, "r2", "mallory", 500)

        def forge(sdp):
            fingerprint = sdp_value(sdp, "fingerprint")
            algorithm, value = fingerprint.split(" ", 1)
            forged = ":".join("00" for _ in value.split(":"))
            return sdp.replace(fingerprint, f"{algorithm} {forged}")

        await mallory.connect(munge=forge)
        failed = await wire.wait_event("session.state", lambda b: b["participantId"] == "mallory", timeout=20)
        assert failed["state"] == "failed", failed
        assert failed["code"] in ("fingerprint_mismatch", "dtls_failed"), failed
        await mallory.pc.close()
        await wire.close()

    run(scenario())


def test_stun_with_bad_integrity_gets_no_answer(cluster_factory):
    cluster = cluster_factory().start(signald=False, roomd=False)

    async def scenario():
        wire = await WireClient.connect(mediad_socket(cluster))
        peer = DirectPeer(wire, "r3", "carol", 500)
        await peer.connect()
        server_ufrag = sdp_value(peer.answer, "ice-ufrag")
        server_pwd = sdp_value(peer.answer, "ice-pwd")
        client_ufrag = sdp_value(peer.pc.localDescription.sdp, "ice-ufrag")
        host, port = peer.media_address()
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.settimeout(1.0)
        try:
            username = f"{server_ufrag}:{client_ufrag}"
            good, good_tid = binding_request(username, server_pwd)
            probe.sendto(good, (host, port))
            data = probe.recv(1500)
            assert is_success_response(data, good_tid), "a valid check must be answered"
            bad, _ = binding_request(username, server_pwd, corrupt_integrity=True)
            probe.sendto(bad, (host, port))
            try:
                data = probe.recv(1500)
                raise AssertionError(f"bad MESSAGE-INTEGRITY was answered: {data!r}")
            except socket.timeout:
                pass
            wrong_pwd, _ = binding_request(username, "x" * 24)
            probe.sendto(wrong_pwd, (host, port))
            try:
                probe.recv(1500)
                raise AssertionError("a check keyed with the wrong password was answered")
            except socket.timeout:
                pass
        finally:
            probe.close()
        await peer.pc.close()
        await wire.close()

    run(scenario())


def test_offer_without_audio_is_refused_with_a_code(cluster_factory):
    cluster = cluster_factory().start(signald=False, roomd=False)

    async def scenario():
        wire = await WireClient.connect(mediad_socket(cluster))
        video_only = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n"
        for sdp, code in ((video_only, "no_usable_audio"), ("garbage", "invalid_sdp")):
            try:
                await wire.call("session.create", {"roomId": "r", "participantId": "x", "offerSdp": sdp, "muted": False})
                raise AssertionError("offer accepted")
            except Exception as error:  # WireError
                assert getattr(error, "code", None) == code, error
        await wire.close()

    run(scenario())


def open_url(url):
    import urllib.request
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()
