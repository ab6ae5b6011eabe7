"""The commands' shared context: CliEnv (clock, environment, settings), output and log options.

Also the user's local zone. Every command imports from here and `cli.py` imports the commands, so
imports run one way: console → cli → commands → library.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.ops.config import Settings
    from world_timer.render import Style

F = TypeVar("F", bound=Callable[..., Any])


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ConfigProblem(click.ClickException):
    """A bad config file or WORLD_TIMER_* variable: one line on stderr, exit 2."""

    exit_code = ExitCode.USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class CliEnv:
    """What the CLI reads from outside: the clock and the environment (tests inject both).

    `settings()` builds the Settings once (defaults < config file < environment); commands then
    apply their own command-line options on top.
    """

    def __init__(
        self,
        now: Callable[[], datetime] = _utc_now,
        environ: Mapping[str, str] | None = None,
        config_option: Path | None = None,
    ) -> None:
        self.now = now
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.config_option = config_option
        self.strict_option = False  # `world-timer --strict`: refuse every guess
        self.localtime = LOCALTIME
        self._settings: Settings | None = None
        self._local_zone: tzinfo | None = None

    def local_zone(self) -> tzinfo:
        """The user's zone (`find_local_zone`), found once; its warning goes to stderr once."""
        if self._local_zone is None:
            self._local_zone, warning = find_local_zone(self.environ, self.localtime)
            if warning:
                click.echo(f"warning: {warning}", err=True)
        return self._local_zone

    def config_file(self) -> tuple[Path, bool]:
        """The config file's path and whether it was asked for (ConfigProblem when bad)."""
        from world_timer.ops.config import ConfigError, config_path

        try:
            return config_path(self.config_option, self.environ)
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from None

    def settings(self) -> Settings:
        if self._settings is None:
            from world_timer.ops.config import ConfigError, load_settings
            from world_timer.places.guess import set_strict

            try:
                self._settings = load_settings(self.environ, self.config_option)
            except ConfigError as exc:
                raise ConfigProblem(str(exc)) from None
            if self.strict_option:
                self._settings = self._settings.override("command line", strict=True)
            set_strict(self._settings.strict)
        return self._settings


def complete_places(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Place names for shell completion (imported only while completing: see completion.py)."""
    from world_timer.commands.completion import complete_places as complete

    return complete(ctx, param, incomplete)


def log_dir_option(func: F) -> F:
    """--log-dir: shared by every command that logs (a folder that cannot be used is a warning,
    as for the `log_dir` setting, never a usage error: logging must not stop the clocks)."""
    return click.option(
        "--log-dir",
        type=click.Path(path_type=Path),
        metavar="DIRECTORY",
        help="Folder of world-timer.log [default: `log_dir` setting, else the user log folder].",
    )(func)


def output_options(func: F) -> F:
    """--format, --12h/--24h, --seconds: shared by every command that prints times."""
    func = click.option("--seconds", is_flag=True, default=None, help="Show seconds.")(func)
    func = click.option(
        "--12h/--24h",
        "hour12",
        default=None,
        help="12-hour clock with AM/PM, or 24-hour [default: 24h, or `hour12` in the config].",
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "plain", "json"]),
        default=None,
        help="Output format [default: table on a terminal, plain when piped].",
    )(func)


def output_settings(
    env: CliEnv, fmt: str | None, hour12: bool | None, seconds: bool | None
) -> tuple[Settings, Style, str]:
    """Apply the output options to the settings; return (settings, style, format)."""
    from world_timer.render import Style

    settings = env.settings().override("command line", format=fmt, hour12=hour12, seconds=seconds)
    tty = stdout_is_terminal()
    color = tty and not env.environ.get("NO_COLOR")
    style = Style(hour12=settings.hour12, seconds=settings.seconds, color=color)
    return settings, style, settings.format or ("table" if tty else "plain")


def stdout_is_terminal() -> bool:
    """True when data goes to a terminal (False also when stdout is closed: `>&-`)."""
    return sys.stdout is not None and sys.stdout.isatty()


def setup_logging(env: CliEnv, settings: Settings) -> Path:
    """Configure the log file from the settings; return its folder (per-user by default)."""
    from world_timer.ops.logs import configure_logging

    log_dir = settings.log_dir
    if log_dir is None:
        from world_timer.ops.paths import user_log_dir

        log_dir = user_log_dir()
    configure_logging(
        log_dir, settings.log_backups, settings.log_level, settings.log_format == "json"
    )
    return log_dir


LOCALTIME = Path("/etc/localtime")
"""The system's zone: a link into a zoneinfo folder (`…/zoneinfo/Europe/Paris`)."""


def local_zone(environ: Mapping[str, str], localtime: Path = LOCALTIME) -> tzinfo:
    """The user's own zone: $TZ when it names an IANA key, else /etc/localtime, else UTC
    (see `find_local_zone` for the warning when $TZ is not a zone)."""
    return find_local_zone(environ, localtime)[0]


def find_local_zone(
    environ: Mapping[str, str], localtime: Path = LOCALTIME
) -> tuple[tzinfo, str | None]:
    """(the user's zone, a warning or None): $TZ when it names an IANA key (a leading `:` is
    allowed, as POSIX does), else the key /etc/localtime links to, else UTC.

    A $TZ that is set but is not a zone key (`TZ=garbage`, a POSIX rule such as `JST-9`) gives
    the warning, naming the zone used instead: libc would silently use UTC.
    """
    from world_timer.timekeeping.zones import canonical_key, load_zone

    given = environ.get("TZ", "")
    key = canonical_key(given.lstrip(":")) if given.strip(": ") else None
    if key:
        return load_zone(key), None
    system = None
    with contextlib.suppress(OSError, ValueError):
        system = canonical_key(os.readlink(localtime).split("zoneinfo/", 1)[-1])
    zone, source = (load_zone(system), f"{system} (from {localtime})") if system else (UTC, "UTC")
    if not given.strip(": "):
        return zone, None
    shown = given if len(given) <= 40 else given[:40] + "…"
    return zone, (
        f'$TZ is {shown!r}, not a tz database zone: "vs local" and --at times without a place '
        f"use {source}; "
        "set TZ to a zone key such as Europe/Paris"
    )
