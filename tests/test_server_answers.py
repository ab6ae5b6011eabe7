"""The server's fast worldtimeapi objects equal the model's at every instant, transitions included.

`TimeAnswers` keeps a zone's fixed fields for the period in effect; these tests walk each zone of
the tzdata package through its transitions (1970–2045, the footer rule's years included) with one
`TimeAnswers`, so every cached period is reused up to the microsecond before it ends and replaced
at the transition itself, and compare each answer with `zone_time(...).to_worldtimeapi()`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from world_timer.server.answers import TimeAnswers
from world_timer.timekeeping.transitions import zone_transitions
from world_timer.timekeeping.zones import load_zone, zone_keys
from world_timer.timekeeping.zonetime import zone_time

FIRST = datetime(1970, 1, 1, tzinfo=UTC).timestamp()
LAST = datetime(2045, 12, 31, tzinfo=UTC).timestamp()
MICROSECOND = timedelta(microseconds=1)


def model(zone: Any, instant: datetime, client_ip: str) -> dict[str, Any]:
    fields = zone_time(zone, instant).to_worldtimeapi()
    return {"abbreviation": fields.pop("abbreviation"), "client_ip": client_ip, **fields}


def changes(key: str) -> list[datetime]:
    """The instants the zone's fields change, explicit transitions and the rule's alike."""
    found: list[datetime] = []
    moment = FIRST
    transitions = zone_transitions(key)
    while moment < LAST:
        period = transitions.period_at(moment)
        if period.end is None:
            break
        found.append(datetime.fromtimestamp(period.end, UTC))
        moment = period.end
    return found


@pytest.mark.parametrize("key", sorted(zone_keys().values()))
def test_every_transition_of_every_zone(key: str) -> None:
    zone = load_zone(key)
    answers = TimeAnswers()
    instants = [datetime(1970, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)]
    for change in changes(key):
        instants += [change - MICROSECOND, change, change + timedelta(hours=25, seconds=0.5)]
    for instant in instants:
        assert answers.object(zone, instant, "192.0.2.1") == model(zone, instant, "192.0.2.1")
    # and back in time: a remembered period is never used outside its bounds
    for instant in reversed(instants[-6:]):
        assert answers.object(zone, instant, "::1") == model(zone, instant, "::1")


@pytest.mark.parametrize(
    "zone",
    [
        UTC,
        timezone(timedelta(hours=5, minutes=45)),
        timezone(-timedelta(hours=11)),
        load_zone("UTC"),
    ],
    ids=str,
)
def test_fixed_offsets_and_calendar_fields(zone: Any) -> None:
    answers = TimeAnswers()
    # New Year's Eve into 2027 (ISO week 53 of 2026), whole seconds and leap day 2028
    for text in ("2026-12-31T23:59:59.999999", "2027-01-01T00:00:00", "2028-02-29T12:00:00"):
        instant = datetime.fromisoformat(text + "+00:00")
        assert answers.object(zone, instant, "10.0.0.1") == model(zone, instant, "10.0.0.1")


def test_an_instant_in_another_offset_and_a_zone_that_moved_its_clock() -> None:
    answers = TimeAnswers()
    zone = load_zone("America/Asuncion")  # −03 all year since October 2024
    instant = datetime(2025, 10, 1, 9, 0, tzinfo=timezone(timedelta(hours=-3)))
    got = answers.object(zone, instant, "127.0.0.1")
    assert got == model(zone, instant, "127.0.0.1")
    assert (got["datetime"], got["utc_offset"], got["dst"]) == (
        "2025-10-01T09:00:00.000000-03:00",
        "-03:00",
        False,
    )


def test_equal_fixed_offsets_with_other_names_keep_their_own_names() -> None:
    """`datetime.timezone` objects are equal when their offsets are, whatever their names: each
    must still answer with its own name (`/api/ip` on `UTC` and `/api/city/UTC+0` in one app)."""
    answers = TimeAnswers()
    instant = datetime(2026, 11, 30, 13, 5, 0, 250000, tzinfo=UTC)
    zones = [
        UTC,
        timezone(timedelta(0), "UTC+00:00"),
        timezone(timedelta(hours=2)),
        timezone(timedelta(hours=2), "CEST"),
        timezone(timedelta(seconds=-37)),
        timezone(timedelta(seconds=-37), "LMT"),
    ]
    for zone in zones + zones[::-1]:
        got = answers.object(zone, instant, "192.0.2.1")
        assert got == model(zone, instant, "192.0.2.1")
    assert answers.object(zones[1], instant, "::1")["timezone"] == "UTC+00:00"
