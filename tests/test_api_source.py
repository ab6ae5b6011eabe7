"""The worldtimeapi client against a real HTTP server on 127.0.0.1 with injected faults.

Every failure must come back as a one-line reason, within the call's deadline (plus a margin for a
loaded machine: a correctness bound, not a speed test), with the server seeing what it should.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_worldtimeapi import FakeWorldTimeApi, Fault

from world_timer.sources import ApiSettings
from world_timer.sources.answer import AnswerError, UnknownLocationError, parse_answer, same_zone
from world_timer.sources.worldtimeapi import ApiAnswer, fetch_zone_times

DATA = Path(__file__).parent / "data" / "worldtimeapi-2025-10-01.tsv"
MARGIN = 1.0
"""Seconds allowed past a deadline for thread scheduling on a loaded machine."""
JSON = "application/json; charset=utf-8"


@pytest.fixture
def api() -> Iterator[FakeWorldTimeApi]:
    with FakeWorldTimeApi() as server:
        yield server


def fetch(
    api: FakeWorldTimeApi, keys: list[str], timeout: float = 1.5, concurrency: int = 8
) -> tuple[dict[str, ApiAnswer], float]:
    settings = ApiSettings(base_url=api.base_url, timeout=timeout, concurrency=concurrency)
    started = time.monotonic()
    answers = fetch_zone_times(keys, settings)
    return answers, time.monotonic() - started


# --- Answers: the recorded worldtimeapi.org schema, and what is not an answer -------------------


def recorded_answers() -> list[dict[str, object]]:
    lines = [line for line in DATA.read_text().splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    ints = {"unixtime", "dst_offset", "raw_offset", "day_of_week", "day_of_year", "week_number"}
    rows = []
    for line in lines[1:]:
        row: dict[str, object] = {}
        for name, cell in zip(header, line.split("\t"), strict=True):
            row[name] = cell or None  # an empty cell is null
            if cell and name in ints:
                row[name] = int(cell)
            elif name == "dst":
                row[name] = cell == "true"
        rows.append(row)
    return rows


def test_every_recorded_worldtimeapi_answer_parses_into_the_same_fields() -> None:
    rows = recorded_answers()
    assert len(rows) == 447
    for row in rows:
        time_there = parse_answer(str(row["timezone"]), 200, JSON, json.dumps(row).encode())
        produced = time_there.to_worldtimeapi()
        for name in ("timezone", "datetime", "utc_datetime", "utc_offset", "abbreviation"):
            assert produced[name] == row[name], (row["timezone"], name)
        for name in ("unixtime", "dst_offset", "raw_offset", "day_of_week", "day_of_year"):
            assert produced[name] == row[name], (row["timezone"], name)


def good_answer(zone: str = "Asia/Tokyo") -> dict[str, object]:
    rows = {str(row["timezone"]): row for row in recorded_answers()}
    return dict(rows[zone])


@pytest.mark.parametrize(
    ("status", "content_type", "body", "reason"),
    [
        (404, JSON, b'{"error": "unknown location"}', "unknown location"),
        (404, "text/html", b"<h1>Not Found</h1>", "unknown location"),
        (200, JSON, b'{"error": "unknown location"}', "unknown location"),
        (503, JSON, b'{"error": "busy"}', "HTTP 503"),
        (500, "text/html", b"<h1>oops</h1>", "HTTP 500"),
        (200, "text/html; charset=utf-8", b"<html></html>", "not JSON: content type 'text/html'"),
        (200, "", b"{}", "not JSON: content type 'missing'"),
        (200, JSON, b'{"abbreviation": "JST", "datet', "bad JSON (Unterminated string"),
        (200, JSON, b"\xff\xfe{}", "bad JSON"),
        (200, JSON, b"[1, 2]", "bad JSON (not an object)"),
    ],
)
def test_answers_that_are_not_zone_times(
    status: int, content_type: str, body: bytes, reason: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer("Asia/Tokyo", status, content_type, body)
    assert str(caught.value).startswith(reason)
    assert isinstance(caught.value, UnknownLocationError) == (reason == "unknown location")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"unixtime": None}, "bad answer: unixtime not a int"),
        ({"unixtime": True}, "bad answer: unixtime not a int"),
        ({"dst": 0}, "bad answer: dst not a bool"),
        ({"utc_offset": 32400}, "bad answer: utc_offset not a str"),
        ({"utc_offset": "+9"}, "bad answer: utc_offset '+9' is not ±HH:MM"),
        ({"datetime": "2025-10-01T19:37:41"}, "bad answer: datetime has no UTC offset"),
        ({"datetime": "yesterday"}, "bad answer: datetime is not ISO 8601"),
        ({"utc_offset": "+08:00", "raw_offset": 28800}, "datetime, utc_datetime and utc_offset"),
        ({"raw_offset": 0}, "raw_offset + dst_offset is not utc_offset"),
        ({"unixtime": 0}, "unixtime and utc_datetime disagree"),
        ({"dst_from": 5}, "bad answer: dst_from not a str"),
        ({"timezone": "Asia/Seoul"}, "answered zone 'Asia/Seoul' for Asia/Tokyo"),
        ({"unixtime": 10**400}, "unixtime and utc_datetime disagree"),
        (
            {
                "datetime": "0001-01-01T00:00:00+09:00",
                "utc_datetime": "0001-01-01T00:00:00+09:00",
                "unixtime": -62135629200,
            },
            "bad answer: utc_datetime is outside the years 2 to 9998",
        ),
    ],
)
def test_answers_with_wrong_fields(change: dict[str, object], reason: str) -> None:
    data = {**good_answer(), **change}
    with pytest.raises(AnswerError, match="^" + reason.replace("+", r"\+")):
        parse_answer("Asia/Tokyo", 200, JSON, json.dumps(data).encode())


def test_a_missing_field_is_named() -> None:
    data = good_answer()
    del data["abbreviation"]
    with pytest.raises(AnswerError, match=r"^bad answer: abbreviation missing$"):
        parse_answer("Asia/Tokyo", 200, JSON, json.dumps(data).encode())


def test_an_alias_answer_is_accepted_under_the_asked_key() -> None:
    data = good_answer("Europe/Kyiv")
    time_there = parse_answer("Europe/Kiev", 200, JSON, json.dumps(data).encode())
    assert time_there.timezone == "Europe/Kiev"
    assert time_there.utc_offset == "+03:00"


@pytest.mark.parametrize(
    ("asked", "answered", "same"),
    [
        ("Asia/Tokyo", "Asia/Tokyo", True),
        ("Asia/Calcutta", "Asia/Kolkata", True),  # backward link
        ("Asia/Kolkata", "Asia/Calcutta", True),
        ("Europe/Amsterdam", "Europe/Brussels", True),  # zones merged in 2022 (tzdata 2022b)
        ("US/Pacific", "America/Los_Angeles", True),
        ("Asia/Tokyo", "Asia/Seoul", False),  # same offset today, different history
        ("Europe/Paris", "Europe/Berlin", False),
        ("Asia/Tokyo", "asia/tokyo", False),  # not how IANA spells it
        ("Asia/Tokyo", "Mars/Olympus", False),
        ("Asia/Tokyo", "../../etc/passwd", False),
    ],
)
def test_same_zone(asked: str, answered: str, same: bool) -> None:
    assert same_zone(asked, answered) is same


# --- The client against a real server -----------------------------------------------------------


def test_answers_come_back_as_zone_times(api: FakeWorldTimeApi) -> None:
    api.latency = 0.1
    answers, _ = fetch(api, ["Asia/Tokyo", "America/Lima"])
    tokyo = answers["Asia/Tokyo"]
    assert tokyo.failure is None and tokyo.time is not None
    assert (tokyo.status, tokyo.retries, tokyo.time.utc_offset) == (200, 0, "+09:00")
    assert tokyo.latency_ms >= 100
    assert answers["America/Lima"].time is not None
    assert answers["America/Lima"].time.abbreviation == "-05"


def test_one_request_per_distinct_zone(api: FakeWorldTimeApi) -> None:
    answers, _ = fetch(api, ["Asia/Tokyo", "Europe/Paris", "Asia/Tokyo", "Asia/Tokyo"])
    assert set(answers) == {"Asia/Tokyo", "Europe/Paris"}
    assert api.requests == {"Asia/Tokyo": 1, "Europe/Paris": 1}


def test_503_twice_then_success_honours_retry_after(api: FakeWorldTimeApi) -> None:
    api.faults["Asia/Tokyo"] = Fault("status", status=503, times=2, retry_after="1")
    answers, elapsed = fetch(api, ["Asia/Tokyo"], timeout=4)
    answer = answers["Asia/Tokyo"]
    assert answer.failure is None and answer.time is not None
    assert (answer.status, answer.retries) == (200, 2)
    assert api.requests["Asia/Tokyo"] == 3
    arrivals = [at for _zone, at in api.arrivals]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    # The server asked for 1 s between attempts and got it (less a little clock granularity).
    assert len(gaps) == 2
    assert min(gaps) >= 0.95
    assert elapsed < 4 + MARGIN


@pytest.mark.parametrize("retry_after", ["1", "3600"])
def test_429_forever_gives_up_by_the_deadline(api: FakeWorldTimeApi, retry_after: str) -> None:
    api.faults["Asia/Tokyo"] = Fault("status", status=429, retry_after=retry_after)
    answers, elapsed = fetch(api, ["Asia/Tokyo"], timeout=1.5)
    answer = answers["Asia/Tokyo"]
    assert answer.time is None
    assert answer.failure == f"HTTP 429 after {answer.retries} retr" + (
        "y" if answer.retries == 1 else "ies"
    )
    assert answer.retries >= 1
    assert api.requests["Asia/Tokyo"] == answer.retries + 1
    assert elapsed < 1.5 + MARGIN


def test_connection_reset_is_retried_once(api: FakeWorldTimeApi) -> None:
    api.faults["Asia/Tokyo"] = Fault("reset")
    api.faults["Europe/Paris"] = Fault("reset", times=1)
    answers, elapsed = fetch(api, ["Asia/Tokyo", "Europe/Paris"])
    assert answers["Asia/Tokyo"].failure == "connection reset after 1 retry"
    assert answers["Asia/Tokyo"].status is None
    assert answers["Europe/Paris"].failure is None
    assert answers["Europe/Paris"].retries == 1
    assert api.requests == {"Asia/Tokyo": 2, "Europe/Paris": 2}
    assert elapsed < 1.5 + MARGIN


@pytest.mark.parametrize(
    ("fault", "failure"),
    [
        (Fault("truncated"), "bad JSON (Unterminated string"),
        (Fault("html"), "not JSON: content type 'text/html'"),
        (Fault("wrong_zone", zone="Europe/Paris"), "answered zone 'Europe/Paris' for Asia/Tokyo"),
        (Fault("unknown"), "unknown location"),
        (Fault("hang"), "timeout: no complete answer within 1.5 s"),
        (Fault("trickle", interval=0.05), "timeout: no complete answer within 1.5 s"),
    ],
    ids=lambda value: value.kind if isinstance(value, Fault) else "",
)
def test_faults_become_reasons_within_the_deadline(
    api: FakeWorldTimeApi, fault: Fault, failure: str
) -> None:
    api.faults["Asia/Tokyo"] = fault
    answers, elapsed = fetch(api, ["Asia/Tokyo", "America/Lima"])
    assert answers["Asia/Tokyo"].time is None
    assert str(answers["Asia/Tokyo"].failure).startswith(failure)
    assert answers["Asia/Tokyo"].retries == 0
    assert api.requests["Asia/Tokyo"] == 1
    assert answers["America/Lima"].failure is None  # one zone's fault is not the others'
    assert elapsed < 1.5 + MARGIN


def test_hang_and_trickle_leave_no_worker_behind(api: FakeWorldTimeApi) -> None:
    api.faults["Asia/Tokyo"] = Fault("hang")
    api.faults["Europe/Paris"] = Fault("trickle", interval=0.05)
    fetch(api, ["Asia/Tokyo", "Europe/Paris"], timeout=1.0)
    # Socket timeouts are cut to the deadline, so the workers end with it, not after the server.
    end = time.monotonic() + MARGIN
    while time.monotonic() < end and _pool_threads():
        time.sleep(0.05)
    assert _pool_threads() == []


def _pool_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("world-timer-pool")]


def test_connection_refused(api: FakeWorldTimeApi) -> None:
    port = api.port
    api.stop()
    settings = ApiSettings(base_url=f"http://127.0.0.1:{port}/api", timeout=1.5)
    started = time.monotonic()
    answers = fetch_zone_times(["Asia/Tokyo"], settings)
    assert str(answers["Asia/Tokyo"].failure).startswith("connection refused after")
    assert answers["Asia/Tokyo"].retries >= 1
    assert time.monotonic() - started < 1.5 + MARGIN


def test_never_more_requests_in_flight_than_the_cap(api: FakeWorldTimeApi) -> None:
    api.latency = 0.3
    from bench_api import ZONES  # the benchmark's 20 distinct zones (utils/)

    zones = list(ZONES)
    answers, elapsed = fetch(api, zones, timeout=5, concurrency=8)
    assert all(answer.failure is None for answer in answers.values())
    assert api.requests == dict.fromkeys(zones, 1)
    # 8 at once, never 9: three waves of 0.3 s.
    assert api.max_in_flight == 8
    assert elapsed < 5


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "fields", {})
        self.lines.append(record.getMessage() + "".join(f" {k}={v}" for k, v in fields.items()))


def test_one_log_line_per_request(api: FakeWorldTimeApi) -> None:
    api.faults["Europe/Paris"] = Fault("status", status=503, times=1)
    logger = logging.getLogger("world_timer")
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        fetch(api, ["Asia/Tokyo", "Europe/Paris", "Asia/Tokyo"])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [line for line in handler.lines if line.startswith("request ")]
    assert len(lines) == 2
    assert lines[0].startswith(
        f"request url={api.base_url}/timezone/Asia/Tokyo status=200 latency_ms="
    )
    assert lines[0].endswith(" retries=0 outcome=ok")
    assert lines[1].startswith(f"request url={api.base_url}/timezone/Europe/Paris status=200 ")
    assert lines[1].endswith(" retries=1 outcome=ok")
