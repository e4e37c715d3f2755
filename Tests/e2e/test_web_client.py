"""The web client (Clients/web, served by roomd) in real headless Chromium against the
real services, with aiortc participants as independent ears and voices.

Everything runs in a fresh network namespace holding only loopback: the test process
enters it for the length of each test (see browser.py), so the services, the aiortc
peers and Chromium all share the namespace's 127.0.0.1 and nothing leaves the host.
"""
import asyncio
import itertools
import os
import time

import pytest

from aiortc_peer import AUDIBLE_DB, Peer, tone_levels
from browser import Chromium, NetNamespace, make_tone_wav, netns_permitted
from parley_harness import wait_until

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WEB_ROOT = os.path.join(ROOT, "Clients", "web")
OUTPUT = os.path.join(ROOT, "test-output")

_permitted, _why = netns_permitted()
pytestmark = pytest.mark.skipif(not _permitted, reason=f"browser tests need a network namespace: {_why}")

_names = itertools.count(1)


@pytest.fixture
def netns():
    """A loopback-only network namespace the test process is inside of until teardown;
    always left and deleted, also when the test fails."""
    ns = NetNamespace(f"parley-web-{os.getpid()}-{next(_names)}")
    try:
        ns.create()
        ns.enter()
        yield ns
    finally:
        ns.delete()


class Web:
    """A cluster whose roomd serves this worktree's web client, and the browsers opened on it."""

    def __init__(self, cluster, workdir):
        self.cluster = cluster
        self.workdir = workdir
        self.browsers = []

    def page_url(self, room_id, name, **extra):
        query = "&".join(f"{k}={v}" for k, v in {"room": room_id, "name": name, "autojoin": 1, **extra}.items())
        return f"{self.cluster.roomd_url}/?{query}"

    async def browser(self, room_id, name, tone):
        wav = make_tone_wav(os.path.join(self.workdir, f"tone-{tone}.wav"), tone)
        browser = Chromium(self.workdir, self.page_url(room_id, name), wav, name=name)
        self.browsers.append(browser)
        await browser.connect()
        return browser

    async def connected_browser(self, room_id, name, tone):
        browser = await self.browser(room_id, name, tone)
        await browser.wait_for("voiceClient.state === 'connected'", timeout=25, what=f"{name} connected")
        return browser


@pytest.fixture
def web(netns, cluster_factory, tmp_path, request):
    cluster = cluster_factory(extra_env={"ROOMD_WEB_ROOT": WEB_ROOT}).start()
    harness = Web(cluster, str(tmp_path))
    try:
        yield harness
    finally:
        report = getattr(request.node, "rep_call", None)
        for browser in harness.browsers:
            if report is not None and report.failed:
                print(f"----- {browser.name}: page console -----")
                print("\n".join(browser.console[-40:]))
                print(f"----- {browser.name}: chromium log tail -----")
                print(browser.tail())
            browser.kill()


async def hear(peer, seconds=2.0, tones=(440, 520, 600, 750)):
    started = time.monotonic()
    await asyncio.sleep(seconds)
    levels = tone_levels(peer.recorder.samples_since(started), list(tones))
    print(f"{peer.name} hears: " + ", ".join(f"{f} Hz {level:.1f} dB" for f, level in levels.items()))
    return levels


async def inbound(browser):
    return await browser.evaluate("voiceClient.stats().then(s => s && s.inbound)")


async def assert_browser_receives(browser):
    first = await inbound(browser)
    await asyncio.sleep(1.5)
    second = await inbound(browser)
    print(f"{browser.name} inbound-rtp: {first} -> {second}")
    assert first and second, (browser.name, "no inbound-rtp audio stats")
    assert second["packetsReceived"] > first["packetsReceived"] + 25, (browser.name, first, second)
    assert second["totalAudioEnergy"] > first["totalAudioEnergy"] > 0, (browser.name, first, second)


def run(coroutine):
    asyncio.run(asyncio.wait_for(coroutine, timeout=120))


def test_browser_joins_and_exchanges_audio_with_aiortc(web):
    room = web.cluster.create_room("web-one")

    async def scenario():
        browser = await web.connected_browser(room["id"], "Dana", 600)
        peer = Peer(web.cluster, room["id"], "ada", 440)
        try:
            await peer.join()
            state = await browser.evaluate("({id: voiceClient.participantId, pc: voiceClient.pc.connectionState})")
            assert state["id"] and state["pc"] == "connected", state
            await browser.wait_for("voiceClient.participants.some(p => p.displayName === 'ada')", 10,
                                   what="ada in the page's participant list")
            await asyncio.sleep(2)
            levels = await hear(peer)
            assert levels[600] > AUDIBLE_DB, ("aiortc does not hear the browser", levels)
            await assert_browser_receives(browser)
            # Chromium's audio, both ways, went through Parley's OpenSSL AES-GCM RTP path.
            assert web.cluster.srtp_profile(state["id"]) == "SRTP_AEAD_AES_128_GCM"
        finally:
            await peer.close()
            await browser.close()

    run(scenario())


def test_two_browsers_hear_each_other(web):
    room = web.cluster.create_room("web-two")

    async def scenario():
        first = await web.connected_browser(room["id"], "Dana", 600)
        second = await web.connected_browser(room["id"], "Eli", 750)
        listener = Peer(web.cluster, room["id"], "cy", 440)
        try:
            await listener.join()
            await asyncio.sleep(2)
            levels = await hear(listener)
            assert levels[600] > AUDIBLE_DB and levels[750] > AUDIBLE_DB, ("the third participant does not hear both browsers", levels)
            # Each browser receives a mix with energy in it (the other browser and the aiortc tone).
            await assert_browser_receives(first)
            await assert_browser_receives(second)
            names = await first.evaluate("voiceClient.participants.map(p => p.displayName).sort()")
            assert names == ["Eli", "cy"], names
        finally:
            await listener.close()
            for browser in (first, second):
                await browser.close()

    run(scenario())


