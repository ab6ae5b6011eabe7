"""The starter config file of `world-timer config init`: its text (from `config.KEYS`) and its
safe writing (never through a link, only over a regular file)."""

import os
from pathlib import Path

from world_timer.ops.config import KEYS, Settings


def starter_file() -> str:
    """The commented starter config written by `world-timer config init`."""
    lines = [
        "# World Timer settings (TOML). Precedence: defaults < this file < WORLD_TIMER_* variables",
        "# < command-line options. Uncomment what you want to change.",
        "",
    ]
    defaults = Settings()
    examples = {
        "cities": '["Tokyo", "Lima", "New York"]',
        "format": '"table"',
        "log_dir": '"~/logs"',
        "working_hours": '{default = "09:00-17:00", "Tokyo" = "10:00-19:00"}',
        "geoip_db": '"/var/lib/GeoIP/GeoLite2-City.mmdb"',
    }
    for name, (_check, about) in KEYS.items():
        value = getattr(defaults, name)
        example = examples.get(name) or (
            str(value).lower()
            if isinstance(value, bool)
            else f'"{value}"'
            if isinstance(value, str)
            else str(value)
        )
        lines += [f"# {about}", f"# {name} = {example}", ""]
    return "\n".join(lines)


def write_starter_file(path: Path, force: bool = False) -> None:
    """Write the starter config to `path` atomically (`safefiles.write_atomically`: a new file
    of a random name, O_EXCL | O_NOFOLLOW, renamed over), never through a link.

    Raises FileExistsError when something is at `path` (a dangling symlink too) and `force` is
    False; OSError when it cannot be written, or when what is there is not a regular file (a
    symlink, FIFO or device is never replaced, even with `force`: renaming over /dev/null or a
    dotfiles link would break it).
    """
    from world_timer.ops.safefiles import UnsafeFileError, open_folder, write_atomically

    if os.path.lexists(path) and not force:
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = open_folder(path.parent)
    try:
        write_atomically(folder, path.name, starter_file().encode("utf-8"), path.parent)
    except UnsafeFileError as exc:
        raise UnsafeFileError(
            path, exc.reason.replace(" (refused)", "") + ": not replaced"
        ) from None
    finally:
        os.close(folder)
