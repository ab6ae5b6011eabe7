"""The `world-timer` command line: parse, call the library, render, exit code. Nothing else."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from world_timer.commands.at import at_options, instant_at
from world_timer.commands.metrics import metrics_options, record_metrics
from world_timer.commands.places_command import PlacesCommand
from world_timer.commands.source_options import SourceChoice, source_options
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.clock import Reading
    from world_timer.config import Settings
    from world_timer.render import Style

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_COMMAND = "now"
GROUP_OPTIONS_WITH_VALUE = ("--config",)


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
        self._settings: Settings | None = None

    def config_file(self) -> tuple[Path, bool]:
        """The config file's path and whether it was asked for (ConfigProblem when bad)."""
        from world_timer.config import ConfigError, config_path

        try:
            return config_path(self.config_option, self.environ)
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from None

    def settings(self) -> Settings:
        if self._settings is None:
            from world_timer.config import ConfigError, load_settings

            try:
                self._settings = load_settings(self.environ, self.config_option)
            except ConfigError as exc:
                raise ConfigProblem(str(exc)) from None
        return self._settings


class DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is not a command, goes to the `now` command.

    So `world-timer Tokyo Lima` and `world-timer -c Tokyo` mean `world-timer now ...`. Commands
    other than `now` are imported only when called (click's lazy-loading pattern), which
    keeps them out of the start-up of the main job.
    """

    lazy_commands: ClassVar[dict[str, str]] = {
        "check-clock": "world_timer.commands.check_clock:check_clock_command",
        "config": "world_timer.commands.config:config_command",
        "plan": "world_timer.commands.plan:plan_command",
        "search": "world_timer.commands.listing:search_command",
        "schedule": "world_timer.commands.schedule:schedule_command",
        "serve": "world_timer.commands.serve:serve_command",
        "watch": "world_timer.commands.watch:watch_command",
        "zones": "world_timer.commands.listing:zones_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            import importlib

            module_name, _, attribute = self.lazy_commands[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module_name), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        index = 0
        while index < len(args):
            if args[index] in GROUP_OPTIONS_WITH_VALUE:
                index += 2
            elif args[index].startswith(tuple(o + "=" for o in GROUP_OPTIONS_WITH_VALUE)):
                index += 1
            else:
                break
        rest = args[index:]
        known = (*self.commands, *self.lazy_commands, "-h", "--help", "--version")
        if not rest or rest[0] not in known:
            args = [*args[:index], DEFAULT_COMMAND, *rest]
        return super().parse_args(ctx, args)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    import tzdata

    from world_timer.places import gazetteer

    meta = gazetteer().meta()
    click.echo(
        f"world-timer {version('world-timer')}\n"
        f"tzdata {version('tzdata')} (IANA {tzdata.IANA_VERSION})\n"
        f"gazetteer: {meta.get('source')}, {meta.get('places')} places, built {meta.get('built')};"
        f" licence {meta.get('license')}"
    )
    ctx.exit(0)


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
    from world_timer.logs import configure_logging

    log_dir = settings.log_dir
    if log_dir is None:
        from world_timer.paths import user_log_dir

        log_dir = user_log_dir()
    configure_logging(
        log_dir, settings.log_backups, settings.log_level, settings.log_format == "json"
    )
    return log_dir


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version, the tzdata version and the gazetteer source, then exit.",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file [default: $WORLD_TIMER_CONFIG, else ~/.config/world-timer/config.toml].",
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    """The current time in any city you name, offline.

    With places and no command, `now` runs: see `world-timer now --help` for its options
    (--format, --12h, --seconds, --at, --watch, --source, --metrics-textfile, ...).

    \b
    Examples:
      world-timer Tokyo Lima "New York"
      world-timer -c "Paris, TX" -c Asia/Kolkata --format json
      world-timer search Portland
    """
    env = ctx.ensure_object(CliEnv)
    if config is not None:
        env.config_option = config
    if sys.stdout is None and ctx.invoked_subcommand != "serve":
        # Started with stdout closed (`>&-`): every answer would vanish without a trace.
        click.echo("error: cannot write the output: standard output is closed", err=True)
        ctx.exit(ExitCode.NOT_RESOLVED)


@cli.command(DEFAULT_COMMAND, cls=PlacesCommand)
@click.argument("places", nargs=-1)
@click.option(
    "-c",
    "--city",
    "--cities",
    "cities",
    multiple=True,
    metavar="PLACE",
    help="A place (repeatable).",
)
@output_options
@at_options
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
    watch: bool,
    source: SourceChoice,
    log_dir: Path | None,
    metrics_textfile: Path | None,
    pushgateway: str | None,
) -> None:
    """Show the current time in each PLACE: a city, an IANA zone key or a UTC offset.

    Places are printed in the order given (arguments first, then -c options); with none, the
    `cities` of the config file. A place that cannot be found is reported on stderr and the others
    are still printed (exit code 1).

    \b
    Example:
      world-timer Tokyo Lima
      world-timer -c "Portland, Maine" -c "Córdoba, Spain" -c UTC+05:30
      world-timer --at "tomorrow 9:00 Lima" Tokyo London
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
        from world_timer.commands.watch import watch_places

        watch_places(env, queries, settings.format, settings.hour12, at)
    if at is not None and choice.source == "api":
        raise click.UsageError("--at reads the embedded tz database: it cannot use --source api")
    from world_timer.clock import log_reading
    from world_timer.commands.source_options import read_with_source, report_source

    setup_logging(env, settings)
    readings, requests = read_with_source(choice, queries, env, instant_at(env, at, fold))
    click.echo(_render(readings, fmt, style, env), nl=False)
    for reading in readings:
        log_reading(reading)
        if reading.error is not None:
            click.echo(f"error: {reading.error}", err=True)
        elif reading.resolution is not None:
            for note in reading.resolution.notes:
                click.echo(f"note: {note}", err=True)
    report_source(choice, readings, env)
    record_metrics(env, settings, readings, requests, metrics_textfile, pushgateway)
    failed = any(not r.ok for r in readings)
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if failed else ExitCode.OK)


