"""Editing the config file's saved places (`config add/remove/list`), keeping its comments.

tomlkit (imported only here) parses the TOML into a document that writes back byte for byte what
it did not change: comments, blank lines, key order, quoting. The file is replaced atomically
(a temporary file in the same folder, then rename), never written through a symbolic link, and
only when it is a regular file; each edit reads and writes under a lock file beside it
(`world_timer.ops.safefiles.locked`), so concurrent edits lose nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from world_timer.ops.config import MAX_CONFIG_BYTES, ConfigError, read_config_file
from world_timer.ops.config_starter import starter_file
from world_timer.ops.safefiles import locked, open_folder, write_atomically
from world_timer.places.labels import split_label

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

CITIES = "cities"
EDIT_LOCK_WAIT_SECONDS = 10.0
"""How long an edit waits for the config file's lock before it gives up, saving nothing."""
REMOVE_LIMIT_BYTES = 16 * MAX_CONFIG_BYTES
"""`config remove` still reads a file this large (4 MiB), so one grown past the 256 KiB limit
(by hand, or by adds of a release before the limit was checked) can be shrunk again."""


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

    _edit_cities(path, edit, write=lambda: bool(removed), limit=REMOVE_LIMIT_BYTES)
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
    limit: int = MAX_CONFIG_BYTES,
) -> None:
    """Read, edit and replace the config file under its lock (`.config.toml.lock` beside it):
    concurrent edits each see the one before (20 concurrent adds once kept 3 to 7 entries).
    A file over `limit` bytes is refused; an edit that would take the file over
    MAX_CONFIG_BYTES (and make it larger) writes nothing (ConfigError)."""
    import tomlkit

    path.parent.mkdir(parents=True, exist_ok=True)
    folder = open_folder(path.parent)
    try:
        lock = f".{path.name}.lock"
        with locked(folder, lock, path.parent, EDIT_LOCK_WAIT_SECONDS, "nothing saved"):
            existing = os.path.lexists(path)
            if existing:
                read_config_file(path, limit)  # the same checks (and messages) as every run
                _refuse_unless_regular(path)
                before = path.read_bytes()
                text = before.decode("utf-8-sig")
            else:
                before, text = b"", starter_file()
            document = tomlkit.parse(text)
            current = [str(item) for item in document.get(CITIES, [])]
            wanted = edit(current)
            if not write() or (existing and wanted == current):
                return
            _replace_cities(document, current, wanted)
            data = tomlkit.dumps(document).encode("utf-8")
            if len(data) > MAX_CONFIG_BYTES and len(data) > len(before):
                raise ConfigError(
                    f"{path}: saving that would make it {len(data):,} bytes, over the "
                    f"{MAX_CONFIG_BYTES // 1024} KiB a config file may hold: nothing saved"
                )
            write_atomically(folder, path.name, data, path.parent)
    finally:
        os.close(folder)


def _replace_cities(document: TOMLDocument, current: list[str], wanted: list[str]) -> None:
    import tomlkit

    if CITIES not in document:
        array = tomlkit.array()
        array.extend(wanted)
        document.add(CITIES, array.multiline(len(wanted) > 3))
        return
    # Edit the array in place: deleting and appending items keeps the comments of the rest.
    array = document[CITIES]
    left = list(wanted)
    for index in reversed(range(len(current))):
        if current[index] in left:
            left.remove(current[index])
        else:
            del array[index]
    array.extend(left)


def _refuse_unless_regular(path: Path) -> None:
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise ConfigError(
            f"{path}: a symbolic link: not rewritten (edit the file it points to, "
            f"{os.path.realpath(path)}, with --config)"
        )
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path}: not a regular file: not rewritten")