def test_mute_silences_and_leave_removes(web):
    room = web.cluster.create_room("web-mute")

    async def scenario():
        browser = await web.connected_browser(room["id"], "Dana", 600)
        peer = Peer(web.cluster, room["id"], "ada", 440)
        try:
            await peer.join()
            browser_id = await browser.evaluate("voiceClient.participantId")
            await asyncio.sleep(2)
            before = await hear(peer)
            assert before[600] > AUDIBLE_DB, ("aiortc does not hear the browser before mute", before)

            mark = len(peer.events)
            await browser.evaluate("document.getElementById('mute').click()")
            ui = await browser.evaluate("({muted: voiceClient.muted, enabled: voiceClient.localStream.getAudioTracks()[0].enabled,"
                                        " pressed: document.getElementById('mute').getAttribute('aria-pressed'),"
                                        " label: document.getElementById('mute').textContent})")
            assert ui == {"muted": True, "enabled": False, "pressed": "true", "label": "Unmute"}, ui
            await peer.wait_for("participant-updated", start=mark,
                                predicate=lambda m: m["participant"]["id"] == browser_id and m["participant"]["muted"])
            await asyncio.sleep(1)
            after = await hear(peer)
            assert after[600] < before[600] - 30, ("browser still audible after mute", before, after)
            listed = {p["id"]: p for p in web.cluster.participants(room["id"])}
            assert listed[browser_id]["muted"] is True, listed

            await browser.evaluate("document.getElementById('leave').click()")
            assert await browser.evaluate("voiceClient.state") == "left"
            wait_until(lambda: browser_id not in [p["id"] for p in web.cluster.participants(room["id"])],
                       timeout=5, what="browser gone from GET participants after leave")
            await peer.wait_for("participant-left", predicate=lambda m: m["participantId"] == browser_id)
        finally:
            await peer.close()
            await browser.close()

    run(scenario())


def test_call_view_screenshot_with_three_participants(web):
    room = web.cluster.create_room("web-view")

    async def scenario():
        browser = await web.connected_browser(room["id"], "Dana", 600)
        ada = Peer(web.cluster, room["id"], "Ada", 440)
        bob = Peer(web.cluster, room["id"], "Bob", 520)
        try:
            await ada.join()
            bob.track.silent = True
            await bob.join()
            await bob.send({"type": "mute", "muted": True})
            await browser.wait_for(
                "(() => { const items = [...document.querySelectorAll('#participants li')];"
                " const by = n => items.find(li => li.querySelector('.name').textContent.startsWith(n));"
                " return items.length === 3 && by('Ada') && by('Ada').dataset.talking === 'true'"
                " && by('Bob') && by('Bob').dataset.muted === 'true'"
                " && by('Dana') && by('Dana').dataset.talking === 'true'; })()",
                timeout=15, what="three participants with Ada and Dana talking and Bob muted")
            await asyncio.sleep(0.5)
            path = await browser.screenshot(os.path.join(OUTPUT, "call-view.png"))
            print(f"screenshot: {path}")
            assert os.path.getsize(path) > 5000
        finally:
            for peer in (ada, bob):
                await peer.close()
            await browser.close()

    run(scenario())


def test_admin_page_lists_rooms_and_media_servers(web):
    room = web.cluster.create_room("web-admin")

    async def scenario():
        wav = make_tone_wav(os.path.join(web.workdir, "tone-admin.wav"), 600, seconds=2)
        browser = Chromium(web.workdir, f"{web.cluster.roomd_url}/admin", wav, name="admin")
        web.browsers.append(browser)
        await browser.connect()
        try:
            await browser.wait_for("window.parleyAdminReady === true", 15, what="admin page script")
            await browser.evaluate(f"document.getElementById('key').value = {web.cluster.admin_key!r};"
                                   " document.getElementById('login-form').requestSubmit(); true")
            await browser.wait_for(f"document.querySelector('tr[data-room=\"{room['id']}\"]') !== null", 15,
                                   what="room row in the admin page")
            await browser.wait_for("document.getElementById('media').textContent.includes('healthy')", 10,
                                   what="media server row")
            assert await browser.evaluate("sessionStorage.getItem('parley.adminKey')") == web.cluster.admin_key
            # Create a room through the form; the API then lists it.
            await browser.evaluate("document.getElementById('new-name').value = 'made-in-browser';"
                                   " document.getElementById('create-form').requestSubmit(); true")
            wait_until(lambda: "made-in-browser" in [r["name"] for r in web.cluster.api("GET", "/v1/rooms", admin=True)[1]["rooms"]],
                       timeout=5, what="room created from the admin page")
        finally:
            await browser.close()

    run(scenario())


def test_unknown_room_shows_a_clear_error(web):
    async def scenario():
        browser = await web.browser("no-such-room", "Dana", 600)
        try:
            await browser.wait_for("voiceClient.state === 'error'", 15, what="error state")
            shown = await browser.evaluate("({code: voiceClient.lastError.code, visible: !document.getElementById('notice').hidden,"
                                           " text: document.getElementById('notice-text').textContent})")
            assert shown["code"] == "room_not_found" and shown["visible"], shown
            assert "no room" in shown["text"].lower(), shown
        finally:
            await browser.close()

    run(scenario())
