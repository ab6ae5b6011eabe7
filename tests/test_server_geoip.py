"""`/api/ip` from a geo-IP database: small `.mmdb` files written with mmdb-writer
(utils/geoip_test_db.py), real `world-timer serve` processes on 127.0.0.1 over real HTTP, and
the app in-process on a pinned clock for exact answers."""

from __future__ import annotations

import http.client
import ipaddress
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from geoip_test_db import NETWORKS, write_test_db
from prometheus_client import CollectorRegistry

from tests.processes import free_port, running
from tests.server_client import call
from world_timer.server.app import make_app
from world_timer.server.geoip import NOT_GLOBAL, GeoIpError, is_not_global, open_geoip
from world_timer.timekeeping.zones import load_zone

WORLD_TIMER = Path(sys.executable).parent / "world-timer"
PINNED = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
TOKYO_V4, TOKYO_V6 = "1.0.16.1", "2001:200::1"
LIMA_V4, LIMA_V6 = "190.12.64.1", "2800:200::1"
UNKNOWN_ZONE_V4 = "5.5.5.5"  # the database says Mars/Olympus_Mons
PROXY = "127.0.0.2"  # a second loopback address, trusted as a proxy by the served process


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_db(tmp_path_factory.mktemp("geoip") / "test-city.mmdb")


def serve_command(port: int, logs: Path, *options: str) -> list[str]:
    """`world-timer serve` on 127.0.0.1:`port`, its log in `logs`, with `options`."""
    return [str(WORLD_TIMER), "serve", "--port", str(port), "--log-dir", str(logs), *options]


def fetch(
    port: int, path: str, forwarded: str | None = None, source: str = "127.0.0.1"
) -> tuple[int, dict[str, str], bytes]:
    """GET `path` from 127.0.0.1:`port`, the connection made from `source` (a loopback
    address), with an X-Forwarded-For header when given; (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(source, 0))
    try:
        conn.request("GET", path, headers={"X-Forwarded-For": forwarded} if forwarded else {})
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`world-timer serve --geoip-db` on a free port, trusting X-Forwarded-For from PROXY only;
    the default zone Europe/Paris, so a fallback is told from a UTC answer."""
    logs = tmp_path_factory.mktemp("geoip-logs")
    port = free_port()
    command = serve_command(port, logs, "--geoip-db", str(database), "--trusted-proxy", PROXY)
    command += ["--default-zone", "Europe/Paris"]
    with running(command, f"http://127.0.0.1:{port}/healthz", logs / "serve.out"):
        yield port


def zone_of(answer: tuple[int, dict[str, str], bytes]) -> tuple[int, str, str, str]:
    """(status, timezone, zone_source, X-Zone-Source) of a JSON /api/ip answer."""
    status, headers, body = answer
    obj = json.loads(body)
    return status, obj["timezone"], obj["zone_source"], headers["x-zone-source"]


def test_loopback_caller_gets_the_default_zone_and_is_told_so(served: int) -> None:
    answer = fetch(served, "/api/ip")
    assert zone_of(answer) == (200, "Europe/Paris", "default", "default")
    assert json.loads(answer[2])["client_ip"] == "127.0.0.1"


def test_trusted_proxy_forwarding_a_tokyo_address_gets_tokyo(served: int) -> None:
    # the right-most address that is not a trusted proxy: what the client wrote first is not
    # believed
    answer = fetch(served, "/api/ip", forwarded=f"{LIMA_V4}, {TOKYO_V4}", source=PROXY)
    assert zone_of(answer) == (200, "Asia/Tokyo", "geoip", "geoip")
    obj = json.loads(answer[2])
    assert (obj["client_ip"], obj["abbreviation"], obj["utc_offset"]) == (TOKYO_V4, "JST", "+09:00")
    lima = fetch(served, "/api/ip", forwarded=LIMA_V6, source=PROXY)
    assert zone_of(lima) == (200, "America/Lima", "geoip", "geoip")


def test_forwarded_for_from_an_untrusted_peer_is_ignored(served: int) -> None:
    answer = fetch(served, "/api/ip", forwarded=TOKYO_V4, source="127.0.0.1")
    assert zone_of(answer) == (200, "Europe/Paris", "default", "default")
    assert json.loads(answer[2])["client_ip"] == "127.0.0.1"


@pytest.mark.parametrize(
    ("address", "zone", "source"),
    [
        (TOKYO_V4, "Asia/Tokyo", "geoip"),
        (TOKYO_V6, "Asia/Tokyo", "geoip"),
        (LIMA_V4, "America/Lima", "geoip"),
        (LIMA_V6, "America/Lima", "geoip"),
        (f"::ffff:{TOKYO_V4}", "Asia/Tokyo", "geoip"),  # IPv4-mapped, as a dual-stack socket
        (UNKNOWN_ZONE_V4, "Europe/Paris", "default"),  # a zone we do not know: fallback
        ("2a00:5::1", "Europe/Paris", "default"),
        ("6.6.6.6", "Europe/Paris", "default"),  # a record without a location
        ("8.8.8.8", "Europe/Paris", "default"),  # not in the database
        ("10.1.2.3", "Europe/Paris", "default"),  # private
        ("::1", "Europe/Paris", "default"),  # loopback
    ],
)
def test_given_address(served: int, address: str, zone: str, source: str) -> None:
    answer = fetch(served, f"/api/ip/{address}")
    assert zone_of(answer) == (200, zone, source, source)
    assert json.loads(answer[2])["client_ip"] == "127.0.0.1"  # the caller, not the address


