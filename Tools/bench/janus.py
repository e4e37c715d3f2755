"""Janus AudioBridge (Debian `janus`) in a private network namespace, for
side-by-side runs of the same load generator against Parley and Janus.

Janus never gathers ICE candidates on loopback, so it lives in a namespace with
a veth pair whose two ends (10.77.0.1 for Janus, 10.77.0.2 for the generator)
exist only there; its HTTP API listens on the namespace's 127.0.0.1. Both ends
are local addresses of one namespace, hence accept_local=1 and rp_filter=0.
"""
import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import time

from cluster import NICE, run_for_summary, tail_file, wait_until

NAMESPACE = "parley-janus"
JANUS_IP, GENERATOR_IP = "10.77.0.1", "10.77.0.2"
HTTP_PORT = 8088
LIB = "/usr/lib/x86_64-linux-gnu/janus"


def ensure_installed():
    """True when `janus` is there, installing it from the Debian mirror if needed."""
    if shutil.which("janus"):
        return True
    print("installing janus (apt-get install -y janus) ...", flush=True)
    result = subprocess.run(["apt-get", "install", "-y", "janus"], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"note: could not install janus: {result.stderr.strip()[-300:]}")
    return shutil.which("janus") is not None


def ns(*command):
    return ["ip", "netns", "exec", NAMESPACE] + [str(c) for c in command]


def sh(command):
    subprocess.run(command, check=True, capture_output=True)


def write_config(folder):
    """janus.jcfg plus the HTTP transport's and AudioBridge's configs. Private plugin
    and transport folders holding one library each keep every other module unloaded."""
    for kind, library in (("plugins", "libjanus_audiobridge.so"), ("transports", "libjanus_http.so")):
        os.makedirs(os.path.join(folder, kind))
        os.symlink(os.path.join(LIB, kind, library), os.path.join(folder, kind, library))
    os.makedirs(os.path.join(folder, "none"))
    files = {
        "janus.jcfg": f"""general: {{
    configs_folder = "{folder}"
    plugins_folder = "{folder}/plugins"
    transports_folder = "{folder}/transports"
    events_folder = "{folder}/none"
    loggers_folder = "{folder}/none"
    debug_level = 3
    session_timeout = 60
}}
media: {{
    rtp_port_range = "20000-40000"
}}
nat: {{
    nice_debug = false
    ice_enforce_list = "{JANUS_IP}"
}}
events: {{
    broadcast = false
}}
""",
        "janus.transport.http.jcfg": f"""general: {{
    json = "plain"
    base_path = "/janus"
    http = true
    port = {HTTP_PORT}
    ip = "127.0.0.1"
    https = false
}}
admin: {{
    admin_http = false
    admin_https = false
}}
""",
        "janus.plugin.audiobridge.jcfg": "general: {\n}\n",
    }
    for name, text in files.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)


class JanusCluster:
    """The namespace and one Janus process pinned to `core`; `cleanup` undoes both."""

    def __init__(self, core="1"):
        self.core = core
        self.dir = tempfile.mkdtemp(prefix="parley-janus-")
        self.proc = None
        self.log_path = os.path.join(self.dir, "janus.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{HTTP_PORT}/janus"

    @property
    def pid(self):
        return self.proc.pid

    def make_namespace(self):
        subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)  # left over by a killed run
        sh(["ip", "netns", "add", NAMESPACE])
        sh(ns("ip", "link", "set", "lo", "up"))
        sh(ns("ip", "link", "add", "pj0", "type", "veth", "peer", "name", "pj1"))
        sh(ns("ip", "addr", "add", f"{JANUS_IP}/24", "dev", "pj0"))
        sh(ns("ip", "addr", "add", f"{GENERATOR_IP}/24", "dev", "pj1"))
        sh(ns("ip", "link", "set", "pj0", "up"))
        sh(ns("ip", "link", "set", "pj1", "up"))
        for key in ("all.accept_local=1", "all.rp_filter=0", "default.rp_filter=0", "pj0.rp_filter=0", "pj1.rp_filter=0"):
            sh(ns("sysctl", "-w", f"net.ipv4.conf.{key}"))

    def start(self):
        # atexit covers a bench killed between runs; a failed start cleans up at once.
        atexit.register(self.cleanup)
        try:
            return self._start()
        except BaseException:
            self.cleanup()
            raise

    def _start(self):
        self.make_namespace()
        write_config(self.dir)
        log = open(self.log_path, "wb")
        # `ip netns exec`, nice and taskset all exec: the pid is Janus's own.
        self.proc = subprocess.Popen(ns(*NICE, "taskset", "-c", self.core, "janus", "-F", self.dir,
                                        "-C", os.path.join(self.dir, "janus.jcfg"), "--disable-colors"),
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

        def answers():
            if self.proc.poll() is not None:
                raise RuntimeError("janus exited:\n" + self.tail())
            probe = subprocess.run(ns("python3", "-c", "import urllib.request; print(urllib.request.urlopen("
                                      f"'{self.url}/info', timeout=1).status)"), capture_output=True, text=True)
            return probe.stdout.strip() == "200"
        wait_until(answers, 30, "janus HTTP API")
        return self

    def tail(self, lines=20):
        return tail_file(self.log_path, lines)

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        atexit.unregister(self.cleanup)


def run_loadgen_janus(bin_dir, janus, core, args, timeout):
    """The same load generator inside the namespace against Janus; its JSON summary or None."""
    out = os.path.join(janus.dir, f"loadgen-{time.monotonic_ns()}.json")
    command = ns(*NICE, "taskset", "-c", core, os.path.join(bin_dir, "loadgen"),
                 "--janus", janus.url, "--bind-address", GENERATOR_IP, "--quiet", "--realtime-clock",
                 "--mediad-pid", janus.pid, "--json", out, *args)
    return run_for_summary(command, out, timeout, "loadgen (janus)", janus.pid)
