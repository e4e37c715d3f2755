#!/usr/bin/env python3
"""Writes the seed corpus for the libFuzzer targets into DIR/<Target>/: the SDP and
candidate fixtures of the MediaCore tests, and hand-built STUN, RTP/RTCP and Wire
frames (valid ones; libFuzzer mutates from there)."""
import json
import os
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "Tests", "e2e"))
from stun import binding_request  # noqa: E402

FIXTURES = os.path.join(ROOT, "Tests", "MediaCoreTests", "Fixtures")


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def main(out):
    sdp_dir = os.path.join(out, "FuzzSdp")
    for name in sorted(os.listdir(FIXTURES)):
        with open(os.path.join(FIXTURES, name), "rb") as f:
            text = f.read()
        write(sdp_dir, name, text)
        if name.endswith("candidates.txt"):
            for i, line in enumerate(text.splitlines()):
                write(sdp_dir, f"candidate-{i}", line)

    stun_dir = os.path.join(out, "FuzzStun")
    request, _ = binding_request("srvufrag:cliufrag", "fuzz-password-fuzz-pass")
    write(stun_dir, "binding-request", request)
    write(stun_dir, "binding-request-bad-integrity",
          binding_request("a:b", "fuzz-password-fuzz-pass", corrupt_integrity=True)[0])
    tid = bytes(range(12))
    xor_port = 40000 ^ 0x2112
    xor_ip = bytes(a ^ b for a, b in zip(bytes([127, 0, 0, 1]), bytes.fromhex("2112A442")))
    attr = struct.pack(">HHBBH", 0x0020, 8, 0, 1, xor_port) + xor_ip
    write(stun_dir, "binding-success", struct.pack(">HHI", 0x0101, len(attr), 0x2112A442) + tid + attr)
    error = struct.pack(">HHI", 0x0009, 0, 0) + b"Unauthorized"
    attr = struct.pack(">HH", 0x0009, len(error)) + error
    write(stun_dir, "binding-error", struct.pack(">HHI", 0x0111, len(attr), 0x2112A442) + tid + attr)

    rtp_dir = os.path.join(out, "FuzzRtp")
    header = struct.pack(">BBHII", 0x80, 111, 1, 960, 0x11223344)
    write(rtp_dir, "rtp-opus", header + b"\xfc\xff\xfe")
    ext = struct.pack(">HH", 0xBEDE, 1) + bytes([0x10, 0x85, 0, 0])
    write(rtp_dir, "rtp-audio-level", struct.pack(">BBHII", 0x90, 0xEF, 2, 1920, 0x11223344) + ext + b"\xfc\xff")
    write(rtp_dir, "rtp-csrc-padding", struct.pack(">BBHIII", 0xA1, 111, 3, 2880, 1, 2) + b"\x01\x02\x00\x00\x03")
    sr = struct.pack(">BBHI", 0x81, 200, 12, 0x11223344) + struct.pack(">IIIII", 1, 2, 3, 4, 5) + \
        struct.pack(">IIIIII", 0x55667788, 0, 7, 0, 0, 0)
    sdes_item = b"\x01\x04abcd\x00\x00"
    sdes = struct.pack(">BBHI", 0x81, 202, 3, 0x11223344) + sdes_item
    write(rtp_dir, "rtcp-sr-sdes", sr + sdes)
    write(rtp_dir, "rtcp-rr", struct.pack(">BBHI", 0x80, 201, 1, 0x11223344))
    write(rtp_dir, "rtcp-bye", struct.pack(">BBHI", 0x81, 203, 1, 0x11223344))

    wire_dir = os.path.join(out, "FuzzWireFrame")
    envelopes = [
        {"v": 1, "kind": "request", "id": 1, "method": "session.create",
         "body": {"roomId": "r", "participantId": "p", "offerSdp": "v=0", "muted": False}},
        {"v": 1, "kind": "reply", "id": 1, "method": "session.create", "body": {"answerSdp": "v=0"}},
        {"v": 1, "kind": "reply", "id": 2, "method": "x", "error": {"code": "no_room", "message": "m"}},
        {"v": 1, "kind": "event", "method": "mediad.heartbeat", "body": {}},
    ]
    for i, envelope in enumerate(envelopes):
        data = json.dumps(envelope).encode()
        write(wire_dir, f"frame-{i}", struct.pack(">I", len(data)) + data)
    data = b"".join(struct.pack(">I", len(json.dumps(e))) + json.dumps(e).encode() for e in envelopes)
    write(wire_dir, "frames-all", data)


if __name__ == "__main__":
    main(sys.argv[1])
