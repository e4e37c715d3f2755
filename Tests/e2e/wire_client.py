"""A minimal client of Parley's Unix-socket Wire protocol, for tests that talk to
mediad directly: 4-byte big-endian length + JSON envelope {v, kind, id, method, body}."""
import asyncio
import itertools
import json
import struct


class WireClient:
    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.ids = itertools.count(1)
        self.pending = {}
        self.events = []
        self._task = asyncio.ensure_future(self._read())

    @classmethod
    async def connect(cls, path):
        reader, writer = await asyncio.open_unix_connection(path)
        return cls(reader, writer)

    def send_frame(self, envelope):
        data = json.dumps(envelope).encode()
        self.writer.write(struct.pack(">I", len(data)) + data)

    async def call(self, method, body, timeout=10):
        call_id = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        self.send_frame({"v": 1, "kind": "request", "id": call_id, "method": method, "body": body})
        reply = await asyncio.wait_for(future, timeout)
        if reply.get("error"):
            raise WireError(reply["error"]["code"], reply["error"]["message"])
        return reply.get("body")

    async def _read(self):
        try:
            while True:
                header = await self.reader.readexactly(4)
                (length,) = struct.unpack(">I", header)
                envelope = json.loads(await self.reader.readexactly(length))
                if envelope["kind"] == "reply" and envelope.get("id") in self.pending:
                    self.pending.pop(envelope["id"]).set_result(envelope)
                elif envelope["kind"] == "event":
                    self.events.append((envelope["method"], envelope.get("body")))
        except (asyncio.IncompleteReadError, ConnectionError):
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("wire connection closed"))

    async def wait_event(self, method, predicate=lambda body: True, timeout=10):
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for name, body in self.events:
                if name == method and predicate(body):
                    return body
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {method} event within {timeout}s; got {[n for n, _ in self.events]}")

    async def close(self):
        self._task.cancel()
        self.writer.close()


class WireError(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
