"""`world-timer plan PLACE ...`: everyone's local time over one day, and when all are at work."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from world_timer.commands.places_command import PlacesCommand
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from datetime import tzinfo

    from world_timer.commands.context import CliEnv
    from world_timer.planning.planner import PlanPlace


@click.command("plan", cls=PlacesCommand)
@click.argument("places", nargs=-1, required=True)
@click.option(
    "--date",
    "day",
    metavar="DATE",
    help="YYYY-MM-DD, today or tomorrow, in the first strip's zone [default: today].",
)
@click.option(
    "--work",
    default="09:00-17:00",
    show_default=True,
    metavar="HH:MM-HH:MM",
    help="Working hours, in each place's local time.",
)
@click.option("--no-local", is_flag=True, help="Leave out your own zone (first strip otherwise).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Text strips, or JSON with the strips and the overlaps.",
)
@click.pass_obj
def plan_command(
    env: CliEnv, places: tuple[str, ...], day: str | None, work: str, no_local: bool, fmt: str
) -> None:
    """Plan a meeting: every PLACE hour by hour over one day, and when all are at work.

    Lists the overlap of everyone's working hours in each place's local time, or the least-bad
    hour when there is none. Rows are the same instants in every strip, so half- and
    quarter-hour zones show their real offset; the day is the first strip's calendar day (23 or
    25 hours on a DST change).

    \b
    Example:
      world-timer plan Tokyo "New York" London
      world-timer plan Kathmandu Chatham --no-local --date 2026-03-08 --work 08:00-16:00
    """
    from datetime import timedelta

    from world_timer.commands.at import EARLIEST, LATEST
    from world_timer.errors import PlaceError
    from world_timer.places.resolve import resolve
    from world_timer.planning.planner import PlanPlace, make_plan, parse_window
    from world_timer.planning.render import render_plan_json, render_plan_table
    from world_timer.timekeeping.instants import InstantSyntaxError, parse_date

    try:
        window = parse_window(work)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--work'") from None
    if window.end < window.start:
        click.echo(
            f"note: working hours {work.strip()} run overnight (into the next day); "
            "for afternoon hours use 24-hour times, e.g. 09:00-17:00",
            err=True,
        )
    now = env.now()
    strips: list[PlanPlace] = []
    failed = False
    for query in places:
        try:
            resolution = resolve(query, now)
        except PlaceError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        label = resolution.place.name if resolution.place else resolution.label
        strips.append(PlanPlace(label, resolution.zone))
    if not no_local:
        strips = _with_local_first(strips, env.local_zone())
    if not strips:
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    try:
        today = now.astimezone(strips[0].zone).date()
        plan_day = parse_date(day, today) if day else today
    except InstantSyntaxError as exc:
        raise click.BadParameter(str(exc), param_hint="'--date'") from None
    # A day's hours reach up to 14 h either side of it in UTC: the first and last days of the
    # instants supported are not whole.
    first, last = EARLIEST.date() + timedelta(days=1), LATEST.date() - timedelta(days=1)
    if not first <= plan_day <= last:
        raise click.BadParameter(
            f"{plan_day} is outside the days supported, {first} to {last}",
            param_hint="'--date'",
        )
    plan = make_plan(strips, plan_day, window)
    click.echo(render_plan_json(plan) if fmt == "json" else render_plan_table(plan), nl=False)
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if failed else ExitCode.OK)


def _with_local_first(strips: list[PlanPlace], zone: tzinfo) -> list[PlanPlace]:
    """Your own zone first: a listed place in it moves to the front, else a `Local` strip."""
    from world_timer.planning.planner import PlanPlace
    from world_timer.timekeeping.zones import zone_name

    key = zone_name(zone)
    for index, place in enumerate(strips):
        if place.zone_key == key:
            return [place, *strips[:index], *strips[index + 1 :]]
    return [PlanPlace("Local", zone), *strips]
