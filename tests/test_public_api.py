"""The public API as a user script sees it: `import world_timer`, typed answers, lazy imports."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

import world_timer

NOW = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)

SCRIPT = """
import sys
import world_timer
loaded = set(sys.modules)
assert not any(m.startswith(("world_timer.", "click", "requests")) for m in loaded), sorted(loaded)
from datetime import UTC, datetime
now = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)
rows = world_timer.read(["Tokyo", "Lima"], now)
print(";".join(f"{r.resolution.label}={r.time.local:%H:%M}" for r in rows))
print("click" in sys.modules, "requests" in sys.modules)
"""


def test_a_user_script_imports_nothing_until_it_asks() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Tokyo, Japan=22:15;Lima, Peru=08:15", "False False"]


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in world_timer.__all__:
        value = getattr(world_timer, name)
        assert value is not None, name
        if callable(value) and not name.endswith("Error"):
            assert value.__doc__ and value.__doc__.strip(), name
    assert sorted(dir(world_timer)) == sorted(world_timer.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = world_timer.nope  # type: ignore[attr-defined]


def test_the_answers_are_the_objects_the_cli_renders() -> None:
    found = world_timer.resolve("Kathmandu", NOW)
    assert isinstance(found, world_timer.Resolution)
    time = world_timer.zone_time(found.zone, NOW)
    assert isinstance(time, world_timer.ZoneTime)
    assert (time.utc_offset, time.local.strftime("%H:%M")) == ("+05:45", "19:00")
    assert world_timer.zone_time("UTC+05:30", NOW).utc_offset == "+05:30"
    with pytest.raises(ValueError, match="aware"):
        world_timer.zone_time("Asia/Tokyo", datetime(2026, 11, 30, 13, 15))
    with pytest.raises(world_timer.PlaceNotFoundError):
        world_timer.zone_time("Qqqzzz", NOW)


def test_plan_refuses_what_the_cli_refuses() -> None:
    with pytest.raises(world_timer.PlaceError):
        world_timer.plan(["Tokyo", "Qqqzzz"], date(2026, 12, 9), now=NOW)
    with pytest.raises(ValueError):
        world_timer.plan([], date(2026, 12, 9), now=NOW)
    with pytest.raises(ValueError):
        world_timer.plan(["Tokyo"], date(2026, 12, 9), hours="25:00-26:00", now=NOW)
    weekend = world_timer.plan(["Tokyo", "Paris"], date(2026, 12, 12), now=NOW)  # a Saturday
    assert weekend.days_off  # both are off: the planner says so rather than inventing a workday
