"""`world-timer watch PLACE ...` and `world-timer --watch`: the clocks, refreshed every second."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from world_timer.commands.context import complete_places
from world_timer.commands.places_command import PlacesCommand
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from datetime import datetime

    from world_timer.commands.context import CliEnv


@click.command("watch", cls=PlacesCommand)
@click.argument("places", nargs=-1, shell_complete=complete_places)
@click.option(
    "-c", "--city", "cities", multiple=True, metavar="PLACE", help="A place (repeatable)."
)
@click.option(
    "--12h/--24h", "hour12", default=None, help="12-hour clock with AM/PM, or 24-hour (default)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "plain", "json"]),
    default=None,
    help="Output when stdout is not a terminal (printed once) [default: plain].",
)
@click.pass_obj
def watch_command(
    env: CliEnv,
    places: tuple[str, ...],
    cities: tuple[str, ...],
    hour12: bool | None,
    fmt: str | None,
) -> None:
    """Show each PLACE's time with seconds, refreshed every second in place; q or Ctrl-C quits.

    When stdout is not a terminal the times are printed once, as `world-timer --seconds` would.

    \b
    Example:
      world-timer watch Tokyo Lima "New York"
    """
    settings = env.settings().override("command line", hour12=hour12, format=fmt)
    queries = [*places, *cities] or list(settings.cities)
    watch_places(env, queries, settings.format, settings.hour12)


def watch_places(
    env: CliEnv, queries: list[str], fmt: str | None, hour12: bool, at: str | None = None
) -> None:
    """The live view of `queries` (shared by `watch` and `now --watch`); exits the context.

    Exit code 1 when a place is not resolved (reported once on stderr, the others still shown);
    Ctrl-C propagates as KeyboardInterrupt (exit 130 in `main`), `q` exits normally.
    """
    if at is not None:
        raise click.UsageError("--watch shows the time now: it cannot be combined with --at")
    if not queries:
        raise click.UsageError("name at least one place, e.g. `world-timer watch Tokyo Lima`")
    from world_timer.commands.context import stdout_is_terminal
    from world_timer.places.labels import split_labels
    from world_timer.reading.readings import read_clocks, with_labels
    from world_timer.render import Style, render_json, render_plain, render_table
    from world_timer.timekeeping.zonetime import zone_time

    places, labels = split_labels(queries)
    readings = with_labels(read_clocks(places, env.now()), labels)
    for reading in readings:
        if reading.error is not None:
            click.echo(f"error: {reading.error}", err=True)
    exit_code = ExitCode.OK if all(r.ok for r in readings) else ExitCode.NOT_RESOLVED
    context = click.get_current_context()
    here = env.local_zone()
    terminal = stdout_is_terminal()
    style = Style(hour12=hour12, seconds=True, color=terminal and not env.environ.get("NO_COLOR"))
    if not terminal or not any(r.ok for r in readings):
        fmt = fmt or "plain"
        if fmt == "json":
            click.echo(render_json(readings), nl=False)
        else:
            render = render_table if fmt == "table" else render_plain
            click.echo(render(readings, here, style), nl=False)
        context.exit(exit_code)
    resolved = [r for r in readings if r.ok and r.resolution is not None]
    import gc

    gc.enable()  # world_timer/console.py paused the collector; the live view runs until stopped

    def frame(instant: datetime) -> str:
        rows = [
            r._replace(time=zone_time(r.resolution.zone, instant))
            for r in resolved
            if r.resolution is not None
        ]
        return render_table(rows, here, style) + "q or Ctrl-C to quit\n"

    from world_timer.live import run_live

    run_live(frame, env.now, sys.stdout, sys.stdin)
    context.exit(exit_code)
