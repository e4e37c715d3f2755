"""Builds STUN Binding requests by hand (RFC 8489) to probe mediad's checks."""
import hashlib
import hmac
import os
import struct
import zlib

MAGIC = 0x2112A442


def _attribute(kind, value):
    padded = value + b"\x00" * ((4 - len(value) % 4) % 4)
    return struct.pack(">HH", kind, len(value)) + padded


def binding_request(username, password, transaction_id=None, corrupt_integrity=False):
    transaction_id = transaction_id or os.urandom(12)
    attrs = _attribute(0x0006, username.encode())           # USERNAME
    attrs += _attribute(0x0024, struct.pack(">I", 1862270975))  # PRIORITY
    attrs += _attribute(0x802A, os.urandom(8))               # ICE-CONTROLLING
    # MESSAGE-INTEGRITY over the header with the length covering it.
    length = len(attrs) + 24
    header = struct.pack(">HHI", 0x0001, length, MAGIC) + transaction_id
    mac = hmac.new(password.encode(), header + attrs, hashlib.sha1).digest()
    if corrupt_integrity:
        mac = bytes([mac[0] ^ 0xFF]) + mac[1:]
    attrs += _attribute(0x0008, mac)
    length = len(attrs) + 8
    header = struct.pack(">HHI", 0x0001, length, MAGIC) + transaction_id
    crc = (zlib.crc32(header + attrs) ^ 0x5354554E) & 0xFFFFFFFF
    attrs += _attribute(0x8028, struct.pack(">I", crc))
    return header + attrs, transaction_id


def is_success_response(data, transaction_id):
    return len(data) >= 20 and data[0:2] == b"\x01\x01" and data[8:20] == transaction_id


def sdp_value(sdp, name):
    for line in sdp.splitlines():
        if line.startswith(f"a={name}:"):
            return line.split(":", 1)[1].strip()
    return None
