"""Property: no method and no path makes the time API answer 500 or an error that is not JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from tests.server_client import call
from world_timer.server.app import make_app

APP: Any = make_app(
    registry=CollectorRegistry(), now=lambda: datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
)
PREFIXES = ["/", "/api/", "/api/timezone/", "/api/timezone/Europe/", "/api/city/", "/api/ip", ""]
METHODS = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "BREW"])
SEGMENT = st.one_of(
    st.sampled_from(
        ["..", ".", "", "Tokyo", "Asia", "Europe", ".txt", "%", "%2e%2e", "%00", "%FF"]
    ),
    st.text(max_size=40).map(lambda text: quote(text, safe="/%+,")),
    st.binary(max_size=20).map(lambda raw: quote(raw, safe="/")),
)


@settings(max_examples=400, deadline=None)
@given(
    method=METHODS,
    prefix=st.sampled_from(PREFIXES),
    segments=st.lists(SEGMENT, max_size=5),
    txt=st.booleans(),
)
def test_no_500_and_errors_are_json(
    method: str, prefix: str, segments: list[str], txt: bool
) -> None:
    path = prefix + "/".join(segments) + (".txt" if txt else "")
    answer = call(APP, method, path or "/")
    assert answer.status < 500, path
    if answer.status >= 400:
        assert answer.headers["content-type"].startswith("application/json"), path
    if method == "HEAD":
        assert answer.body == b""
    elif answer.status >= 400:
        assert "error" in json.loads(answer.body), path


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(min_size=1, max_size=300))
def test_raw_bytes_paths(raw: bytes) -> None:
    answer = call(APP, "GET", b"/" + raw)
    assert answer.status < 500
    if answer.status >= 400:
        assert "error" in json.loads(answer.body)
