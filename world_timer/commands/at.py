"""`--at WHEN` / `--fold`: read the places at any instant instead of now (options of `now`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv

F = TypeVar("F", bound=Callable[..., Any])


def at_options(func: F) -> F:
    """--at WHEN and --fold 0|1 (passed as `at` and `fold`)."""
    func = click.option(
        "--fold",
        type=click.IntRange(0, 1),
        default=None,
        metavar="0|1",
        help="For a local time that happens twice (clocks going back): 0 the first [default], "
        "1 the second.",
    )(func)
    return click.option(
        "--at",
        "at",
        metavar="WHEN",
        help="Show the places at this instant instead of now: ISO 8601 with offset or Z, "
        "@UNIXTIME, 'in 2 hours', '90 minutes ago', or a local time '[DAY] TIME [PLACE]': "
        "'15:00 Tokyo', 'Friday noon Tokyo', 'next monday 9:00 Lima', 'tomorrow 9am', "
        "'3:30 p.m.', 'midnight', '2026-W10-3 15:00' (ISO week date), '17:30' in your own "
        "zone. A weekday is today or the coming one; 'next' skips today.",
    )(func)


EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)
"""Instants --at and plan accept: a year either side of datetime's range, which DST rules need."""


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def instant_at(env: CliEnv, at: str | None, fold: int | None) -> datetime:
    """The instant to read the places at: `env.now()`, or WHEN parsed (notes go to stderr).

    Text in no accepted form is a usage error (exit 2); a local time in a spring-forward gap or
    an unknown place in WHEN exits 1 with one line on stderr.
    """
    if at is None:
        if fold is not None:
            raise click.UsageError("--fold only applies with --at")
        return env.now()
    from world_timer.errors import WorldTimerError
    from world_timer.reading.instants import parse_instant
    from world_timer.timekeeping.instants import InstantSyntaxError

    try:
        instant = parse_instant(at, env.now(), env.local_zone(), fold or 0)
        in_range = EARLIEST <= instant.when <= LATEST
    except InstantSyntaxError as exc:
        # The message quotes the text cut short; the hint (every accepted form) is never cut.
        hint = f"\nhint: {exc.hint}" if exc.hint else ""
        raise click.BadParameter(f"{exc}{hint}", param_hint="'--at'") from None
    except WorldTimerError as exc:
        click.echo(f"error: --at: {_cut(str(exc), 300)}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    except (OverflowError, ValueError):  # datetime's own limits, years 1 and 9999
        in_range = False
    if not in_range:
        raise click.BadParameter(
            f"{_cut(at)!r} is outside the instants supported, {EARLIEST.date()} to "
            f"{LATEST.date()} (UTC)",
            param_hint="'--at'",
        )
    # how the place in WHEN was read (`15:00 JST`: an abbreviation), then the fold, if any
    place_notes = instant.resolution.notes if instant.resolution else ()
    for note in (*place_notes, *instant.notes):
        click.echo(f"note: {note}", err=True)
    return instant.when
