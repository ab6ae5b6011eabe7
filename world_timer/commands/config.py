"""`world-timer config path|show|init|list|add|remove`: the config file, the effective settings,
a starter, the saved places."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from world_timer.commands.context import complete_places
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from pathlib import Path

    from world_timer.commands.context import CliEnv


@click.group("config")
def config_command() -> None:
    """Show or create the config file (TOML), and save places in it.

    Precedence: defaults < config file < WORLD_TIMER_* variables < command-line options.

    \b
    Example:
      world-timer config init
      world-timer config show
      world-timer config add Tokyo "Paris, TX" "Tokyo office=Asia/Tokyo"
      world-timer config list
      world-timer config remove "Paris, TX"
    """


@config_command.command("path")
@click.pass_obj
def path_command(env: CliEnv) -> None:
    """Print the config file's path (stderr says when it does not exist yet)."""
    from world_timer.ops.config import ConfigError, config_file_exists

    path, _explicit = env.config_file()
    click.echo(str(path))
    try:
        exists = config_file_exists(path)
    except ConfigError as exc:
        click.echo(f"warning: {exc}", err=True)
        return
    if not exists:
        click.echo("note: it does not exist yet: `world-timer config init` writes one", err=True)


@config_command.command("show")
@click.pass_obj
def show_command(env: CliEnv) -> None:
    """Print the effective settings and where each value came from."""
    from world_timer.ops.config import show_settings

    click.echo("\n".join(show_settings(env.settings())))


@config_command.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@click.pass_obj
def init_command(env: CliEnv, force: bool) -> None:
    """Write a commented starter config file (never over an existing one without --force)."""
    from world_timer.ops.config_starter import write_starter_file

    path, _explicit = env.config_file()
    try:
        write_starter_file(path, force=force)
    except FileExistsError:
        click.echo(f"error: {path} exists; use --force to overwrite it", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    except OSError as exc:
        _cannot_write(path, exc)
    click.echo(str(path))


@config_command.command("list")
@click.pass_obj
def list_command(env: CliEnv) -> None:
    """List the saved places (`cities`): each entry, how it is shown, and its zone.

    A table on a terminal, tab-separated lines when piped; an entry that no longer resolves is
    reported on stderr (exit 1).
    """
    from world_timer.commands.config_edit import saved_places
    from world_timer.commands.context import stdout_is_terminal
    from world_timer.errors import PlaceError
    from world_timer.listings import align
    from world_timer.ops.config import ConfigError
    from world_timer.places.labels import split_label
    from world_timer.places.resolve import resolve

    path, _explicit = env.config_file()
    try:
        entries = saved_places(path)
    except ConfigError as exc:
        raise _problem(exc) from None
    if not entries:
        click.echo(f"note: no saved places in {path}: `world-timer config add PLACE`", err=True)
        return
    rows, failed = [], False
    for entry in entries:
        label, query = split_label(entry)
        try:
            resolution = resolve(query, env.now())
        except PlaceError as exc:
            click.echo(f"error: {entry!r}: {exc}", err=True)
            failed = True
            continue
        rows.append([entry, label or resolution.label, resolution.zone_key])
    if stdout_is_terminal():
        click.echo(align([["Entry", "Shown as", "Zone"], *rows]), nl=False)
    else:
        click.echo("".join("\t".join(row) + "\n" for row in rows), nl=False)
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if failed else ExitCode.OK)


@config_command.command("add")
@click.argument("places", nargs=-1, required=True, shell_complete=complete_places)
@click.pass_obj
def add_command(env: CliEnv, places: tuple[str, ...]) -> None:
    """Save PLACES in the config file's `cities` (shown when no place is given), keeping its
    comments. A label names a place your way: "Tokyo office=Asia/Tokyo".

    Every place is checked first: one that is not found writes nothing (exit 1), nor does an
    add that would take the file over 256 KiB (exit 2). The file is created when absent,
    replaced atomically under a lock (concurrent adds all count), never through a symbolic link.

    \b
    Example:
      world-timer config add Tokyo "Paris, TX" "Tokyo office=Asia/Tokyo"
    """
    from world_timer.commands.config_edit import add_places
    from world_timer.errors import PlaceError
    from world_timer.ops.config import ConfigError
    from world_timer.places.labels import split_label
    from world_timer.places.resolve import resolve

    path, _explicit = env.config_file()
    found = {}
    from world_timer.places.guess import strictness

    for place in places:
        label, query = split_label(place)
        try:
            with strictness(True):  # a guess is never saved: the user saves what they mean
                resolution = resolve(query, env.now())
        except PlaceError as exc:
            click.echo(f"error: {exc}; nothing saved", err=True)
            click.get_current_context().exit(ExitCode.NOT_RESOLVED)
        found[place] = f"{label or resolution.label}, {resolution.zone_key}"
    try:
        added, skipped = add_places(path, [" ".join(p.split()) for p in places])
    except ConfigError as exc:
        raise _problem(exc) from None
    except OSError as exc:
        _cannot_write(path, exc)
    for place in skipped:
        click.echo(f"note: {place!r} is already saved", err=True)
    for place in added:
        click.echo(f"added {place!r} ({found.get(place, place)}) to {path}")


@config_command.command("remove")
@click.argument("places", nargs=-1, required=True)
@click.pass_obj
def remove_command(env: CliEnv, places: tuple[str, ...]) -> None:
    """Remove PLACES from the config file's `cities` (an entry, its label or its place), keeping
    the file's comments. A place that is not saved is an error (exit 1); the others are removed.

    \b
    Example:
      world-timer config remove "Paris, TX" "Tokyo office"
    """
    from world_timer.commands.config_edit import remove_places
    from world_timer.ops.config import ConfigError

    path, _explicit = env.config_file()
    try:
        removed, missing = remove_places(path, places)
    except ConfigError as exc:
        raise _problem(exc) from None
    except OSError as exc:
        _cannot_write(path, exc)
    for entry in removed:
        click.echo(f"removed {entry!r} from {path}")
    for place in missing:
        click.echo(f"error: {place!r} is not saved (see `world-timer config list`)", err=True)
    click.get_current_context().exit(ExitCode.NOT_RESOLVED if missing else ExitCode.OK)


def _cannot_write(path: Path, exc: OSError) -> None:
    """`error: cannot write PATH: REASON` (PATH: the lock file when it is at fault), exit 1."""
    where = exc.filename if isinstance(exc.filename, str) and exc.filename else path
    click.echo(f"error: cannot write {where}: {exc.strerror or exc}", err=True)
    click.get_current_context().exit(ExitCode.NOT_RESOLVED)


def _problem(exc: Exception) -> click.ClickException:
    from world_timer.commands.context import ConfigProblem

    return ConfigProblem(str(exc))
