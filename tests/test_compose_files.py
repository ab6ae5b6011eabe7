"""The compose files' hardening, read from the parsed YAML (part of `make test`, offline).

Every service of compose.yaml and compose.grafana.yaml has CPU and memory limits, a read-only
root, every capability dropped and no-new-privileges; what a service writes is a tmpfs. The
replicas believe X-Forwarded-For from the proxy's fixed address only, which lies in the stack's
subnet and outside the range the other containers get theirs from. Grafana has no default admin
password (compose refuses to start without the secret file) and anonymous viewing is off unless
asked for. tests/test_container.py checks the same stack running.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PODMAN_COMPOSE = ROOT / ".venv" / "bin" / "podman-compose"
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::(?P<kind>[-?])(?P<word>[^}]*))?\}")


def services(name: str) -> dict[str, dict[str, Any]]:
    return dict(yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))["services"])


def with_defaults(text: str) -> str:
    """`text` with each `${NAME:-default}` as its default (what compose does with NAME unset)."""
    return _VARIABLE.sub(lambda m: m["word"] if m["kind"] == "-" else m[0], text)


ALL = [
    (name, service)
    for name in ("compose.yaml", "compose.grafana.yaml")
    for service in services(name)
]


@pytest.mark.parametrize(("file", "service"), ALL, ids=[f"{f}:{s}" for f, s in ALL])
def test_every_service_is_limited_read_only_and_unprivileged(file: str, service: str) -> None:
    spec = services(file)[service]
    limits = spec["deploy"]["resources"]["limits"]
    assert 0 < float(limits["cpus"]) <= 1, limits
    assert re.fullmatch(r"[1-9]\d*M", limits["memory"]), limits
    assert int(limits["memory"][:-1]) <= 256, limits
    assert spec["read_only"] is True
    assert spec["cap_drop"] == ["ALL"]
    assert spec["security_opt"] == ["no-new-privileges:true"]
    assert "privileged" not in spec and "cap_add" not in spec
    for mount in spec.get("tmpfs", []):
        assert "size=" in mount, f"{file}:{service}: tmpfs {mount} has no size (memory is limited)"


def test_the_replicas_trust_x_forwarded_for_from_the_proxys_address_only() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    stack = compose["services"]
    trusted = [arg.split("=", 1)[1] for arg in stack["world-timer"]["command"]
               if arg.startswith("--trusted-proxy")]  # fmt: skip
    proxy_address = stack["proxy"]["networks"]["default"]["ipv4_address"]
    assert trusted == [proxy_address]
    address = ipaddress.ip_address(with_defaults(proxy_address))
    (pool,) = compose["networks"]["default"]["ipam"]["config"]
    subnet = ipaddress.ip_network(with_defaults(pool["subnet"]))
    handed_out = ipaddress.ip_network(with_defaults(pool["ip_range"]))
    assert address in subnet and handed_out.subnet_of(subnet)  # type: ignore[arg-type]
    assert address not in handed_out, "another container could be given the proxy's address"
    # ... and no other service is on another network, or has a fixed address of its own.
    for name, spec in stack.items():
        if name != "proxy":
            assert "networks" not in spec and "network_mode" not in spec, name


def test_what_the_read_only_services_write_is_a_tmpfs() -> None:
    stack = services("compose.yaml")
    conf = (ROOT / "deploy" / "compose" / "nginx.conf").read_text(encoding="utf-8")
    written = re.findall(r"^\s*(?:pid|\w+_temp_path)\s+(\S+);", conf, flags=re.MULTILINE)
    assert len(written) == 6, written
    tmpfs = [mount.split(":")[0] for mount in stack["proxy"]["tmpfs"]]
    assert all(path.startswith("/tmp/") for path in written) and tmpfs == ["/tmp"]
    assert stack["proxy"]["user"] == "65534:65534"  # a root master could not drop to its workers
    data = next(a for a in stack["prometheus"]["command"] if a.startswith("--storage.tsdb.path="))
    assert data.split("=", 1)[1] in [mount.split(":")[0] for mount in stack["prometheus"]["tmpfs"]]
    log_dir = "/var/log/world-timer"
    for name in ("world-timer", "scheduled-run"):
        assert log_dir in [mount.split(":")[0] for mount in stack[name]["tmpfs"]], name


def test_grafana_has_no_default_password_and_no_anonymous_viewing() -> None:
    compose = yaml.safe_load((ROOT / "compose.grafana.yaml").read_text(encoding="utf-8"))
    grafana = compose["services"]["grafana"]
    environment = grafana["environment"]
    assert "GF_SECURITY_ADMIN_PASSWORD" not in environment
    (secret,) = grafana["secrets"]
    assert environment["GF_SECURITY_ADMIN_PASSWORD__FILE"] == f"/run/secrets/{secret}"
    source = _VARIABLE.fullmatch(compose["secrets"][secret]["file"])
    assert source is not None and source["kind"] == "?", "the password file must be required"
    assert with_defaults(environment["GF_AUTH_ANONYMOUS_ENABLED"]) == "false"
    assert environment["GF_USERS_ALLOW_SIGN_UP"] == "false"


@pytest.mark.skipif(
    shutil.which("podman") is None or not PODMAN_COMPOSE.exists(),
    reason="podman-compose needs podman to run (Debian: apt-get install podman; .ci/run does)",
)
def test_compose_refuses_grafana_without_a_password_file(tmp_path: Path) -> None:
    """podman-compose's own reading of both files (its `config`: merged and interpolated)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WT_", "GF_"))}
    args = [str(PODMAN_COMPOSE), "-f", "compose.yaml", "-f", "compose.grafana.yaml", "config"]

    def config(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=ROOT, env={**env, **extra}, capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip

    refused = config()
    assert refused.returncode != 0
    assert "WT_GRAFANA_ADMIN_PASSWORD_FILE" in refused.stderr
    password = tmp_path / "password"
    password.write_text("not-the-default\n", encoding="utf-8")
    merged = config(WT_GRAFANA_ADMIN_PASSWORD_FILE=str(password))
    assert merged.returncode == 0, merged.stderr
    parsed = yaml.safe_load(merged.stdout)
    assert parsed["secrets"]["grafana_admin_password"]["file"] == str(password)
    assert parsed["services"]["grafana"]["environment"]["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
    proxy = parsed["services"]["proxy"]["networks"]["default"]["ipv4_address"]
    assert parsed["services"]["world-timer"]["command"][-1] == f"--trusted-proxy={proxy}"
    asked = config(WT_GRAFANA_ADMIN_PASSWORD_FILE=str(password), WT_GRAFANA_ANONYMOUS="true")
    anonymous = yaml.safe_load(asked.stdout)["services"]["grafana"]["environment"]
    assert anonymous["GF_AUTH_ANONYMOUS_ENABLED"] == "true"
