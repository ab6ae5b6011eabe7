"""The time-source options of `now` (--source api, --api-url, --timeout...) and their CLI glue.

`source_options` declares the options once and hands the command one `SourceChoice`; the other
functions read the clocks through the chosen source and report on stderr. Nothing here imports
requests: that happens only when the API source is used.
"""

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from world_timer.sources import DEFAULT_API_URL, SOURCES, ApiSettings, check_api_url

if TYPE_CHECKING:
    from datetime import datetime

    from world_timer.commands.context import CliEnv
    from world_timer.ops.config import Settings
    from world_timer.reading.readings import Reading

F = TypeVar("F", bound=Callable[..., Any])
API_URL_ENV = "WORLD_TIMER_API_URL"
DEFAULT_MAX_SKEW = 2.0


class SourceChoice(NamedTuple):
    """The time source the command line asked for, with the API source's settings."""

    source: str | None = None
    api_url: str | None = None
    timeout: float | None = None
    concurrency: int | None = None
    fallback: bool = True
    check_clock: bool = False

    def overrides(self) -> dict[str, Any]:
        """The options given on the command line, as Settings fields (None: not given)."""
        return {
            "source": self.source,
            "api_url": self.api_url,
            "timeout": self.timeout,
            "concurrency": self.concurrency,
        }

    def with_settings(self, settings: "Settings") -> "SourceChoice":
        """The choice completed from the effective settings (config file, environment)."""
        return self._replace(
            source=settings.source,
            api_url=settings.api_url,
            timeout=settings.timeout,
            concurrency=settings.concurrency,
        )

    def settings(self) -> ApiSettings:
        """The ApiSettings of this choice (URL checked by the settings or the option)."""
        return ApiSettings(
            base_url=self.api_url or DEFAULT_API_URL,
            timeout=self.timeout or 5.0,
            concurrency=self.concurrency or 8,
        )


def _url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_api_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def api_url_option(func: F) -> F:
    """--api-url: the worldtimeapi base URL (shared by `now` and `check-clock`)."""
    return click.option(
        "--api-url",
        metavar="URL",
        callback=_url,
        help="Base URL of a worldtimeapi-compatible API [default: `api_url` setting, "
        f"${API_URL_ENV}, else {DEFAULT_API_URL}].",
    )(func)


class FiniteFloatRange(click.FloatRange):
    """click.FloatRange that also refuses `nan` and `inf` (which compare False to any bound)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def timeout_option(func: F) -> F:
    """--timeout: the overall deadline of the API call, in seconds."""
    return click.option(
        "--timeout",
        type=FiniteFloatRange(0.1, 300),
        default=None,
        help="Deadline in seconds for all API requests, retries included [default: 5].",
    )(func)


def source_options(func: F) -> F:
    """Add --source, --api-url, --timeout, --concurrency, --no-fallback and --check-clock to a
    command; it receives them as one keyword argument `source: SourceChoice`."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        choice = SourceChoice(
            source=kwargs.pop("source_name"),
            api_url=kwargs.pop("api_url"),
            timeout=kwargs.pop("timeout"),
            concurrency=kwargs.pop("concurrency"),
            fallback=not kwargs.pop("no_fallback"),
            check_clock=kwargs.pop("check_clock"),
        )
        return func(*args, source=choice, **kwargs)

    options = [
        click.option(
            "--source",
            "source_name",
            type=click.Choice(SOURCES),
            default=None,
            help="Where times come from: the embedded tz database (offline, the default) or a "
            "worldtimeapi API.",
        ),
        api_url_option,
        timeout_option,
        click.option(
            "--concurrency",
            type=click.IntRange(1, 64),
            default=None,
            help="Most API requests in flight at once [default: 8].",
        ),
        click.option(
            "--no-fallback",
            is_flag=True,
            help="A place the API fails for is an error (exit 1), not the embedded time.",
        ),
        click.option(
            "--check-clock",
            is_flag=True,
            help="Also compare the local clock with the API's (on stderr).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[return-value]


def read_with_source(
    choice: SourceChoice, queries: Sequence[str], env: "CliEnv", instant: "datetime"
) -> "tuple[list[Reading], list[tuple[str, float]]]":
    """Read the clocks of `queries` through the chosen source (the API only when asked);
    `instant` is the moment for the embedded source (`now`, or `--at`).

    Returns the readings and, for the run metrics, each API request's (outcome, seconds).
    """
    from world_timer.reading.readings import read_clocks, read_clocks_from

    if choice.source != "api":
        return read_clocks(queries, instant), []
    from world_timer.sources.worldtimeapi import ApiSource

    result = read_clocks_from(ApiSource(choice.settings()), queries, env.now, choice.fallback)
    return result.readings, result.samples


def report_source(choice: SourceChoice, readings: "Sequence[Reading]", env: "CliEnv") -> None:
    """Warn on stderr once per fallback reason; with --check-clock, report the clock's skew."""
    groups: dict[str, list[str]] = {}
    for reading in readings:
        if reading.fallback_reason:
            groups.setdefault(reading.fallback_reason, []).append(reading.query)
    for reason, queries in groups.items():
        shown = ", ".join(queries[:5]) + (
            f" and {len(queries) - 5} more" if len(queries) > 5 else ""
        )
        click.echo(
            f"warning: time API failed for {shown} ({reason}): "
            "showing the embedded tz database's time instead",
            err=True,
        )
    if choice.check_clock:
        from world_timer.sources.clockcheck import ClockCheckError, measure_clock_skew

        try:
            skew = measure_clock_skew(choice.settings(), env.now)
        except ClockCheckError as exc:
            click.echo(f"warning: clock check failed: {exc}", err=True)
            return
        past = abs(skew.skew) > DEFAULT_MAX_SKEW
        click.echo(f"{'warning' if past else 'note'}: {skew.describe()}", err=True)