def test_txt_variants(served: int) -> None:
    status, headers, body = fetch(served, f"/api/ip/{TOKYO_V6}.txt")
    lines = body.decode().splitlines()
    assert (status, headers["content-type"], headers["x-zone-source"]) == (
        200,
        "text/plain; charset=utf-8",
        "geoip",
    )
    assert "timezone: Asia/Tokyo" in lines and lines[-1] == "zone_source: geoip"
    status, headers, body = fetch(served, "/api/ip.txt", forwarded=LIMA_V4, source=PROXY)
    assert (status, headers["x-zone-source"]) == (200, "geoip")
    assert "timezone: America/Lima" in body.decode().splitlines()
    status, headers, body = fetch(served, "/api/ip.txt")
    assert body.decode().splitlines()[-1] == "zone_source: default"


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/ip/1.2.3", "'1.2.3' does not appear to be an IPv4 or IPv6 address"),
        ("/api/ip/999.0.0.1.txt", "'999.0.0.1' does not appear to be an IPv4 or IPv6 address"),
        ("/api/ip/2001:200:::1", "'2001:200:::1' does not appear to be an IPv4 or IPv6 address"),
        ("/api/ip/Tokyo", "'Tokyo' does not appear to be an IPv4 or IPv6 address"),
        ("/api/ip/fe80::1%25eth0", "'fe80::1%eth0' has a zone index: give the address alone"),
    ],
)
def test_malformed_address_is_400_with_a_reason(served: int, path: str, detail: str) -> None:
    status, headers, body = fetch(served, path)
    assert (status, json.loads(body)) == (400, {"error": "malformed IP address", "detail": detail})
    assert "x-zone-source" not in headers


def test_metrics_label_the_new_routes(served: int) -> None:
    fetch(served, f"/api/ip/{LIMA_V4}")
    metrics = fetch(served, "/metrics")[2].decode()
    assert 'route="/api/ip/{address}",status="200"' in metrics
    assert 'route="/api/ip/{address}",status="400"' in metrics


def test_no_database_answers_the_default_zone(tmp_path: Path) -> None:
    port = free_port()
    command = serve_command(port, tmp_path, "--trusted-proxy", PROXY)
    with running(command, f"http://127.0.0.1:{port}/healthz", tmp_path / "serve.out"):
        via_proxy = fetch(port, "/api/ip", forwarded=TOKYO_V4, source=PROXY)
        assert zone_of(via_proxy) == (200, "UTC", "default", "default")
        assert json.loads(via_proxy[2])["client_ip"] == TOKYO_V4
        assert zone_of(fetch(port, f"/api/ip/{TOKYO_V6}")) == (200, "UTC", "default", "default")


def test_database_from_the_environment_and_the_config_file(database: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'geoip_db = "{database.name}"\n', encoding="utf-8")  # from its folder
    (tmp_path / database.name).write_bytes(database.read_bytes())
    for environ in (
        {"WORLD_TIMER_GEOIP_DB": str(database)},
        {"WORLD_TIMER_CONFIG": str(config)},
        {"WORLD_TIMER_CONFIG": str(config), "WORLD_TIMER_GEOIP_DB": " "},  # blank: unset
    ):
        port = free_port()
        command = serve_command(port, tmp_path)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **environ}
        with running(command, f"http://127.0.0.1:{port}/healthz", tmp_path / "out", env=env):
            assert zone_of(fetch(port, f"/api/ip/{LIMA_V4}"))[1:] == (
                "America/Lima",
                "geoip",
                "geoip",
            ), environ


