"""`world-timer config path|show|init`: the config file, the effective settings, a starter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv


@click.group("config")
def config_command() -> None:
    """Show or create the config file (TOML).

    Precedence: defaults < config file < WORLD_TIMER_* variables < command-line options.

    \b
    Example:
      world-timer config init
      world-timer config show
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
    from world_timer.ops.config import write_starter_file

    path, _explicit = env.config_file()
    try:
        write_starter_file(path, force=force)
    except FileExistsError:
        click.echo(f"error: {path} exists; use --force to overwrite it", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    except OSError as exc:
        click.echo(f"error: cannot write {path}: {exc.strerror or exc}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    click.echo(str(path))
