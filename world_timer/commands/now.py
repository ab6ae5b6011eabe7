"""`world-timer now` (the default command): the time in each place named, rendered, logged."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from world_timer.commands.at import at_options, instant_at
from world_timer.commands.context import (
    CliEnv,
    complete_places,
    log_dir_option,
    output_options,
    output_settings,
    setup_logging,
)
from world_timer.commands.metrics import metrics_options, record_metrics
from world_timer.commands.places_command import PlacesCommand
from world_timer.commands.source_options import SourceChoice, source_options
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.reading.readings import Reading
    from world_timer.render import Style

DEFAULT_COMMAND = "now"


@click.command(DEFAULT_COMMAND, cls=PlacesCommand)
@click.argument("places", nargs=-1, shell_complete=complete_places)
@click.option(
    "-c",
    "--city",
    "--cities",
    "cities",
    multiple=True,
    metavar="PLACE",
    shell_complete=complete_places,
    help="A place (repeatable).",
)
@output_options
@at_options
@click.option(
    "--relative-to",
    "relative_to",
    metavar="PLACE",
    shell_complete=complete_places,
    help="Show the difference column relative to this place instead of your own zone ($TZ).",
)
@click.option("--watch", is_flag=True, help="Refresh every second in place; q or Ctrl-C quits.")
@source_options
@log_dir_option
@metrics_options
@click.pass_obj
def now_command(
    env: CliEnv,
    places: tuple[str, ...],
    cities: tuple[str, ...],
    fmt: str | None,
    hour12: bool | None,
    seconds: bool | None,
    at: str | None,
    fold: int | None,
    relative_to: str | None,
    watch: bool,
    source: SourceChoice,
    log_dir: Path | None,
    metrics_textfile: Path | None,
    pushgateway: str | None,
) -> None:
    """Show the current time in each PLACE: a city, an IANA zone key or a UTC offset.

    Places are printed in the order given (arguments first, then -c options); with none, the
    `cities` of the config file (`world-timer config add`). `LABEL=PLACE` names a row your way.
    A place that cannot be found is reported on stderr and the others are still printed (exit
    code 1).

    \b
    Example:
      world-timer Tokyo Lima
      world-timer -c "Portland, Maine" -c "Córdoba, Spain" -c UTC+05:30
      world-timer --at "tomorrow 9:00 Lima" Tokyo London
      world-timer --at "Friday 15:00 Tokyo" London
      world-timer Tokyo Lima --relative-to "New York"
      world-timer "Tokyo office=Asia/Tokyo" "HQ=Paris, TX"
      world-timer --source api Tokyo Lima
    """
    settings, style, fmt = output_settings(env, fmt, hour12, seconds)
    settings = settings.override("command line", log_dir=log_dir, **source.overrides())
    choice = source.with_settings(settings)
    queries = [*places, *cities] or list(settings.cities)
    if not queries:
        raise click.UsageError(
            "name at least one place, e.g. `world-timer Tokyo Lima` (or set `cities` in the config)"
        )
    if watch:
        if relative_to is not None:
            raise click.UsageError("--relative-to does not apply to --watch (yet)")
        from world_timer.commands.watch import watch_places

        watch_places(env, queries, settings.format, settings.hour12, at)
    if at is not None and choice.source == "api":
        raise click.UsageError("--at reads the embedded tz database: it cannot use --source api")
    from world_timer.commands.source_options import read_with_source, report_source
    from world_timer.places.labels import split_labels
    from world_timer.reading.journal import log_readings
    from world_timer.reading.readings import with_labels

    setup_logging(env, settings)
    versus = _reference(env, relative_to)
    unlabelled, labels = split_labels(queries)
    readings, requests = read_with_source(choice, unlabelled, env, instant_at(env, at, fold))
    readings = with_labels(readings, labels)
    click.echo(_render(readings, fmt, style, versus), nl=False)
    log_readings(readings)  # one locked write for all the lines
    for reading in readings:
        if reading.error is not None:
            click.echo(f"error: {reading.error}", err=True)
        elif reading.resolution is not None:
            for note in reading.resolution.notes:
                click.echo(f"note: {note}", err=True)
    report_source(choice, readings, env)
    record_metrics(env, settings, readings, requests, metrics_textfile, pushgateway)
    failed = any(not r.ok for r in readings)
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if failed else ExitCode.OK)


def _reference(env: CliEnv, relative_to: str | None) -> tuple[tzinfo, str]:
    """The zone of the difference column and its header word: your own zone (`local`), or the
    place of --relative-to (its name: `vs Tokyo`); an unknown place exits 1 with one line."""
    if relative_to is None:
        return env.local_zone(), "local"
    from world_timer.errors import PlaceError
    from world_timer.places.resolve import resolve

    try:
        resolution = resolve(relative_to, env.now())
    except PlaceError as exc:
        click.echo(f"error: --relative-to: {exc}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    for note in resolution.notes:
        click.echo(f"note: --relative-to: {note}", err=True)
    name = resolution.place.name if resolution.place else resolution.label
    return resolution.zone, name


def _render(readings: list[Reading], fmt: str, style: Style, versus: tuple[tzinfo, str]) -> str:
    from world_timer import render

    zone, name = versus
    if fmt == "json":
        return render.render_json(readings, zone)
    if fmt == "plain":
        return render.render_plain(readings, zone, style)
    return render.render_table(readings, zone, style, name)
