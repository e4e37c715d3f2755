"""The deployment files, checked without a Docker engine: docker-compose.yml
must be valid for `docker-compose config`, and every service setting named in
docker-compose.yml, the Dockerfile and the deployment scripts must be one the
services actually read, and documented in README.md."""
import os
import re
import shutil
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PREFIXES = ("VOICE_", "ROOMD_", "SIGNALD_", "MEDIAD_")
NAME = re.compile(r"\b((?:VOICE|ROOMD|SIGNALD|MEDIAD)_[A-Z0-9_]+)\b")
# Values the compose file interpolates from the operator's environment (not service settings).
COMPOSE_ENV = {"TURN_SECRET": "test-secret", "PARLEY_PUBLIC_IP": "203.0.113.7"}


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def names_read_by_services():
    """Every "NAME" string literal with a service prefix in the Swift sources."""
    literal = re.compile(r'"((?:VOICE|ROOMD|SIGNALD|MEDIAD)_[A-Z0-9_]+)"')
    names = set()
    for top in ("Services", "Shared"):
        for directory, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if name.endswith(".swift"):
                    with open(os.path.join(directory, name), encoding="utf-8") as f:
                        names.update(literal.findall(f.read()))
    return names


def service_block(rendered, service):
    """The lines of one service in `docker-compose config` output (services are indented two spaces)."""
    match = re.search(rf"^  {service}:\n((?:    .*\n|\n)*)", rendered, re.M)
    assert match, (service, rendered)
    return match.group(1)


def compose_config(env_overrides=None):
    env = dict(os.environ, **COMPOSE_ENV, **(env_overrides or {}))
    return subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed (scripts/setup.sh installs it)")
def test_compose_file_is_valid_and_complete():
    result = compose_config()
    assert result.returncode == 0, result.stderr
    rendered = result.stdout
    for service in ("roomd:", "signald:", "mediad:", "coturn:"):
        assert f"\n  {service}\n" in rendered, (service, rendered)
    # One secret for both sides of the TURN REST-API credentials.
    assert "ROOMD_TURN_SECRET: test-secret" in rendered
    assert "--static-auth-secret=test-secret" in rendered
    assert "MEDIAD_ANNOUNCED_IP: 203.0.113.7" in rendered
    assert "turn:203.0.113.7:3478" in rendered
    # Scaling mediad needs no per-replica settings: ranges, no fixed id.
    mediad = service_block(rendered, "mediad")
    assert re.search(r"MEDIAD_UDP: \S+:\d+-\d+", mediad), mediad
    assert re.search(r"MEDIAD_HTTP: \S+:\d+-\d+", mediad), mediad
    assert "MEDIAD_ID" not in mediad and "container_name" not in mediad, mediad
    assert rendered.count("healthcheck:") >= 4 and rendered.count("restart: unless-stopped") >= 4


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_refuses_to_run_without_a_turn_secret():
    env = {k: v for k, v in os.environ.items() if k != "TURN_SECRET"}
    result = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "TURN_SECRET" in result.stderr, result.stderr


def test_every_setting_in_the_deployment_files_is_read_by_a_service():
    read_names = names_read_by_services()
    used = {}
    for path in ("docker-compose.yml", "Dockerfile", os.path.join("deploy", "mediad-entrypoint.sh"),
                 os.path.join("deploy", "healthcheck.sh")):
        for name in NAME.findall(read(path)):
            used.setdefault(name, set()).add(path)
    assert used, "no service settings found in the deployment files"
    unknown = {name: sorted(paths) for name, paths in used.items() if name not in read_names}
    assert not unknown, f"settings no service reads (typo, or the service lost it): {unknown}"


def test_every_documented_setting_is_in_the_readme():
    readme = read("README.md")
    contract = {
        # The public contract's configuration table (API.md).
        "VOICE_SOCKET_DIR", "VOICE_LOG_LEVEL", "ROOMD_HTTP", "ROOMD_DB", "ROOMD_TOKEN_TTL", "ROOMD_ADMIN_KEY",
        "ROOMD_SIGNAL_URL", "ROOMD_TURN_URLS", "ROOMD_TURN_SECRET", "SIGNALD_HTTP", "SIGNALD_ALLOWED_ORIGINS",
        "MEDIAD_ID", "MEDIAD_UDP", "MEDIAD_ANNOUNCED_IP", "MEDIAD_HTTP"}
    missing = sorted(name for name in contract if f"`{name}`" not in readme)
    assert not missing, f"README.md does not document: {missing}"
    # And the deployment section explains the operator-facing values.
    for word in ("PARLEY_PUBLIC_IP", "TURN_SECRET", "--scale mediad", "docker-compose up"):
        assert word in readme, word
