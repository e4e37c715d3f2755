"""Headless Chromium for the web-client tests, driven over the DevTools protocol,
and the loopback-only network namespace it must run in.

The test process itself enters the namespace (setns on its main thread) for the
length of a test, so every service the harness starts, every aiortc peer and every
Chromium is in it without any command prefix, and the harness's REST helpers reach
the services on the namespace's 127.0.0.1. Threads and processes started while
inside inherit the namespace; `leave()` switches back before the namespace is
deleted.
"""
import asyncio
import base64
import ctypes
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

import websockets

CLONE_NEWNET = 0x40000000
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def _setns(fd):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"setns: {os.strerror(errno)}")


def netns_permitted():
    """(ok, reason): creating network namespaces needs root (CAP_SYS_ADMIN)."""
    if os.geteuid() != 0:
        return False, "ip netns needs root"
    if shutil.which("ip") is None:
        return False, "iproute2 (ip) is not installed"
    return True, ""


class NetNamespace:
    """A network namespace holding only an up loopback interface."""

    def __init__(self, name):
        self.name = name
        self._home = None
        self.created = False

    def create(self):
        result = subprocess.run(["ip", "netns", "add", self.name], capture_output=True, text=True)
        if result.returncode != 0:
            raise OSError(f"ip netns add {self.name}: {result.stderr.strip()}")
        self.created = True
        subprocess.run(["ip", "netns", "exec", self.name, "ip", "link", "set", "lo", "up"], check=True)
        return self

    def enter(self):
        self._home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{self.name}", os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)

    def leave(self):
        if self._home is not None:
            _setns(self._home)
            os.close(self._home)
            self._home = None

    def delete(self):
        self.leave()
        if self.created:
            subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
            self.created = False


def make_tone_wav(path, frequency, seconds=60, volume=0.5):
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "1", "-b", "16", path,
                    "synth", str(seconds), "sine", str(frequency), "vol", str(volume)], check=True)
    return path


class Chromium:
    """One headless Chromium process with its own profile and fake-microphone WAV,
    opened on `url`; `evaluate` runs JavaScript in that page."""

    def __init__(self, workdir, url, wav, name="chromium", size=(960, 720)):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix=f"{name}-", dir=workdir)
        self.log_path = os.path.join(self.dir, "chromium.log")
        self.console = []
        self._ids = itertools.count(1)
        self._pending = {}
        self._ws = None
        self._reader = None
        args = [
            CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            f"--user-data-dir={self.dir}", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--autoplay-policy=no-user-gesture-required",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}",
            "--allow-loopback-in-peer-connection",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            f"--window-size={size[0]},{size[1]}",
            url,
        ]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    async def connect(self, timeout=20):
        port_file = os.path.join(self.dir, "DevToolsActivePort")
        deadline = time.monotonic() + timeout
        port = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name}: chromium exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                with open(port_file) as f:
                    port = int(f.readline().strip())
                break
            except (OSError, ValueError):
                await asyncio.sleep(0.05)
        if port is None:
            raise AssertionError(f"{self.name}: no DevToolsActivePort within {timeout}s:\n{self.tail()}")
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                targets = await asyncio.to_thread(_get_json, f"http://127.0.0.1:{port}/json/list")
                page = next((t for t in targets if t.get("type") == "page"), None)
            except OSError:
                pass
            if page is None:
                await asyncio.sleep(0.05)
        if page is None:
            raise AssertionError(f"{self.name}: no page target")
        self._ws = await websockets.connect(page["webSocketDebuggerUrl"], max_size=64 * 2**20)
        self._reader = asyncio.ensure_future(self._read())
        await self.send("Runtime.enable")
        return self

    async def _read(self):
        try:
            async for text in self._ws:
                message = json.loads(text)
                if "id" in message and message["id"] in self._pending:
                    self._pending.pop(message["id"]).set_result(message)
                elif message.get("method") == "Runtime.consoleAPICalled":
                    params = message["params"]
                    args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                    self.console.append(f"{params.get('type')}: {args}")
                elif message.get("method") == "Runtime.exceptionThrown":
                    details = message["params"]["exceptionDetails"]
                    self.console.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        except Exception:
            pass
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"{self.name}: DevTools connection closed"))

    async def send(self, method, params=None, timeout=20):
        id_ = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[id_] = future
        await self._ws.send(json.dumps({"id": id_, "method": method, "params": params or {}}))
        message = await asyncio.wait_for(future, timeout)
        if "error" in message:
            raise AssertionError(f"{self.name}: {method} failed: {message['error']}")
        return message.get("result", {})

    async def evaluate(self, expression, timeout=20):
        """Value of a JavaScript expression (promises are awaited), as JSON."""
        result = await self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                     "returnByValue": True}, timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise AssertionError(f"{self.name}: JS error in {expression!r}: "
                                 f"{details.get('exception', {}).get('description', details.get('text'))}")
        return result["result"].get("value")

    async def wait_for(self, expression, timeout=20, what=None, interval=0.1):
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = await self.evaluate(f"(async () => {{ try {{ return await ({expression}); }} catch (e) {{ return null; }} }})()")
            if value:
                return value
            await asyncio.sleep(interval)
        state = await self.evaluate("window.voiceClient ? JSON.stringify({state: voiceClient.state, "
                                    "error: voiceClient.lastError, conn: voiceClient.connectionState, "
                                    "messages: voiceClient.messages}) : document.location.href")
        raise AssertionError(f"{self.name}: timed out after {timeout}s waiting for {what or expression}; page: {state}")

    async def screenshot(self, path):
        result = await self.send("Page.captureScreenshot", {"format": "png"})
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(result["data"]))
        return path

    def tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    async def close(self):
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _get_json(url):
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.loads(response.read())
