"""Scheduled runs: a launchd agent or a systemd user service + timer, filled in from templates.

The templates ship in `world_timer/templates/` (also shown as `misc/` in the repository) with
`@NAME@` placeholders; `render_launchd` and `render_systemd` fill them with a `Job`, absolute paths
only (neither launchd nor systemd expands `~`), quoted for each format, and `write_files` writes
them atomically. No Click here: `world_timer/commands/schedule.py` is the command.
"""

from __future__ import annotations

import os
import plistlib
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

LABEL = "io.github.world-timer.world-timer"
"""The launchd label (reverse DNS of the project's home); the plist file is `LABEL.plist`."""
UNIT = "world-timer"
"""The systemd unit name: `world-timer.service` started by `world-timer.timer`."""
MIN_EVERY, MAX_EVERY = 60, 86_400
_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
_INTERVAL = re.compile(r"(?:(\d+)h)?(?:(\d+)m(?:in)?)?(?:(\d+)s)?")


@dataclass(frozen=True)
class Job:
    """What a scheduled run does.

    `command`: the absolute program and its arguments; `every`: seconds between runs;
    `log_dir`: absolute folder of world-timer.log (and of launchd's stdout/stderr files);
    `config`: absolute config file the run reads, or None for none.
    """

    command: tuple[str, ...]
    every: int
    log_dir: Path
    config: Path | None = None

    def __post_init__(self) -> None:
        paths = [Path(self.command[0]), self.log_dir, *([self.config] if self.config else [])]
        if not all(path.is_absolute() for path in paths):
            raise ValueError("a scheduled job needs absolute paths")
        if any(_control(text) for text in (*self.command, str(self.log_dir), str(self.config))):
            raise ValueError("a scheduled job's command and paths cannot hold control characters")


