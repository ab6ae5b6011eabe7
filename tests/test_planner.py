"""The planner: day bounds on DST change days, aligned strips, and the overlap of working hours
checked by brute force over every minute of the day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from clirun import run_cli

from world_timer.planning.planner import (
    HOUR,
    NIGHT,
    SLOT_STEP,
    WORK,
    DailyWindow,
    Plan,
    PlanPlace,
    make_plan,
    parse_window,
)
from world_timer.timekeeping.zones import load_zone, parse_fixed_offset


def places(*keys: str) -> list[PlanPlace]:
    return [PlanPlace(key, load_zone(key)) for key in keys]


SCENARIOS = {
    # US spring forward (23 h in New York), then fall back (25 h).
    "us-spring": (places("America/New_York", "Europe/London", "America/Los_Angeles"), "2026-03-08"),
    "us-fall": (places("America/New_York", "Europe/Berlin", "America/Chicago"), "2026-11-01"),
    # EU spring forward (23 h in Berlin) and fall back (25 h in London), with far zones.
    "eu-spring": (places("Europe/Berlin", "America/New_York", "Asia/Kolkata"), "2026-03-29"),
    "eu-fall": (places("Europe/London", "America/New_York", "Asia/Tokyo"), "2026-10-25"),
    # Across the date line: +14, -11, +13:45 (Chatham DST) and +05:45.
    "date-line": (
        places("Pacific/Kiritimati", "Pacific/Pago_Pago", "Pacific/Chatham", "Asia/Kathmandu"),
        "2026-01-15",
    ),
    "date-line-2": (
        places("Pacific/Pago_Pago", "Pacific/Kiritimati", "Pacific/Auckland"),
        "2026-07-01",
    ),
    # Lord Howe's 30-minute DST: a 23.5 h day in October, 24.5 h in April.
    "lord-howe-spring": (places("Australia/Lord_Howe", "Australia/Sydney"), "2026-10-04"),
    "lord-howe-fall": (places("Australia/Lord_Howe", "Asia/Kathmandu"), "2026-04-05"),
    "one-place": (places("Asia/Kathmandu"), "2026-06-01"),
    "far": (places("Pacific/Chatham", "Europe/London", "America/Los_Angeles"), "2026-01-15"),
    "tokyo-lima": (places("Asia/Tokyo", "America/Lima", "Asia/Kathmandu"), "2026-03-07"),
}


def brute_force_overlap(plan: Plan, work: DailyWindow) -> set[int]:
    """Minutes (unix seconds) of the plan's day when every place's wall time is in `work`."""
    lo, hi = int(plan.start.timestamp()), int(plan.end.timestamp())
    found = set()
    for t in range(lo, hi, 60):
        instant = datetime.fromtimestamp(t, UTC)
        if all(
            work.contains(local.hour * 60 + local.minute)
            for local in (instant.astimezone(s.place.zone) for s in plan.strips)
        ):
            found.add(t)
    return found


def overlap_minutes(plan: Plan) -> set[int]:
    return {
        t
        for slot in plan.overlaps
        for t in range(int(slot.start.timestamp()), int(slot.end.timestamp()), 60)
    }


@pytest.mark.parametrize(
    "work",
    [WORK, DailyWindow(8 * 60, 18 * 60 + 30), DailyWindow(22 * 60, 6 * 60), DailyWindow(90, 300)],
)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_overlap_is_exactly_the_brute_force_answer(name: str, work: DailyWindow) -> None:
    zones, day = SCENARIOS[name]
    plan = make_plan(zones, date.fromisoformat(day), work)
    assert overlap_minutes(plan) == brute_force_overlap(plan, work)
    # Cells: the same instants in every strip, work minutes counted minute by minute.
    starts = [cell.start for cell in plan.strips[0].cells]
    for strip in plan.strips:
        assert [cell.start for cell in strip.cells] == starts
        for cell in strip.cells:
            end = min(cell.start + timedelta(hours=1), plan.end)
            minutes = [
                cell.start + timedelta(minutes=m)
                for m in range((end - cell.start) // timedelta(minutes=1))
            ]
            in_work = sum(work.contains(_minute(t.astimezone(strip.place.zone))) for t in minutes)
            assert cell.work_minutes == in_work
            assert cell.local == cell.start.astimezone(strip.place.zone)


def _minute(local: datetime) -> int:
    return local.hour * 60 + local.minute


@pytest.mark.parametrize(
    ("key", "day", "hours"),
    [
        ("America/New_York", "2026-03-08", 23),
        ("America/New_York", "2026-11-01", 25),
        ("Europe/Berlin", "2026-03-29", 23),
        ("Europe/London", "2026-10-25", 25),
        ("Europe/Dublin", "2026-10-25", 25),
        ("Australia/Lord_Howe", "2026-10-04", 23.5),
        ("Australia/Lord_Howe", "2026-04-05", 24.5),
        ("Pacific/Chatham", "2026-04-05", 25),
        ("America/Sao_Paulo", "2026-11-01", 24),  # no DST since 2019
        ("America/Mexico_City", "2026-04-05", 24),  # no DST since 2022
        ("America/Havana", "2026-03-08", 23),  # midnight is skipped: the day starts at 01:00
        # +06:00 → +05:00 at 2024-03-01 00:00: 23:00 on 29 February happens twice.
        ("Asia/Almaty", "2024-02-29", 25),
        ("Asia/Almaty", "2024-03-01", 24),
    ],
)
def test_day_length_on_change_days(key: str, day: str, hours: float) -> None:
    plan = make_plan(places(key), date.fromisoformat(day))
    assert plan.hours == hours
    assert len(plan.strips[0].cells) == -(-hours // 1)


def test_midnight_in_a_gap_starts_the_day_after_it() -> None:
    plan = make_plan(places("America/Havana"), date(2026, 3, 8))
    assert plan.start.astimezone(load_zone("America/Havana")).isoformat() == (
        "2026-03-08T01:00:00-04:00"
    )


def test_quarter_hour_zones_show_their_real_offset() -> None:
    plan = make_plan(
        places("Europe/London", "Asia/Kathmandu", "Pacific/Chatham"), date(2026, 1, 15)
    )
    london, kathmandu, chatham = plan.strips
    assert london.cells[0].local.isoformat() == "2026-01-15T00:00:00+00:00"
    assert kathmandu.cells[0].local.isoformat() == "2026-01-15T05:45:00+05:45"
    assert chatham.cells[0].local.isoformat() == "2026-01-15T13:45:00+13:45"
    # 08:45-09:45 in Kathmandu: 45 minutes of it are working hours.
    assert [c.work_minutes for c in kathmandu.cells[3:5]] == [45, 60]
    july = make_plan(places("Europe/London", "Pacific/Chatham"), date(2026, 7, 15))
    assert july.strips[1].cells[0].local.isoformat() == "2026-07-15T11:45:00+12:45"


def test_date_change_across_the_date_line() -> None:
    plan = make_plan(places("Pacific/Kiritimati", "Pacific/Pago_Pago"), date(2026, 1, 15))
    kiritimati, pago = plan.strips
    # 25 hours apart on the clock: when Kiritimati starts Thursday, Pago Pago is on Tuesday 23:00.
    assert pago.cells[0].local.isoformat() == "2026-01-13T23:00:00-11:00"
    assert [c.new_date for c in pago.cells].count(True) == 2
    assert pago.cells[1].local.date().isoformat() == "2026-01-14"
    assert [c.new_date for c in kiritimati.cells] == [True] + [False] * 23
    # 25 hours apart: they share 7 working hours, Thursday in Kiritimati and Wednesday in Pago Pago.
    [slot] = plan.overlaps
    assert [f"{a:%a %H:%M}-{b:%H:%M}" for a, b in map(slot.local, slot.places)] == [
        "Thu 10:00-17:00",
        "Wed 09:00-16:00",
    ]
    assert plan.least_bad is None


def test_overlap_ranges_in_each_place_s_local_time() -> None:
    plan = make_plan(places("America/New_York", "Europe/London", "Europe/Berlin"), date(2026, 3, 8))
    # New York is already on EDT (-04:00), London and Berlin still on winter time.
    [slot] = plan.overlaps
    assert [f"{a:%H:%M}-{b:%H:%M}" for a, b in map(slot.local, slot.places)] == [
        "09:00-12:00",
        "13:00-16:00",
        "14:00-17:00",
    ]
    week_later = make_plan(places("America/New_York", "Europe/London"), date(2026, 3, 29))
    [slot] = week_later.overlaps  # London on BST too: 5 hours apart again, 3 hours shared
    assert slot.minutes == 3 * 60


def test_fold_in_working_hours_counts_both_occurrences() -> None:
    # 01:30-05:00 on the US fall-back day: 01:30-02:00 EDT, then 01:30-05:00 EST again.
    plan = make_plan(places("America/New_York"), date(2026, 11, 1), DailyWindow(90, 300))
    assert [(s.start.isoformat(), s.end.isoformat()) for s in plan.overlaps] == [
        ("2026-11-01T05:30:00+00:00", "2026-11-01T06:00:00+00:00"),
        ("2026-11-01T06:30:00+00:00", "2026-11-01T10:00:00+00:00"),
    ]


def _cost(plan: Plan, t: int) -> int:
    total = 0
    for strip in plan.strips:
        for m in range(t, t + HOUR, 60):
            local = datetime.fromtimestamp(m, UTC).astimezone(strip.place.zone)
            total += (not WORK.contains(_minute(local))) + NIGHT.contains(_minute(local))
    return total


@pytest.mark.parametrize("name", ["eu-fall", "far", "tokyo-lima"])
def test_least_bad_hour_has_the_lowest_cost(name: str) -> None:
    zones, day = SCENARIOS[name]
    plan = make_plan(zones, date.fromisoformat(day))
    assert plan.overlaps == ()
    assert plan.least_bad is not None
    lo, hi = int(plan.start.timestamp()), int(plan.end.timestamp())
    best = _cost(plan, int(plan.least_bad.start.timestamp()))
    assert best == min(_cost(plan, t) for t in range(lo, hi - HOUR + 1, SLOT_STEP))


def test_parse_window() -> None:
    assert parse_window("09:00-17:00") == WORK
    assert parse_window("9-17") == WORK
    assert parse_window("22:00-06:00").contains(23 * 60)
    assert parse_window("00:00-24:00").minutes == 1440
    for bad in ("9", "17:00-17:00", "25:00-26:00", "9:5-10", "a-b"):
        with pytest.raises(ValueError):
            parse_window(bad)


def test_fixed_offset_places() -> None:
    zone = parse_fixed_offset("UTC+05:30")
    assert zone is not None
    plan = make_plan([PlanPlace("UTC+05:30", zone), *places("UTC")], date(2026, 1, 1))
    [slot] = plan.overlaps
    assert (slot.start.isoformat(), slot.minutes) == ("2026-01-01T09:00:00+00:00", 150)


# Through the CLI.

NOW = datetime(2026, 3, 7, 12, tzinfo=UTC)


def test_cli_plan_table(tmp_path: Path) -> None:
    args = ["plan", "Kathmandu", "Tokyo", "--date", "2026-03-09", "--top", "1"]
    result = run_cli(args, NOW, tmp_path, tz="Asia/Kolkata")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Mon 2026-03-09 in Asia/Kolkata (24 h), working hours 09:00-17:00",
        "█ working hours  ▌ part of the hour  · night (22:00-06:00)  - day off",
        "",
    ]
    assert lines[3].split() == ["UTC", "Local", "Kathmandu", "Tokyo"]
    assert lines[4].split() == ["Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo"]
    assert lines[5].split() == ["+05:30", "+05:45", "+09:00"]
    assert lines[6] == "18:30  Mon 09 00:00 ·  Mon 09 00:15 ·  Mon 09 03:30 ·"
    assert lines[11] == "23:30         05:00 ·         05:15 ·         08:30 ▌"
    # Tokyo's Tuesday, 10 March, is a working day: no day-off line.
    assert lines[3 + 3 + 24 :] == [
        "",
        "Everyone at work: 4 h 30 min",
        "  03:30-08:00 UTC",
        "    Local      Mon 09:00-13:30 +05:30",
        "    Kathmandu  Mon 09:15-13:45 +05:45",
        "    Tokyo      Mon 12:30-17:00 +09:00",
        "",
        "Best 1 h slots (everyone inside working hours):",
        "  1. Mon 2026-03-09 05:15-06:15 UTC",
        "       Local      Mon 10:45-11:45 +05:30",
        "       Kathmandu  Mon 11:00-12:00 +05:45",
        "       Tokyo      Mon 14:15-15:15 +09:00",
    ]


def test_cli_plan_json_on_the_us_dst_day(tmp_path: Path) -> None:
    result = run_cli(
        ["plan", "London", "--date", "2026-03-08", "--format", "json"],
        NOW,
        tmp_path,
        tz="America/New_York",
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert (plan["reference"], plan["hours"]) == ("America/New_York", 23.0)
    assert [s["label"] for s in plan["strips"]] == ["Local", "London"]
    assert len(plan["strips"][1]["cells"]) == 23
    # A Sunday: nobody's working day, so no overlap; the least-bad slot says why.
    assert plan["overlaps"] == []
    assert plan["all_inside"] is False
    assert {(d["label"], d["date"], d["reason"]) for d in plan["days_off"]} == {
        ("Local", "2026-03-08", "weekend"),
        ("London", "2026-03-08", "weekend"),
    }
    assert plan["least_bad"]["local"][1]["off"]["reason"] == "weekend"
    result = run_cli(
        ["plan", "London", "--date", "2026-03-09", "--format", "json"],
        NOW,
        tmp_path,
        tz="America/New_York",
    )
    plan = json.loads(result.stdout)
    assert plan["hours"] == 24.0
    assert plan["overlaps"] == [
        {
            "start": "2026-03-09T13:00:00+00:00",
            "end": "2026-03-09T17:00:00+00:00",
            "minutes": 240,
            "local": [
                {
                    "label": "Local",
                    "timezone": "America/New_York",
                    "start": "2026-03-09T09:00:00-04:00",
                    "end": "2026-03-09T13:00:00-04:00",
                },
                {
                    "label": "London",
                    "timezone": "Europe/London",
                    "start": "2026-03-09T13:00:00+00:00",
                    "end": "2026-03-09T17:00:00+00:00",
                },
            ],
        }
    ]
    assert plan["least_bad"] is None


def test_cli_plan_local_zone_place_moves_first_and_no_local(tmp_path: Path) -> None:
    result = run_cli(
        ["plan", "Tokyo", "Lima", "--format", "json"], NOW, tmp_path, tz="America/Lima"
    )
    assert [s["label"] for s in json.loads(result.stdout)["strips"]] == ["Lima", "Tokyo"]
    result = run_cli(
        ["plan", "Tokyo", "Lima", "--no-local", "--format", "json"],
        NOW,
        tmp_path,
        tz="America/Lima",
    )
    plan = json.loads(result.stdout)
    assert [s["label"] for s in plan["strips"]] == ["Tokyo", "Lima"]
    assert plan["date"] == "2026-03-07"  # today in Tokyo at NOW (21:00)
    # not 2026-03-06T21:00Z (Tokyo's 06:00, the least-bad of the whole day): it began 15 h
    # before NOW; a plan without --date offers only slots still to come
    assert plan["least_bad"]["start"] == "2026-03-07T12:00:00+00:00"


def test_cli_plan_bad_input(tmp_path: Path) -> None:
    result = run_cli(["--strict", "plan", "Lodnon", "Tokyo", "--format", "json"], NOW, tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 'Lodnon': not found")
    assert [s["label"] for s in json.loads(result.stdout)["strips"]] == ["Local", "Tokyo"]
    assert run_cli(["plan", "Tokyo", "--work", "9"], NOW, tmp_path).exit_code == 2
    assert run_cli(["plan", "Tokyo", "--date", "2026-02-30"], NOW, tmp_path).exit_code == 2
    assert run_cli(["plan"], NOW, tmp_path).exit_code == 2
    result = run_cli(["--strict", "plan", "Lodnon", "--no-local"], NOW, tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
