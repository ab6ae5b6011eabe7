"""`world-timer plan PLACE ...`: the best meeting slots across places, days off included."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from world_timer.commands.context import complete_places
from world_timer.commands.places_command import PlacesCommand
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date, datetime, tzinfo

    from world_timer.commands.context import CliEnv
    from world_timer.planning.daysoff import DayOff
    from world_timer.planning.intervals import DailyWindow
    from world_timer.planning.planner import PlanPlace, Slot

MAX_DAYS = 31
PLACE_HOURS = re.compile(r"(?P<place>.*?)\s*=\s*(?P<hours>\d.*)")
"""`Tokyo=10:00-19:00`: a place with its own working hours (the part after `=` starts with a
digit; `Paris, TX` and other names never do)."""


@click.command("plan", cls=PlacesCommand)
@click.argument("places", nargs=-1, required=True, shell_complete=complete_places)
@click.option(
    "--date",
    "day",
    metavar="DATE",
    help="YYYY-MM-DD, today or tomorrow, in the first strip's zone [default: today].",
)
@click.option("--week", is_flag=True, help="Plan Monday to Sunday of the week of --date.")
@click.option(
    "--days", type=click.IntRange(1, MAX_DAYS), metavar="N", help="Plan N days from --date."
)
@click.option(
    "--duration",
    default="1h",
    show_default=True,
    metavar="LENGTH",
    help="Meeting length: 30m, 1h, 1h30m, 90 (minutes); slots start every 15 minutes.",
)
@click.option(
    "--hours",
    "--work",
    "work",
    metavar="HH:MM-HH:MM",
    help="Everyone's working hours, local time [default: `working_hours` setting, else "
    "09:00-17:00]; PLACE=HH:MM-HH:MM gives one place its own.",
)
@click.option("--no-holidays", is_flag=True, help="Ignore public holidays (weekends still count).")
@click.option(
    "--top", type=click.IntRange(1, 20), default=5, show_default=True, help="Slots listed."
)
@click.option(
    "--ics",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the chosen slot (--pick) as an iCalendar event (RFC 5545, UTC times).",
)
@click.option(
    "--pick",
    type=click.IntRange(1, 20),
    default=1,
    show_default=True,
    help="Which ranked slot --ics exports.",
)
@click.option("--title", metavar="TEXT", help="The --ics event's summary [default: Meeting: …].")
@click.option("--no-local", is_flag=True, help="Leave out your own zone (first strip otherwise).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Text, or JSON with the days, days off, strips, overlaps and ranked slots.",
)
@click.pass_obj
def plan_command(
    env: CliEnv,
    places: tuple[str, ...],
    day: str | None,
    week: bool,
    days: int | None,
    duration: str,
    work: str | None,
    no_holidays: bool,
    top: int,
    ics: Path | None,
    pick: int,
    title: str | None,
    no_local: bool,
    fmt: str,
) -> None:
    """Plan a meeting: the best slots when every PLACE is at work, ranked.

    Each place has working hours (09:00-17:00 local unless told) and days off: the weekend
    of its country (Friday-Saturday where that is the norm; Saturday-Sunday for a zone of no
    country) and public holidays of its country and region (holidays package, 2025-2035).
    Slots of --duration start every 15 minutes; with everyone inside working hours they are
    ranked by the room left to anyone's start or end of work, then the earliest; when there
    is none, the least-bad ones (fewest minutes outside working hours, night minutes counted
    twice) say who is outside and by how much. A one-day plan also shows every place hour by
    hour (23 or 25 rows on a DST change day).

    \b
    Example:
      world-timer plan Lima Madrid --week --date 2026-12-07 --duration 30m
      world-timer plan Tokyo=10:00-19:00 London "New York" --days 3
      world-timer plan Lima Madrid --date 2026-12-10 --ics meeting.ics
    """

    from world_timer.planning.intervals import parse_duration, parse_window
    from world_timer.planning.planner import make_plan
    from world_timer.planning.render import render_plan_json, render_plan_table

    if week and days:
        raise click.UsageError("--week and --days cannot be used together")
    settings_hours = dict(env.settings().working_hours)
    try:
        default_hours = parse_window(work or settings_hours.get("default", "09:00-17:00"))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--hours'") from None
    try:
        minutes = parse_duration(duration)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--duration'") from None
    now = env.now()
    strips, failed = _resolve(places, now, default_hours, settings_hours)
    if not no_local:
        strips = _with_local_first(strips, env.local_zone(), default_hours, settings_hours)
    if not strips:
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    for place in strips:
        if place.work.end < place.work.start:
            click.echo(
                f"note: working hours {place.work} of {place.label} run overnight (into the next "
                "day); for afternoon hours use 24-hour times, e.g. 09:00-17:00",
                err=True,
            )
    plan_day, count, past = _plan_days(day, week, days, now.astimezone(strips[0].zone).date())
    offs, notes = _days_off(strips, plan_day, count, not no_holidays)
    notes = [*past, *notes]
    plan = make_plan(
        strips,
        plan_day,
        days=count,
        duration=minutes,
        top=top,
        days_off=offs,
        holidays=not no_holidays,
        notes=notes,
        not_before=None if day else now,  # an explicit --date shows its past slots too
    )
    if ics is not None and pick > len(plan.slots):
        raise click.BadParameter(
            f"slot {pick} asked for, but the plan has {len(plan.slots)}", param_hint="'--pick'"
        )
    click.echo(render_plan_json(plan) if fmt == "json" else render_plan_table(plan), nl=False)
    if ics is not None and failed:
        # A calendar event missing a place would invite the wrong people at the wrong time.
        click.echo(f"error: {ics}: not written: a place was not found", err=True)
    elif ics is not None and not _export(plan.slots[pick - 1], ics, title, now, strips):
        failed = True
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if failed else ExitCode.OK)


def _resolve(
    queries: tuple[str, ...],
    now: datetime,
    default: DailyWindow,
    configured: Mapping[str, str],
) -> tuple[list[PlanPlace], bool]:
    """Resolve each PLACE (or PLACE=HOURS); errors go to stderr, one line each."""
    from world_timer.errors import PlaceError
    from world_timer.places.resolve import resolve
    from world_timer.planning.daysoff import country_of_zone, region_of
    from world_timer.planning.intervals import parse_window
    from world_timer.planning.planner import PlanPlace

    strips: list[PlanPlace] = []
    failed = False
    for argument in queries:
        query, hours = argument, None
        match = PLACE_HOURS.fullmatch(argument.strip())
        if match:
            query, hours = match["place"], match["hours"]
            try:
                window = parse_window(hours)
            except ValueError as exc:
                raise click.BadParameter(f"{argument!r}: {exc}", param_hint="'PLACE'") from None
        try:
            resolution = resolve(query, now)
        except PlaceError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        label = resolution.place.name if resolution.place else resolution.label
        if not hours:
            window = _configured(configured, (query, label, resolution.zone_key), default)
        place = resolution.place
        country = place.country_code if place else country_of_zone(resolution.zone_key)
        subdiv = region_of(place.country_code, place.admin1_code) if place else None
        strips.append(PlanPlace(label, resolution.zone, window, country, subdiv))
    return strips, failed


def _configured(
    configured: Mapping[str, str], names: tuple[str, ...], default: DailyWindow
) -> DailyWindow:
    """The `working_hours` setting's window for a place, matched on what was typed, its label
    or its zone key (case-insensitive); `default` when none matches."""
    from world_timer.planning.intervals import parse_window

    folded = {name.casefold() for name in names}
    for key, hours in configured.items():
        if key != "default" and key.casefold() in folded:
            return parse_window(hours)
    return default


def _days_off(
    strips: list[PlanPlace], first: date, count: int, holidays: bool
) -> tuple[list[Mapping[date, DayOff]], list[str]]:
    """Each place's days off over the plan (a day either side: local dates differ), and notes:
    for a place whose days off are assumed, and when the plan reaches past the years of the
    holiday data."""
    from datetime import timedelta

    from world_timer.planning.daysoff import coverage, knows_country, place_days_off

    start, end = first - timedelta(days=1), first + timedelta(days=count)
    offs: list[Mapping[date, DayOff]] = [
        place_days_off(p.country, p.subdiv, start, end, holidays) for p in strips
    ]
    notes = []
    for place in strips:
        if place.country and knows_country(place.country):
            continue
        # No country, or one the data lacks: place_days_off gave Saturday-Sunday; say so.
        where = (
            f"{place.label} ({place.zone_key}) is in no country"
            if not place.country
            else f"the holiday data has no days off for {place.label}'s country ({place.country})"
        )
        notes.append(f"{where}: its weekend is taken as Saturday–Sunday, with no public holidays")
    low, high, source = coverage()
    if holidays and (first.year < low or (first + timedelta(days=count - 1)).year > high):
        notes.append(
            f"public holidays are known for {low} to {high} ({source}): none are shown "
            "outside those years"
        )
    return offs, notes


def _plan_days(
    day: str | None, week: bool, days: int | None, today: date
) -> tuple[date, int, list[str]]:
    """The plan's first day and its number of days (--date, --week, --days), and a note when
    this week's plan (--week, no --date) leaves out the days before `today`, which have no slot."""
    from datetime import timedelta

    from world_timer.commands.at import EARLIEST, LATEST
    from world_timer.timekeeping.instants import InstantSyntaxError, parse_date

    try:
        plan_day = parse_date(day, today) if day else today
    except InstantSyntaxError as exc:
        raise click.BadParameter(str(exc), param_hint="'--date'") from None
    count, past = days or 1, []
    if week:
        plan_day, count = plan_day - timedelta(days=plan_day.weekday()), 7
        if not day and plan_day < today:
            gone = (today - plan_day).days
            past.append(_past_days_note(plan_day, today - timedelta(days=1), gone))
            plan_day, count = today, 7 - gone
    # A day's hours reach up to 14 h either side of it in UTC: the first and last days of the
    # instants supported are not whole.
    first, last = EARLIEST.date() + timedelta(days=1), LATEST.date() - timedelta(days=1)
    if not first <= plan_day <= plan_day + timedelta(days=count - 1) <= last:
        raise click.BadParameter(
            f"{plan_day} is outside the days supported, {first} to {last}",
            param_hint="'--date'",
        )
    return plan_day, count, past


