"""`world-timer search` and `world-timer zones`: listing places and IANA zone keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from world_timer.commands.context import output_options, output_settings, stdout_is_terminal
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv


@click.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@output_options
@click.pass_obj
def search_command(
    env: CliEnv, query: str, limit: int, fmt: str | None, hour12: bool | None, seconds: bool | None
) -> None:
    """List the places whose name starts with QUERY, most populous first, with their time now.

    \b
    Example:
      world-timer search Portland
      world-timer search "San J" --limit 5
    """
    from world_timer.listings import render_search
    from world_timer.places.search import explain, read_as, search_places

    _settings, style, fmt = output_settings(env, fmt, hour12, seconds)
    found = search_places(query, limit)
    reading = read_as(query, env.now())
    if not found and reading is None:
        click.echo(f"error: no place starts with {query.strip()[:40]!r}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    if found:
        click.echo(render_search(found, env.now(), fmt, style, query), nl=False)
    reason = reading or explain(query)
    if reason:
        click.echo(f"note: {reason}", err=True)


@click.command("zones")
@click.argument("area", required=False)
@click.option("--country", metavar="CC", help="Only the zones of this ISO 3166 country code.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "plain", "json"]),
    default=None,
    help="Output format [default: table on a terminal, plain (tab-separated) when piped].",
)
@click.pass_obj
def zones_command(env: CliEnv, area: str | None, country: str | None, fmt: str | None) -> None:
    """List IANA zone keys with their UTC offset and abbreviation now (and DST when in effect).

    \b
    Example:
      world-timer zones Europe
      world-timer zones --country US --format json
    """
    from world_timer.listings import render_zones, zone_times

    try:
        times = zone_times(area, country, env.now())
    except LookupError as exc:
        click.echo(f"error: {exc.args[0]}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    fmt = fmt or ("table" if stdout_is_terminal() else "plain")
    click.echo(render_zones(times, fmt), nl=False)
