"""`NaN,NaN` was read as Nan, Thailand with exit 0 (issue 21): a pair with NaN or an infinity
on either side is a malformed coordinate, refused with one line, and logs nothing as found."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.clirun import run_cli
from world_timer.errors import PlaceNotFoundError
from world_timer.places.resolve import resolve

PINNED = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)
PAIRS = ["NaN,NaN", "nan, nan", "NAN;5", "5 nan", "inf,0", "-Infinity, 3", "+inf -inf", "0,-INF"]


@pytest.mark.parametrize("typed", PAIRS)
def test_a_non_finite_pair_is_refused(typed: str) -> None:
    with pytest.raises(PlaceNotFoundError, match="NaN and infinity are not positions"):
        resolve(typed, PINNED)


@pytest.mark.parametrize("typed", PAIRS[:3])
def test_the_cli_says_so_in_one_line_and_exits_1(typed: str, tmp_path: Path) -> None:
    result = run_cli(["--", typed], PINNED, tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "NaN and infinity are not positions" in lines[0]


@pytest.mark.parametrize("typed", ["Nan", "Nan, TH", "Nan, Thailand"])
def test_the_town_of_nan_is_still_found(typed: str) -> None:
    assert resolve(typed, PINNED).zone_key == "Asia/Bangkok"