def _bad_files(tmp_path: Path, database: Path) -> dict[str, tuple[Path, str]]:
    """name → (path, the one line `serve` must print)."""
    (tmp_path / "empty.mmdb").write_bytes(b"")
    (tmp_path / "text.mmdb").write_text("not a database\n" * 100)
    (tmp_path / "half.mmdb").write_bytes(database.read_bytes()[: database.stat().st_size // 2])
    (tmp_path / "folder.mmdb").mkdir()
    write_test_db(tmp_path / "no-records.mmdb", networks={})
    country = {"1.0.16.0/20": {"country": {"iso_code": "JP"}}, "2001:200::/32": {}}
    write_test_db(tmp_path / "country.mmdb", networks=country)
    invalid = "not a valid MaxMind DB (.mmdb) file"
    return {
        "no records": (tmp_path / "no-records.mmdb", "the geo-IP database holds no records"),
        "no zones": (
            tmp_path / "country.mmdb",
            "none of its first 2 records has location.time_zone: not a City database",
        ),
        "missing": (tmp_path / "nope.mmdb", "cannot read the geo-IP database: No such file"),
        "empty": (tmp_path / "empty.mmdb", invalid),
        "text": (tmp_path / "text.mmdb", invalid),
        "truncated": (tmp_path / "half.mmdb", invalid),
        "folder": (tmp_path / "folder.mmdb", "the geo-IP database is not a regular file"),
        "device": (Path("/dev/zero"), "the geo-IP database is not a regular file"),
    }


def test_bad_database_file_is_refused_at_start(database: Path, tmp_path: Path) -> None:
    for name, (path, reason) in _bad_files(tmp_path, database).items():
        command = serve_command(free_port(), tmp_path, "--geoip-db", str(path))
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        assert (done.returncode, done.stdout) == (1, ""), name
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}: {reason}"), (name, lines)


def test_bad_database_from_the_environment_is_refused(tmp_path: Path) -> None:
    command = serve_command(free_port(), tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WORLD_TIMER_GEOIP_DB": "/dev/null"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env, check=False)
    assert (done.returncode, done.stderr) == (
        1,
        "error: /dev/null: the geo-IP database is not a regular file\n",
    )


# In-process, on a pinned clock: the answer is the worldtimeapi object of the zone, unchanged,
# with `zone_source` after it.


@pytest.fixture
def app(database: Path) -> Any:
    return make_app(
        registry=CollectorRegistry(),
        default_zone=load_zone("Europe/Paris"),
        now=lambda: PINNED,
        geoip_db=database,
    )


def test_answer_is_the_timezone_answer_plus_zone_source(app: Any) -> None:
    for address, zone in ((TOKYO_V6, "Asia/Tokyo"), (UNKNOWN_ZONE_V4, "Europe/Paris")):
        by_ip = call(app, "GET", f"/api/ip/{address}", client=("192.0.2.7", 1)).json()
        by_zone = call(app, "GET", f"/api/timezone/{zone}", client=("192.0.2.7", 1)).json()
        source = by_ip.pop("zone_source")
        assert by_ip == by_zone and list(by_ip) == list(by_zone)
        assert source == ("geoip" if zone == "Asia/Tokyo" else "default")


def test_the_answer_follows_each_caller_not_a_memo(app: Any) -> None:
    """The path /api/ip is the same for every caller: its zone must not be remembered."""
    forwarded = [(b"x-forwarded-for", TOKYO_V4.encode())]
    callers = [("1.0.16.9", "Asia/Tokyo"), (LIMA_V4, "America/Lima"), ("8.8.4.4", "Europe/Paris")]
    for _round in range(3):
        for peer, zone in callers:
            answer = call(app, "GET", "/api/ip", client=(peer, 1))
            assert answer.json()["timezone"] == zone, peer
            assert answer.headers["x-zone-source"] == (
                "default" if zone == "Europe/Paris" else "geoip"
            )
    # no trusted proxy in this app: the header is not believed
    assert call(app, "GET", "/api/ip", forwarded, client=("8.8.4.4", 1)).json()["timezone"] == (
        "Europe/Paris"
    )


def test_a_post_is_405_and_other_paths_404(app: Any) -> None:
    assert call(app, "POST", "/api/ip").status == 405
    assert call(app, "POST", f"/api/ip/{TOKYO_V4}").status == 405
    for path in ("/api/ip/1.0.16.1/x", "/api/ip.txt/1.0.16.1"):
        assert (call(app, "GET", path).status, call(app, "GET", path).json()) == (
            404,
            {"error": "not found"},
        )


def test_the_test_database_says_what_its_networks_say(database: Path) -> None:
    geoip = open_geoip(database)
    try:
        assert geoip.database_type == "WorldTimer-Test-City"
        assert len(NETWORKS) == 7
        assert [geoip.zone_key(a) for a in (TOKYO_V4, LIMA_V6, UNKNOWN_ZONE_V4)] == [
            "Asia/Tokyo",
            "America/Lima",
            None,
        ]
    finally:
        geoip.close()
    with pytest.raises(GeoIpError, match="not a regular file"):
        open_geoip(database.parent)


def test_non_global_networks_are_told_at_their_edges() -> None:
    """`is_not_global` (bisect over NOT_GLOBAL) agrees with `ipaddress` membership at the first
    and last address of every network and just outside each."""
    networks = [ipaddress.ip_network(n) for n in NOT_GLOBAL]
    for network in networks:
        first, last = int(network.network_address), int(network.broadcast_address)
        top = 2**network.max_prefixlen - 1
        kind = ipaddress.IPv6Address if network.version == 6 else ipaddress.IPv4Address
        for value in {max(first - 1, 0), first, last, min(last + 1, top)}:
            probe = kind(value)
            expected = any(probe in n for n in networks)
            assert is_not_global(str(probe)) == expected, (network, probe)
    for address in ("127.0.0.1", "10.9.9.9", "100.64.0.1", "::1", "fe80::1", "fd12::1"):
        assert is_not_global(address) and not ipaddress.ip_address(address).is_global
    for address in ("8.8.8.8", "1.0.16.1", "100.63.255.255", "2001:200::1", "2800:200::1"):
        assert not is_not_global(address) and ipaddress.ip_address(address).is_global
