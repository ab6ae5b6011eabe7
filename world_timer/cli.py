"""The `world-timer` command line: parse, call the library, render, exit code. Nothing else."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from world_timer.commands.context import CliEnv, local_zone
from world_timer.commands.now import DEFAULT_COMMAND, now_command
from world_timer.errors import ExitCode

__all__ = ["CliEnv", "cli", "local_zone", "main"]

if TYPE_CHECKING:
    pass

F = TypeVar("F", bound=Callable[..., Any])
GROUP_OPTIONS_WITH_VALUE = ("--config",)
GROUP_FLAGS = ("--strict",)


class DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is not a command, goes to the `now` command.

    So `world-timer Tokyo Lima` and `world-timer -c Tokyo` mean `world-timer now ...`. Commands
    other than `now` are imported only when called (click's lazy-loading pattern), which
    keeps them out of the start-up of the main job.
    """

    lazy_commands: ClassVar[dict[str, str]] = {
        "check-clock": "world_timer.commands.check_clock:check_clock_command",
        "completion": "world_timer.commands.completion:completion_command",
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
        if not ctx.resilient_parsing:  # completing a word refuses nothing
            _refuse_undecodable(args)
        index = 0
        while index < len(args):
            if args[index] in GROUP_OPTIONS_WITH_VALUE:
                index += 2
            elif args[index] in GROUP_FLAGS or args[index].startswith(
                tuple(o + "=" for o in GROUP_OPTIONS_WITH_VALUE)
            ):
                index += 1
            else:
                break
        rest = args[index:]
        known = (*self.commands, *self.lazy_commands, "-h", "--help", "--version")
        if not rest or rest[0] not in known:
            if rest and not ctx.resilient_parsing:  # not while completing a word
                self._refuse_a_mistyped_command(rest[0])
            ctx.meta["world_timer.default_command"] = True  # commands/completion.py: INJECTED
            args = [*args[:index], DEFAULT_COMMAND, *rest]
        return super().parse_args(ctx, args)

    def _refuse_a_mistyped_command(self, word: str) -> None:
        """`world-timer serach Tokyo`: a usage error naming `search`, when WORD is within one
        edit of a command (two for names of six letters or more; a swap of two letters is one)
        and is not a place (`Plano` stays a city)."""
        if word.startswith("-") or len(word) > 40:
            return
        folded = word.casefold()
        close = [
            name
            for name in sorted({*self.commands, *self.lazy_commands})
            if _edits(folded, name) <= (2 if len(name) >= 6 else 1)
        ]
        if not close:
            return
        from world_timer.errors import PlaceError
        from world_timer.places.guess import strictness
        from world_timer.places.resolve import resolve

        try:
            with strictness(True):  # `serach` is a mistyped command, not a misspelt Sergach
                resolve(word)
        except PlaceError:
            raise click.UsageError(
                f"{word!r} is neither a command nor a place; did you mean `{close[0]}`?"
            ) from None


def _refuse_undecodable(args: list[str]) -> None:
    """A usage error (exit 2) for an argument that is not valid UTF-8 (`$'Tok\\xff'`: Python
    keeps its bytes as lone surrogates, which every writer of UTF-8 — the config, the .ics, the
    logs, JSON — would refuse mid-write with a traceback). Checked once, here, for every command."""
    for arg in args:
        if not arg.isascii():
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                shown = repr(os.fsencode(arg))[1:]
                raise click.UsageError(f"an argument is not valid UTF-8: {shown}") from None


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus swaps of neighbours): `serach` →
    `search` is 1. Our own ten lines: difflib would cost every run ~5 ms of imports (measured)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous, current = list(range(len(b) + 1)), [0] * (len(b) + 1)
    before: list[int] = []
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    import tzdata

    from world_timer.places.gazetteer import gazetteer

    meta = gazetteer().meta()
    click.echo(
        f"world-timer {version('world-timer')}\n"
        f"tzdata {version('tzdata')} (IANA {tzdata.IANA_VERSION})\n"
        f"gazetteer: {meta.get('source')}, {meta.get('places')} places, built {meta.get('built')};"
        f" licence {meta.get('license')}"
    )
    ctx.exit(0)


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
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse guesses (a misspelling, a country's capital) as not found, with suggestions"
    " [default: `strict` in the config].",
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None, strict: bool) -> None:
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
    if strict:
        from world_timer.places.guess import set_strict

        env.strict_option = True
        set_strict(True)
    if sys.stdout is None and ctx.invoked_subcommand != "serve":
        # Started with stdout closed (`>&-`): every answer would vanish without a trace.
        click.echo("error: cannot write the output: standard output is closed", err=True)
        ctx.exit(ExitCode.NOT_RESOLVED)


cli.add_command(now_command)


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    if sys.stdout is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _asks_for_help_or_version(args: list[str]) -> bool:
    """True when `--help`, `-h` or `--version` comes before any `--` (they print, then exit)."""
    before = args[: args.index("--")] if "--" in args else args
    return any(arg in ("--help", "-h", "--version") for arg in before)


def main(argv: list[str] | None = None, env: CliEnv | None = None) -> None:
    """Console-script entry point: run the CLI; exit codes from ExitCode (Ctrl-C: 130)."""
    args = sys.argv[1:] if argv is None else argv
    if sys.stdout is None and _asks_for_help_or_version(args):
        # Eager options print before any command runs: the same line as every other command.
        click.echo("error: cannot write the output: standard output is closed", err=True)
        sys.exit(ExitCode.NOT_RESOLVED)
    if "_WORLD_TIMER_COMPLETE" in os.environ:  # the shell asks for completions (click's protocol)
        import world_timer.commands.completion  # noqa: F401  (registers the escaping bash class)
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
        # A second line is a `hint:` (the accepted forms, in full); the first stays one line.
        first, _, hint = exc.format_message().partition("\n")
        message = f"{first} (see '{command} --help')" + (f"\n{hint}" if hint else "")
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