def _past_days_note(first: date, last: date, count: int) -> str:
    """`Mon 2026-11-30 to Wed 2026-12-02 (3 days) are past: left out of this week's plan`."""
    span = f"{first:%a} {first.isoformat()}"
    if last != first:
        span += f" to {last:%a} {last.isoformat()}"
    days = "1 day" if count == 1 else f"{count} days"
    verb = "is" if count == 1 else "are"
    return f"{span} ({days}) {verb} past: left out of this week's plan (--date to see them)"


def _export(
    slot: Slot, path: Path, title: str | None, now: datetime, strips: list[PlanPlace]
) -> bool:
    """Write `slot` to `path` as iCalendar; False (after a one-line error) when it cannot be."""
    from importlib.metadata import version

    from world_timer.planning.ics import slot_to_ics, write_file_safely

    product = f"-//World Timer//world-timer {version('world-timer')}//EN"
    summary = title or "Meeting: " + ", ".join(place.label for place in strips)
    try:
        write_file_safely(path, slot_to_ics(slot, summary, now, product))
    except OSError as exc:
        click.echo(f"error: {path}: cannot write the calendar file: {exc.strerror}", err=True)
        return False
    click.echo(f"wrote {path}: {slot.start:%a %Y-%m-%d %H:%M}-{slot.end:%H:%M} UTC", err=True)
    return True


def _with_local_first(
    strips: list[PlanPlace], zone: tzinfo, default: DailyWindow, configured: Mapping[str, str]
) -> list[PlanPlace]:
    """Your own zone first: a listed place in it moves to the front, else a `Local` strip."""
    from world_timer.planning.daysoff import country_of_zone
    from world_timer.planning.planner import PlanPlace
    from world_timer.timekeeping.zones import zone_name

    key = zone_name(zone)
    for index, place in enumerate(strips):
        if place.zone_key == key:
            return [place, *strips[:index], *strips[index + 1 :]]
    window = _configured(configured, ("Local", key), default)
    return [PlanPlace("Local", zone, window, country_of_zone(key)), *strips]
