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


# ---- TURN (RFC 8656) Allocate with long-term credentials, to probe coturn ----

def _message(kind, attrs, transaction_id, key=None):
    """A STUN message with MESSAGE-INTEGRITY (when `key`) and FINGERPRINT."""
    if key is not None:
        header = struct.pack(">HHI", kind, len(attrs) + 24, MAGIC) + transaction_id
        attrs += _attribute(0x0008, hmac.new(key, header + attrs, hashlib.sha1).digest())
    header = struct.pack(">HHI", kind, len(attrs) + 8, MAGIC) + transaction_id
    crc = (zlib.crc32(header + attrs) ^ 0x5354554E) & 0xFFFFFFFF
    return header + attrs + _attribute(0x8028, struct.pack(">I", crc))


def allocate_request(username=None, password=None, realm=None, nonce=None, transaction_id=None):
    """A TURN Allocate for a UDP relay; unauthenticated without `username`."""
    transaction_id = transaction_id or os.urandom(12)
    attrs = _attribute(0x0019, bytes([17, 0, 0, 0]))          # REQUESTED-TRANSPORT: UDP
    key = None
    if username is not None:
        attrs += _attribute(0x0006, username.encode())       # USERNAME
        attrs += _attribute(0x0014, realm.encode())          # REALM
        attrs += _attribute(0x0015, nonce)                   # NONCE
        key = hashlib.md5(f"{username}:{realm}:{password}".encode()).digest()
    return _message(0x0003, attrs, transaction_id, key), transaction_id


def parse_message(data):
    """(message type, {attribute type: value}) of a STUN message."""
    kind, length = struct.unpack(">HH", data[:4])
    attrs, offset = {}, 20
    while offset + 4 <= 20 + length:
        attr, size = struct.unpack(">HH", data[offset:offset + 4])
        attrs[attr] = data[offset + 4:offset + 4 + size]
        offset += 4 + size + (4 - size % 4) % 4
    return kind, attrs


def error_code(attrs):
    """The ERROR-CODE attribute's number (e.g. 401), or None."""
    value = attrs.get(0x0009)
    return None if value is None else (value[2] & 0x7) * 100 + value[3]


def turn_rest_credentials(secret, username):
    """coturn's `use-auth-secret` password for a REST-API username."""
    import base64
    return base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()
