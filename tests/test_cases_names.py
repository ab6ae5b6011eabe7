"""Every row of tests/data/names.tsv and names-more.tsv (copied from the shared cases): names
people use for places.

A row passes when the query resolves to one of its zones, or to a zone with the same UTC offsets
all year (`UTC-08:00` rows name the fixed offset an abbreviation means): names, abbreviations,
IATA airport codes, short forms and coordinates alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import PINNED, read_tsv
from world_timer.places.resolve import resolve
from world_timer.timekeeping.zones import load_zone

NAME_ROWS = [row for row in read_tsv("names.tsv") if row]
MORE_ROWS = [row for row in read_tsv("names-more.tsv") if row]
# Issue 19's rows not read yet: each leaves this set when its kind works (strict: a row that
# starts passing while still listed fails, so the set cannot go stale).
NOT_YET: set[str] = set()
_YEAR = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in range(0, 365, 7)]


def _offsets(key: str) -> tuple[timedelta | None, ...]:
    if key.startswith("UTC") and len(key) > 3:
        sign = -1 if key[3] == "-" else 1
        hours, minutes = key[4:].split(":")
        fixed = sign * timedelta(hours=int(hours), minutes=int(minutes))
        return tuple(fixed for _ in _YEAR)
    zone = load_zone(key)
    return tuple(t.astimezone(zone).utcoffset() for t in _YEAR)


def _row_param(query: str, zones: str, what: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason="issue 19")] if query in NOT_YET else []
    return pytest.param(query, zones, what, id=f"{query} ({what[:40]})", marks=marks)


@pytest.mark.parametrize(
    ("query", "zones", "what"), [_row_param(*row) for row in NAME_ROWS + MORE_ROWS]
)
def test_name_resolves_to_an_acceptable_zone(query: str, zones: str, what: str) -> None:
    found = resolve(query, PINNED)
    acceptable = zones.split()
    assert found.zone_key in acceptable or any(
        _offsets(found.zone_key) == _offsets(zone) for zone in acceptable
    ), f"{query!r} → {found.label} ({found.zone_key})"
