"""`world-timer check-clock`: how far the local clock is from a worldtimeapi server's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from world_timer.commands.context import log_dir_option
from world_timer.commands.source_options import (
    DEFAULT_MAX_SKEW,
    FiniteFloatRange,
    SourceChoice,
    api_url_option,
    timeout_option,
)
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv


@click.command("check-clock")
@api_url_option
@timeout_option
@click.option(
    "--max-skew",
    type=FiniteFloatRange(0),
    default=DEFAULT_MAX_SKEW,
    show_default=True,
    help="Exit 1 when the local clock is further than this from the API's (seconds), beyond the "
    "measurement's margin.",
)
@click.option(
    "--samples",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Requests made; the one with the shortest round trip is kept.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A sentence, or a JSON object for scripts.",
)
@log_dir_option
@click.pass_obj
def check_clock_command(
    env: CliEnv,
    api_url: str | None,
    timeout: float | None,
    max_skew: float,
    samples: int,
    fmt: str,
    log_dir: Path | None,
) -> None:
    """Compare the local clock with a worldtimeapi API's clock.

    The skew is measured at the middle of the request's round trip, so it is known to ± half the
    round trip. Exit 1 when the skew is past --max-skew even at the edge of that margin, or the API
    gave no usable answer, else 0: run it from a scheduler to catch a drifting clock.

    \b
    Example:
      world-timer check-clock
      world-timer check-clock --api-url http://127.0.0.1:8080/api --max-skew 0.5
    """
    from world_timer.commands.context import setup_logging
    from world_timer.sources.clockcheck import ClockCheckError, measure_clock_skew

    effective = env.settings().override(
        "command line", api_url=api_url, timeout=timeout, log_dir=log_dir
    )
    setup_logging(env, effective)
    choice = SourceChoice(source="api", fallback=False).with_settings(effective)
    settings = choice.settings()
    try:
        skew = measure_clock_skew(settings, env.now, samples)
    except ClockCheckError as exc:
        click.echo(f"error: clock check failed: {exc}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    # Past the limit only when it is so even at the edge of the measurement's margin: a skew
    # within ±uncertainty is reported as agreeing, and must not fail at the same time.
    past = abs(skew.skew) - skew.uncertainty > max_skew
    if fmt == "json":
        import json

        data = {**skew.to_dict(), "max_skew_seconds": max_skew, "ok": not past}
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(skew.describe())
    if past:
        click.echo(
            f"error: the local clock is {abs(skew.skew):.3f} s off the API's "
            f"(±{skew.uncertainty:.3f} s), more than --max-skew {max_skew:g} s",
            err=True,
        )
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if past else ExitCode.OK)