def _render(readings: list[Reading], fmt: str, style: Style, env: CliEnv) -> str:
    from world_timer import render

    if fmt == "json":
        return render.render_json(readings)
    local = local_zone(env.environ)
    if fmt == "plain":
        return render.render_plain(readings, local, style)
    return render.render_table(readings, local, style)


def local_zone(environ: Mapping[str, str]) -> tzinfo:
    """The user's own zone: $TZ when it names an IANA key, else /etc/localtime, else the offset."""
    from world_timer.zones import canonical_key, load_zone

    candidates = [environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(os.readlink("/etc/localtime").split("zoneinfo/", 1)[-1])
    for candidate in candidates:
        key = canonical_key(candidate) if candidate else None
        if key:
            return load_zone(key)
    return datetime.now().astimezone().tzinfo or UTC


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    if sys.stdout is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None, env: CliEnv | None = None) -> None:
    """Console-script entry point: run the CLI; exit codes from ExitCode (Ctrl-C: 130)."""
    try:
        code = cli.main(
            args=argv, prog_name="world-timer", obj=env or CliEnv(), standalone_mode=False
        )
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.UsageError as exc:
        # One line, like every other message (click's own format takes four).
        command = exc.ctx.command_path if exc.ctx else "world-timer"
        message = f"{exc.format_message()} (see '{command} --help')"
        if isinstance(exc, click.NoSuchOption) and exc.option_name.startswith("--config"):
            # An option of `world-timer` itself, given after the command or the places.
            message = "--config goes first: world-timer --config FILE [COMMAND] [PLACE ...]"
        click.echo(f"error: {message}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader went away (`world-timer ... | head -1`): not an error of ours.
        _stdout_to_devnull()
        sys.exit(ExitCode.OK)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG):
            raise
        # Writing the data failed (`world-timer ... > /dev/full`): say so once, no traceback.
        click.echo(f"error: cannot write the output: {exc.strerror}", err=True)
        _stdout_to_devnull()
        sys.exit(ExitCode.NOT_RESOLVED)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
