"""Editing the config file's saved places (`config add/remove/list`), keeping its comments.

tomlkit (imported only here) parses the TOML into a document that writes back byte for byte what
it did not change: comments, blank lines, key order, quoting. The file is replaced atomically
(a temporary file in the same folder, then rename), never written through a symbolic link, and
only when it is a regular file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from world_timer.ops.config import ConfigError, read_config_file, starter_file
from world_timer.places.labels import split_label

CITIES = "cities"


def saved_places(path: Path) -> list[str]:
    """The `cities` of the config file at `path` ([] when the file or the key is absent).

    Raises ConfigError for a file that cannot be read or is not a valid config.
    """
    if not os.path.lexists(path):
        return []
    return list(read_config_file(path).get(CITIES, ()))


def add_places(path: Path, places: Iterable[str]) -> tuple[list[str], list[str]]:
    """Append `places` to `cities` (creating the file from the starter when absent); a place
    already saved (same text, any case and spacing) is skipped. Returns (added, skipped).

    Raises ConfigError for a bad file, OSError when it cannot be written (a symlink or other
    non-regular file is never replaced).
    """
    added: list[str] = []
    skipped: list[str] = []

    def edit(current: list[str]) -> list[str]:
        keys = {_key(p) for p in current}
        for place in places:
            target = skipped if _key(place) in keys else added
            target.append(place)
            keys.add(_key(place))
        return [*current, *added]

    _edit_cities(path, edit)
    return added, skipped


def remove_places(path: Path, places: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove from `cities` each entry equal to a place given, or whose label or place part is
    (`Tokyo office` removes `Tokyo office=Asia/Tokyo`). Returns (removed entries, places given
    that matched none); the file is rewritten only when something was removed.

    Raises ConfigError for a bad or missing file, OSError when it cannot be written.
    """
    if not os.path.lexists(path):
        raise ConfigError(f"{path}: no config file yet: nothing to remove")
    removed: list[str] = []
    missing: list[str] = []

    def edit(current: list[str]) -> list[str]:
        kept = list(current)
        for place in places:
            matches = [entry for entry in kept if _matches(entry, place)]
            if not matches:
                missing.append(place)
            removed.extend(matches)
            kept = [entry for entry in kept if entry not in matches]
        return kept

    _edit_cities(path, edit, write=lambda: bool(removed))
    return removed, missing


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _matches(entry: str, given: str) -> bool:
    label, place = split_label(entry)
    return _key(given) in {_key(entry), _key(place), _key(label or entry)}


def _edit_cities(
    path: Path,
    edit: Callable[[list[str]], list[str]],
    write: Callable[[], bool] = lambda: True,
) -> None:
    import tomlkit

    existing = os.path.lexists(path)
    if existing:
        read_config_file(path)  # the same checks (and messages) as every run
        _refuse_unless_regular(path)
        text = path.read_text(encoding="utf-8-sig")
    else:
        text = starter_file()
    document = tomlkit.parse(text)
    current = [str(item) for item in document.get(CITIES, [])]
    wanted = edit(current)
    if not write() or (existing and wanted == current):
        return
    if CITIES not in document:
        array = tomlkit.array()
        array.extend(wanted)
        document.add(CITIES, array.multiline(len(wanted) > 3))
    else:
        # Edit the array in place: deleting and appending items keeps the comments of the rest.
        array = document[CITIES]
        left = list(wanted)
        for index in reversed(range(len(current))):
            if current[index] in left:
                left.remove(current[index])
            else:
                del array[index]
        array.extend(left)
    write_atomically(path, tomlkit.dumps(document))


def _refuse_unless_regular(path: Path) -> None:
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise ConfigError(
            f"{path}: a symbolic link: not rewritten (edit the file it points to, "
            f"{os.path.realpath(path)}, with --config)"
        )
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path}: not a regular file: not rewritten")


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by a file holding `text` (UTF-8): written to a new temporary file in the
    same folder (O_EXCL | O_NOFOLLOW, the old file's permission bits, else 0o644 minus umask),
    flushed to disk, then renamed over `path`, so a reader sees the old file or the new one,
    never half of one, and a link at `path` is replaced rather than followed.

    Raises OSError when the folder cannot be written (the temporary file is removed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        mode = 0o644
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, mode)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
