"""A real WebRTC participant built on aiortc: joins through REST + WebSocket exactly
as a browser would, sends a sine tone and records what it receives."""
import asyncio
import fractions
import json
import time

import aioice.ice
import numpy as np
import websockets
from aiortc import (MediaStreamTrack, RTCConfiguration, RTCIceServer, RTCIceTransportPolicy, RTCPeerConnection,
                    RTCSessionDescription)
from av import AudioFrame

# aioice drops 127.0.0.1 from host candidates; the tests only use loopback.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

SAMPLE_RATE = 48000
FRAME = 960


class ToneTrack(MediaStreamTrack):
    """20 ms frames of a sine (or silence while `silent`), paced in real time."""
    kind = "audio"

    def __init__(self, frequency, amplitude=0.3):
        super().__init__()
        self.frequency = frequency
        self.amplitude = amplitude
        self.silent = False
        self._pts = 0
        self._start = None

    async def recv(self):
        if self._start is None:
            self._start = time.monotonic()
        target = self._start + self._pts / SAMPLE_RATE
        delay = target - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        t = (np.arange(FRAME) + self._pts) / SAMPLE_RATE
        samples = np.zeros(FRAME) if self.silent else self.amplitude * np.sin(2 * np.pi * self.frequency * t)
        frame = AudioFrame.from_ndarray((samples * 32767).astype(np.int16).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        self._pts += FRAME
        return frame


class Recorder:
    """Collects received audio as mono float samples with arrival times."""

    def __init__(self):
        self.chunks = []
        self.first_audio_at = None

    async def run(self, track):
        while True:
            try:
                frame = await track.recv()
            except Exception:
                return
            data = frame.to_ndarray().astype(np.float32) / 32768.0
            channels = len(frame.layout.channels)
            mono = data.reshape(-1, channels).mean(axis=1) if channels > 1 else data.reshape(-1)
            if self.first_audio_at is None and np.abs(mono).max() > 0.01:
                self.first_audio_at = time.monotonic()
            self.chunks.append((time.monotonic(), mono))

    def samples_since(self, since):
        parts = [chunk for at, chunk in self.chunks if at >= since]
        return np.concatenate(parts) if parts else np.zeros(0)


def selected_pair(pc):
    """(local candidate type, local address, remote address) of the pair aioice
    nominated for the audio transport, or None before ICE completes."""
    for transceiver in pc.getTransceivers():
        connection = transceiver.sender.transport.transport._connection
        pair = connection._nominated.get(1)
        if pair is not None:
            return pair.local_candidate.type, pair.local_addr, pair.remote_addr
    return None


def local_candidate_types(pc):
    types = []
    for transceiver in pc.getTransceivers():
        types += [c.type for c in transceiver.sender.transport.transport.iceGatherer.getLocalCandidates()]
    return types


def tone_levels(samples, frequencies, rate=SAMPLE_RATE):
    """dB level of each frequency (±3 Hz peak) in the spectrum of `samples`."""
    if len(samples) < rate // 2:
        return {f: -200.0 for f in frequencies}
    window = np.hanning(len(samples))
    spectrum = np.abs(np.fft.rfft(samples * window)) / len(samples)
    bin_hz = rate / len(samples)
    levels = {}
    for f in frequencies:
        lo, hi = int((f - 3) / bin_hz), int((f + 3) / bin_hz) + 1
        levels[f] = 20 * np.log10(spectrum[lo:hi].max() + 1e-12)
    return levels


class Peer:
    """One participant: REST join → WebSocket join → offer/answer → media."""

    def __init__(self, cluster, room_id, name, frequency, pin=None, ice_servers=None, relay_only=False):
        self.cluster = cluster
        self.room_id = room_id
        self.name = name
        self.frequency = frequency
        self.pin = pin
        self.ice_servers = ice_servers
        self.relay_only = relay_only
        self.events = []
        self.ws = None
        self.pc = None
        self.recorder = Recorder()
        self.track = ToneTrack(frequency)
        self.joined_at = None
        self.participant_id = None
        self.closed = asyncio.Event()
        self._reader = None
        self._recording = None

    async def join(self, join_response=None):
        join = join_response or await asyncio.to_thread(self.cluster.join, self.room_id, self.name, self.pin)
        self.join_response = join
        self.participant_id = join["participantId"]
        self.joined_at = time.monotonic()
        self.ws = await websockets.connect(join["signalingUrl"], max_size=2**20)
        await self.send({"type": "join", "token": join["token"]})
        joined = await self.wait_for("joined")
        servers = []
        if self.ice_servers is not None:
            servers = [RTCIceServer(**s) for s in self.ice_servers]
        config = RTCConfiguration(iceServers=servers)
        if self.relay_only:  # like a browser's iceTransportPolicy "relay": TURN relay candidates only
            config = RTCConfiguration(iceServers=servers, iceTransportPolicy=RTCIceTransportPolicy.RELAY)
        self.pc = RTCPeerConnection(config)
        self.pc.addTrack(self.track)

        @self.pc.on("track")
        def on_track(track):
            self._recording = asyncio.ensure_future(self.recorder.run(track))

        await self.pc.setLocalDescription(await self.pc.createOffer())
        await self.send({"type": "offer", "sdp": self.pc.localDescription.sdp})
        answer = await self.wait_for("answer")
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
        return joined

    async def send(self, message):
        await self.ws.send(json.dumps(message))

    async def _read(self):
        try:
            async for text in self.ws:
                self.events.append(json.loads(text))
        except Exception:
            pass
        finally:
            self.closed.set()

    async def wait_for(self, type_, timeout=15, predicate=lambda m: True, start=0):
        if self._reader is None:
            self._reader = asyncio.ensure_future(self._read())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.events[start:]:
                if message.get("type") == type_ and predicate(message):
                    return message
            if self.closed.is_set() and not any(m.get("type") == type_ and predicate(m) for m in self.events[start:]):
                break
            await asyncio.sleep(0.02)
        raise AssertionError(f"{self.name}: no {type_!r} within {timeout}s; got {[m.get('type') for m in self.events]}")

    def time_to_first_audio(self):
        if self.recorder.first_audio_at is None:
            return None
        return self.recorder.first_audio_at - self.joined_at

    async def close(self):
        if self.pc is not None:
            await self.pc.close()
        if self.ws is not None:
            await self.ws.close()
        for task in (self._reader, self._recording):
            if task is not None:
                task.cancel()