def _control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def parse_interval(text: str) -> int:
    """Seconds in an interval written `300`, `90s`, `5m`, `5min`, `1h` or `1h30m`.

    Raises ValueError unless it is from 1 minute to 1 day (more often than once a minute is not a
    schedule for a clock that logs; launchd and systemd both count in seconds).
    """
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.isdigit():
        seconds = int(cleaned)
    else:
        match = _INTERVAL.fullmatch(cleaned)
        if not cleaned or match is None:
            raise ValueError(f"{text!r} is not an interval like 5m, 90s, 1h or 1h30m")
        hours, minutes, secs = (int(group or 0) for group in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if not MIN_EVERY <= seconds <= MAX_EVERY:
        raise ValueError(f"{text!r} is {seconds} s; the interval must be from 1m to 24h")
    return seconds


def format_interval(seconds: int) -> str:
    """`300` -> `5m`, `5400` -> `1h30m`, `90` -> `1m30s`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts) or "0s"


def world_timer_program(argv0: str, python: str) -> list[str]:
    """The absolute command that runs this World Timer: the `world-timer` script that is running
    (`argv0`), else the one beside the interpreter (a venv or pipx install), else `python -m
    world_timer` with this interpreter. Symlinks are kept, not resolved: a venv's python is one."""
    if Path(argv0).name == "world-timer" and os.path.isfile(argv0):
        return [os.path.abspath(argv0)]
    beside = Path(os.path.abspath(python)).with_name("world-timer")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [os.path.abspath(python), "-m", "world_timer"]


def _template(name: str) -> str:
    return files("world_timer").joinpath("templates", name).read_text(encoding="utf-8")


def _substitute(text: str, values: Mapping[str, str | None]) -> str | None:
    """Fill the @NAME@ placeholders of `text`; None when one of them is unset (the caller drops
    the entry or line). Raises KeyError for a name the template should not hold."""
    names = _PLACEHOLDER.findall(text)
    unknown = [name for name in names if name not in values]
    if unknown:
        raise KeyError(f"unknown placeholder @{unknown[0]}@ in a schedule template")
    if any(values[name] is None for name in names):
        return None
    return _PLACEHOLDER.sub(lambda match: str(values[match[1]]), text)


def _values(job: Job) -> dict[str, str | None]:
    return {
        "LABEL": LABEL,
        "LOG_DIR": str(job.log_dir),
        "CONFIG": str(job.config) if job.config else None,
        "EVERY": format_interval(job.every),
        "SECONDS": str(job.every),
    }


def _fill_plist(node: Any, values: Mapping[str, str | None], command: Sequence[str]) -> Any:
    """Fill placeholders in a loaded plist; an entry whose placeholder is unset is dropped."""
    if isinstance(node, dict):
        filled = {key: _fill_plist(value, values, command) for key, value in node.items()}
        return {key: value for key, value in filled.items() if value is not None}
    if isinstance(node, list):
        items: list[Any] = []
        for item in node:
            if item == "@PROGRAM_ARGUMENTS@":
                items.extend(command)
            elif (value := _fill_plist(item, values, command)) is not None:
                items.append(value)
        return items
    if isinstance(node, str):
        return _substitute(node, values)
    return node


def render_launchd(job: Job) -> dict[str, str]:
    """{file name: text} of the launchd agent: `LABEL.plist` (XML property list) from the
    template, with ProgramArguments, StartInterval (seconds), the log paths and
    EnvironmentVariables (WORLD_TIMER_CONFIG, WORLD_TIMER_LOG_DIR) filled in."""
    template = plistlib.loads(_template("world-timer.plist").encode("utf-8"))
    agent = _fill_plist(template, _values(job), job.command)
    agent["StartInterval"] = job.every
    return {f"{LABEL}.plist": plistlib.dumps(agent, sort_keys=False).decode("utf-8")}


def _systemd_word(word: str) -> str:
    """One ExecStart argument: double-quoted when needed; `%` and `$` escaped (systemd would
    expand them as specifiers and variables)."""
    word = word.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[\w/.,:+=@%$-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _systemd_assignment(name: str, value: str) -> str:
    """`"NAME=value"` for Environment=, quoted, `%` escaped."""
    text = f"{name}={value}".replace("%", "%%")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_systemd(job: Job) -> dict[str, str]:
    """{file name: text} of `world-timer.service` (a oneshot run of `job.command` with the
    config and log folder in its environment) and `world-timer.timer` (every `job.every`
    seconds, first run as soon as the timer starts)."""
    values = _values(job)
    values["EXEC_START"] = " ".join(_systemd_word(word) for word in job.command)
    values["ENV_LOG_DIR"] = _systemd_assignment("WORLD_TIMER_LOG_DIR", str(job.log_dir))
    values["ENV_CONFIG"] = (
        _systemd_assignment("WORLD_TIMER_CONFIG", str(job.config)) if job.config else None
    )
    rendered = {}
    for suffix in ("service", "timer"):
        lines = [_substitute(line, values) for line in _template(f"{UNIT}.{suffix}").splitlines()]
        # An unset value drops its line (e.g. no config file: no WORLD_TIMER_CONFIG).
        rendered[f"{UNIT}.{suffix}"] = "".join(line + "\n" for line in lines if line is not None)
    return rendered


def default_folder(kind: str, environ: Mapping[str, str]) -> Path:
    """Where each service manager loads user jobs from: `~/Library/LaunchAgents` (launchd),
    `$XDG_CONFIG_HOME/systemd/user`, by default `~/.config/systemd/user` (systemd)."""
    home = Path(environ.get("HOME") or Path.home())
    if kind == "launchd":
        return home / "Library" / "LaunchAgents"
    config_home = environ.get("XDG_CONFIG_HOME")
    return (Path(config_home) if config_home else home / ".config") / "systemd" / "user"


def write_files(texts: Mapping[str, str], folder: Path, force: bool = False) -> list[Path]:
    """Write each {name: text} into `folder` (created if needed); return the paths written.

    Every file is written to a temporary file beside it, flushed to disk, then renamed over the
    target, so a reader never sees half a file. Raises FileExistsError (naming the first) before
    writing anything when a target exists and `force` is False; OSError when the folder cannot be
    written (files already renamed stay, complete); ValueError for a name that is not a plain
    file name.
    """
    if any(Path(name).name != name or name.startswith(".") for name in texts):
        raise ValueError("write_files takes plain file names")
    targets = [folder / name for name in texts]
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        raise FileExistsError(str(existing[0]))
    blocked = [path for path in existing if not path.is_file() or path.is_symlink()]
    if blocked:
        raise IsADirectoryError(21, "not a regular file: not replaced", str(blocked[0]))
    folder.mkdir(parents=True, exist_ok=True)
    temporaries: list[str] = []
    try:
        # Every file complete on disk first, then the renames: a failure leaves no half pair.
        for text in texts.values():
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed before the rename)
                "w",
                encoding="utf-8",
                dir=folder,
                prefix=".world-timer.",
                suffix=".tmp",
                delete=False,
            )
            temporaries.append(handle.name)
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, 0o644)
        for temporary, path in zip(temporaries, targets, strict=True):
            os.replace(temporary, path)
    finally:
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
    return targets
