"""`world-timer schedule launchd|systemd`: ready-to-load files for runs at an interval."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from world_timer.commands.context import complete_places
from world_timer.commands.places_command import PlacesCommand
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv
    from world_timer.ops.config import Settings


def _every(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    from world_timer.ops.schedule import parse_interval

    try:
        return parse_interval(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _job_arguments(
    kind: str, places: tuple[str, ...], settings: Settings, textfile: Path | None
) -> tuple[str, ...]:
    """The arguments the scheduled job passes to world-timer (UsageError for bad ones)."""
    from world_timer.places.normalize import has_control_characters

    bad = next((p for p in places if has_control_characters(p) or not p.strip()), None)
    if bad is not None:
        raise click.UsageError(f"{bad[:40]!r} is not a place name (empty, control or not UTF-8)")
    if textfile is not None and (not str(textfile).strip() or textfile.is_dir()):
        raise click.BadParameter("a file path, not a folder", param_hint="'--metrics-textfile'")
    shown: tuple[str, ...] = places
    if not places:
        if not settings.cities:
            raise click.UsageError(
                "name the places to show, e.g. `world-timer schedule "
                f"{kind} Tokyo Lima`, or set `cities` in the config file"
            )
        if not settings.origin("cities").startswith("config file"):
            shown = settings.cities  # from WORLD_TIMER_CITIES: the job would not see it
    options = ("--metrics-textfile", str(textfile.absolute())) if textfile is not None else ()
    # `--` ends the options, so a place such as `-05:00` is never read as one.
    return (*options, "--", *shown) if shown else options


@click.command("schedule", cls=PlacesCommand)
@click.argument("kind", type=click.Choice(["launchd", "systemd"]))
@click.argument("places", nargs=-1, shell_complete=complete_places)
@click.option(
    "--every",
    default="5m",
    show_default=True,
    callback=_every,
    metavar="INTERVAL",
    help="Time between runs: 90s, 5m, 1h, 1h30m (1m to 24h).",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to [default: ~/Library/LaunchAgents or ~/.config/systemd/user].",
)
@click.option(
    "--metrics-textfile",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Each run writes its metrics to PATH (node_exporter's textfile collector).",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.pass_obj
def schedule_command(
    env: CliEnv,
    kind: str,
    places: tuple[str, ...],
    every: int,
    output: Path | None,
    metrics_textfile: Path | None,
    force: bool,
) -> None:
    """Write a launchd agent, or a systemd user service + timer, that runs World Timer.

    Each run prints the time in PLACES (default: the `cities` of your config file) and logs one
    line per place to world-timer.log in your log folder. Paths are filled in: this world-timer
    program, the log folder and the config file, all absolute. Never overwrites without --force.

    \b
    Example:
      world-timer schedule systemd --every 5m
      systemctl --user daemon-reload && systemctl --user enable --now world-timer.timer
      world-timer schedule launchd Tokyo Lima --every 15m
      launchctl load -w ~/Library/LaunchAgents/io.github.world-timer.world-timer.plist
    """
    from world_timer.ops.paths import user_log_dir
    from world_timer.ops.schedule import (
        Job,
        default_folder,
        render_launchd,
        render_systemd,
        world_timer_program,
        write_files,
    )

    settings = env.settings()
    path, _explicit = env.config_file()
    config = path.absolute() if path.is_file() else None
    arguments = _job_arguments(kind, places, settings, metrics_textfile)
    log_dir = settings.log_dir or user_log_dir()
    try:
        job = Job(
            command=(*world_timer_program(sys.argv[0], sys.executable), *arguments),
            every=every,
            log_dir=log_dir.absolute(),
            config=config,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    texts = render_launchd(job) if kind == "launchd" else render_systemd(job)
    folder = (output or default_folder(kind, env.environ)).absolute()
    try:
        written = write_files(texts, folder, force=force)
        # launchd opens StandardOutPath itself and does not create its folder.
        job.log_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        click.echo(f"error: {exc} exists; use --force to overwrite it", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    except OSError as exc:
        click.echo(f"error: cannot write to {exc.filename or folder}: {exc.strerror}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
    for path in written:
        click.echo(str(path))
    if kind == "launchd":
        import shlex

        click.echo(
            f"note: load it with `launchctl load -w {shlex.quote(str(written[0]))}`", err=True
        )
    elif folder == default_folder(kind, env.environ).absolute():
        click.echo(
            "note: start it with `systemctl --user daemon-reload && "
            "systemctl --user enable --now world-timer.timer`",
            err=True,
        )
    else:
        import shlex

        units = " ".join(shlex.quote(str(path)) for path in written)
        click.echo(
            f"note: outside systemd's unit folder: `systemctl --user link {units}`, then "
            "`systemctl --user enable --now world-timer.timer`",
            err=True,
        )
