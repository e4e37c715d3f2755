"""Runs a real coturn (Debian's `turnserver`) on loopback for a test, owned by a
`Cluster` so it is stopped with the cluster's other processes, even on failure."""
import os
import re
import shutil
import socket
import time

from parley_harness import free_port, wait_until
from stun import allocate_request, binding_request, parse_message  # noqa: F401

TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"


class Coturn:
    def __init__(self, cluster, secret, realm="parley"):
        self.cluster = cluster
        self.secret = secret
        self.realm = realm
        self.port = free_port(socket.SOCK_DGRAM)
        # A relay port range of its own, away from the ephemeral ports the OS hands out.
        self.min_port = 20000 + (os.getpid() % 200) * 100
        self.max_port = self.min_port + 99
        db = os.path.join(cluster.dir, "turndb")
        self.process = cluster.start_process("coturn", [
            TURNSERVER, "-n",
            f"--listening-ip=127.0.0.1", f"--listening-port={self.port}",
            "--relay-ip=127.0.0.1", f"--min-port={self.min_port}", f"--max-port={self.max_port}",
            "--use-auth-secret", f"--static-auth-secret={secret}", f"--realm={realm}",
            "--fingerprint", "--allow-loopback-peers", "--no-multicast-peers",
            "--no-tls", "--no-dtls", "--no-cli", "--no-tcp-relay",
            f"--userdb={db}", f"--pidfile={os.path.join(cluster.dir, 'turnserver.pid')}",
            "--log-file=stdout", "--simple-log", "--verbose",
        ])
        wait_until(self.answers, timeout=10, what="coturn to answer STUN")

    @property
    def url(self):
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def answers(self):
        if not self.process.alive():
            raise AssertionError("turnserver exited:\n" + self.process.tail())
        request, transaction_id = allocate_request()
        reply = self.request(request, timeout=0.3)
        return reply is not None and reply[8:20] == transaction_id

    def request(self, data, timeout=2.0, sock=None):
        s = sock or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(timeout)
            s.sendto(data, ("127.0.0.1", self.port))
            return s.recv(2048)
        except socket.timeout:
            return None
        finally:
            if sock is None:
                s.close()

    def allocate(self, username, password):
        """Allocate with long-term credentials (the challenge's nonce belongs to
        one client address, so both requests go from one socket): (STUN type,
        attributes) of the final answer."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            challenge, _ = allocate_request()
            _, attrs = parse_message(self.request(challenge, sock=sock))
            realm, nonce = attrs[0x0014].decode(), attrs[0x0015]
            request, transaction_id = allocate_request(username, password, realm, nonce)
            reply = self.request(request, sock=sock)
            assert reply is not None and reply[8:20] == transaction_id, "coturn did not answer the Allocate"
            return parse_message(reply)

    def log(self):
        with open(self.process.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def relay_port(self, port):
        return self.min_port <= port <= self.max_port

    def allocations(self):
        """Relay addresses coturn logged as allocated."""
        return re.findall(r"relay[^\n]*?127\.0\.0\.1:(\d+)", self.log())
