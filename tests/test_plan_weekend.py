"""`plan` around the weekend with the clock injected: a zone of no country (`Etc/UTC`, the
implicit `Local` strip of a machine on UTC) keeps the common Saturday–Sunday weekend, and
`--week` run late in the week says which of its days are past instead of calling the rest
"7 days"."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from typing import Any

from click.testing import CliRunner

from world_timer.cli import cli
from world_timer.commands.context import CliEnv
from world_timer.commands.plan import _days_off
from world_timer.planning.daysoff import knows_country, place_days_off
from world_timer.planning.intervals import parse_window
from world_timer.planning.planner import PlanPlace
from world_timer.timekeeping.zones import load_zone

SATURDAY = datetime(2026, 12, 5, 10, tzinfo=UTC)
THURSDAY = datetime(2026, 12, 3, 12, 55, tzinfo=UTC)
NO_COUNTRY = (
    "Local (Etc/UTC) is in no country: its weekend is taken as Saturday–Sunday, "
    "with no public holidays"
)


def plan(args: list[str], now: datetime, tz: str = "Etc/UTC") -> tuple[int, str]:
    env = CliEnv(now=lambda: now, environ={"TZ": tz, "WORLD_TIMER_LOG_DIR": os.devnull})
    result = CliRunner().invoke(cli, ["plan", *args], obj=env)
    return result.exit_code, result.stdout


def plan_json(args: list[str], now: datetime, tz: str = "Etc/UTC") -> dict[str, Any]:
    code, out = plan([*args, "--format", "json"], now, tz)
    assert code == 0, out
    document: dict[str, Any] = json.loads(out)
    return document


def test_on_saturday_a_zone_of_no_country_is_off_like_everyone() -> None:
    """Found in review: on a Saturday, `Local` (Etc/UTC) counted as at work, so with a place
    in the same zone the plan offered Saturday slots as if everyone were at work."""
    found = plan_json(["London", "--date", "2026-12-05"], SATURDAY)
    assert [s["label"] for s in found["strips"]] == ["Local", "London"]
    assert {(d["label"], d["date"], d["reason"]) for d in found["days_off"]} == {
        ("Local", "2026-12-05", "weekend"),
        ("London", "2026-12-05", "weekend"),
    }
    assert found["overlaps"] == [] and found["all_inside"] is False
    assert found["notes"] == [NO_COUNTRY]
    # Alone (a zone key typed as the place), it has no working hours on Saturday either.
    alone = plan_json(["Etc/UTC", "--date", "2026-12-05", "--no-local"], SATURDAY)
    assert alone["overlaps"] == []
    assert [d["date"] for d in alone["days_off"]] == ["2026-12-05"]
    assert alone["notes"] == [NO_COUNTRY.replace("Local", "Etc/UTC", 1)]


def test_a_zone_of_no_country_works_on_weekdays() -> None:
    found = plan_json(["London", "--date", "2026-12-04"], SATURDAY)  # Friday
    assert found["days_off"] == []
    [overlap] = found["overlaps"]
    assert (overlap["start"], overlap["end"]) == (
        "2026-12-04T09:00:00+00:00",
        "2026-12-04T17:00:00+00:00",
    )
    assert found["notes"] == [NO_COUNTRY]


def test_a_country_the_holiday_data_lacks_gets_the_common_weekend() -> None:
    assert knows_country("PE") and not knows_country("XX")
    for country in ("XX", None):  # one the data lacks, and none (Etc/UTC): the same answer
        assert sorted(place_days_off(country, None, date(2026, 12, 4), date(2026, 12, 7))) == [
            date(2026, 12, 5),
            date(2026, 12, 6),
        ]
    place = PlanPlace("Nowhere", load_zone("Europe/Paris"), parse_window("09:00-17:00"), "XX")
    [offs], notes = _days_off([place], date(2026, 12, 7), 7, holidays=True)
    # the week and a day either side (local dates differ): Sunday 6 December too
    assert sorted(offs) == [date(2026, 12, 6), date(2026, 12, 12), date(2026, 12, 13)]
    assert notes == [
        "the holiday data has no days off for Nowhere's country (XX): its weekend is taken as "
        "Saturday–Sunday, with no public holidays"
    ]


def test_this_weeks_plan_says_which_days_are_past_and_counts_the_rest() -> None:
    code, out = plan(["London", "--week"], THURSDAY, tz="Europe/London")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Thu 2026-12-03 to Sun 2026-12-06 in Europe/London (4 days), working hours 09:00-17:00"
    )
    assert (
        "note: Mon 2026-11-30 to Wed 2026-12-02 (3 days) are past: left out of this week's plan "
        "(--date to see them)"
    ) in lines
    found = plan_json(["London", "--week"], THURSDAY, tz="Europe/London")
    assert [d["date"] for d in found["days"]] == ["2026-12-03", "2026-12-04", "2026-12-05",
                                                  "2026-12-06"]  # fmt: skip
    assert found["notes"][0].startswith("Mon 2026-11-30 to Wed 2026-12-02 (3 days) are past")


def test_this_weeks_plan_on_sunday_is_one_day_and_on_monday_all_seven() -> None:
    sunday = datetime(2026, 12, 6, 8, tzinfo=UTC)
    found = plan_json(["London", "--week"], sunday, tz="Europe/London")
    assert [d["date"] for d in found["days"]] == ["2026-12-06"]
    assert found["notes"] == [
        "Mon 2026-11-30 to Sat 2026-12-05 (6 days) are past: left out of this week's plan "
        "(--date to see them)"
    ]
    monday = datetime(2026, 12, 7, 8, tzinfo=UTC)
    code, out = plan(["London", "--week"], monday, tz="Europe/London")
    assert code == 0 and "(7 days)" in out.splitlines()[0]
    assert "past" not in out
    # An explicit --date is a question about that week: all seven days, nothing left out.
    explicit = plan_json(["London", "--week", "--date", "2026-12-01"], THURSDAY, tz="Europe/London")
    assert len(explicit["days"]) == 7 and explicit["notes"] == []


def test_the_python_api_plan_gives_a_zone_of_no_country_the_same_weekend() -> None:
    import world_timer

    saturday = date(2026, 12, 12)
    found = world_timer.plan(["Etc/UTC", "London"], day=saturday, now=THURSDAY)
    off = {(place.label, day_off.day) for place, day_off in found.days_off}
    assert ("Etc/UTC", saturday) in off  # before: the API's plan had Etc/UTC at work
    assert found.overlaps == ()
