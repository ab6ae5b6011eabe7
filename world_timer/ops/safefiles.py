"""Files in a folder other users may write to: opened relative to the folder, never through a link.

World Timer is run by root from launchd, systemd or cron into log folders that are not always
root's own. So a log folder is opened once (`open_folder`) and every file in it is then opened
relative to that descriptor (`open_in`, `dir_fd=`) with O_NOFOLLOW (a symbolic link is refused,
not followed), O_NONBLOCK (a FIFO cannot hang the run) and an `fstat` check that the result is a
regular file with one link (a hard link to /etc/shadow is refused too). Renames and deletions
also happen relative to the folder and never follow a link. As root, a folder that others could
use to plant such files is refused outright, like OpenSSH's StrictModes and logrotate's
"insecure permissions" check: one owned by another user, or writable by its group or by anyone
without the sticky bit (unless that group is root's).

The same holds for the files World Timer rewrites (the config file, a metrics textfile, an
.ics): `write_atomically` writes a new file of a random name with O_EXCL | O_NOFOLLOW and renames
it over the old one inside the folder, so a link planted at the target or at a temporary name is
never followed; `locked` serialises read-modify-write cycles on a 0600 lock file beside them,
waiting a bounded time (another user who can open the lock must not hang a run).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class UnsafeFileError(OSError):
    """A file or folder that is refused (a link, a FIFO, insecure permissions) or cannot be
    opened; `filename` is its path and str() the one-line reason (`a symbolic link (refused)`)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EPERM, reason, str(path))
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def open_folder(path: Path) -> int:
    """Open the folder `path` (following links in the path the user gave) and return its
    descriptor. Raises UnsafeFileError when it is not a folder or, for root, when others could
    plant files in it (see the module docstring)."""
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise UnsafeFileError(path, _reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafeFileError(path, "not a folder")
        if os.geteuid() == 0:
            problem = insecure_folder(info)
            if problem:
                raise UnsafeFileError(path, f"{problem} (refused when running as root)")
    except BaseException:
        os.close(fd)
        raise
    return fd


def insecure_folder(info: os.stat_result) -> str | None:
    """Why a folder is unsafe for root to write in (its `stat`), or None when it is safe: owned
    by a user other than root and this process, or writable by a non-root group or by anyone,
    without the sticky bit (which stops others from replacing the files root made)."""
    if info.st_uid not in (0, os.geteuid()):
        return f"owned by another user (uid {info.st_uid})"
    sticky = bool(info.st_mode & stat.S_ISVTX)
    if info.st_mode & stat.S_IWOTH and not sticky:
        return "writable by anyone, without the sticky bit"
    if info.st_mode & stat.S_IWGRP and info.st_gid != 0 and not sticky:
        return f"writable by group {info.st_gid}, without the sticky bit"
    return None


def open_in(folder: int, name: str, flags: int, where: Path, mode: int = 0o644) -> int:
    """Open `name` in the folder descriptor `folder` with `flags` (plus O_NOFOLLOW, O_NONBLOCK,
    O_CLOEXEC) and return the descriptor of a regular file with one link. `where` is the
    folder's path, for messages. Raises FileNotFoundError when it is missing (without O_CREAT),
    UnsafeFileError for a link, FIFO, device, folder or hard-linked file, or any other error."""
    path = where / name
    try:
        fd = os.open(name, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode, dir_fd=folder)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnsafeFileError(path, _reason(exc)) from None
    try:
        check_regular(os.fstat(fd), path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def check_regular(info: os.stat_result, path: Path) -> None:
    """Raise UnsafeFileError unless `info` is a regular file with exactly one link."""
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFileError(path, "a symbolic link (refused)")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFileError(path, "not a regular file (refused)")
    if info.st_nlink > 1:
        raise UnsafeFileError(path, "has other hard links (refused)")


def entry(folder: int, name: str) -> os.stat_result | None:
    """`lstat` of `name` in the folder descriptor (a link is not followed), None when missing."""
    try:
        return os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None


def lock_exclusively(lock: int, seconds: float, path: Path, consequence: str) -> None:
    """flock(LOCK_EX) on the descriptor `lock`, retried without blocking for `seconds`; then
    BlockingIOError (EWOULDBLOCK, `filename` = `path`, strerror `held by another process for
    N s; CONSEQUENCE`). A lock file this user owns is first narrowed to 0600 (files made 0644
    by earlier releases let any user hold the lock)."""
    with contextlib.suppress(OSError):
        info = os.fstat(lock)
        if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != 0o600:
            os.fchmod(lock, 0o600)
    deadline = time.monotonic() + seconds
    pause = 0.005
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BlockingIOError(
                    errno.EWOULDBLOCK,
                    f"held by another process for {max(seconds, 0.0):g} s; {consequence}",
                    str(path),
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


@contextlib.contextmanager
def locked(folder: int, name: str, where: Path, seconds: float, consequence: str) -> Iterator[None]:
    """Hold an exclusive flock on the lock file `name` in the folder descriptor `folder` (made
    0600 when missing, opened with `open_in`'s checks: never a link, only a regular file) for the
    block. Raises UnsafeFileError for a planted link or non-regular file, BlockingIOError when
    the lock stays held `seconds` (see `lock_exclusively`). Closing the descriptor unlocks."""
    fd = open_in(folder, name, os.O_RDWR | os.O_CREAT, where, 0o600)
    try:
        lock_exclusively(fd, seconds, where / name, consequence)
        yield
    finally:
        os.close(fd)


def write_atomically(folder: int, name: str, data: bytes, where: Path, mode: int = 0o644) -> None:
    """Replace `name` in the folder descriptor `folder` by a file holding `data`: written to a
    new temporary file of a random name (`.NAME.HEX.tmp`, O_CREAT | O_EXCL | O_NOFOLLOW, so a
    link planted there is never followed), flushed to disk, then renamed over `name` inside the
    folder, so a reader sees the old file or the new one, never half of one. The old file's
    permission bits are kept; a new file gets `mode` (minus the umask). `where` is the folder's
    path, for messages.

    Raises UnsafeFileError when `name` is a symbolic link or not a regular file (it is left as
    it was), OSError when the folder cannot be written (the temporary file is removed).
    """
    existing = entry(folder, name)
    if existing is not None:
        if stat.S_ISLNK(existing.st_mode):
            raise UnsafeFileError(where / name, "a symbolic link (refused)")
        if not stat.S_ISREG(existing.st_mode):
            raise UnsafeFileError(where / name, "not a regular file (refused)")
        mode = stat.S_IMODE(existing.st_mode)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    for _attempt in range(8):
        temporary = f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(temporary, flags, mode, dir_fd=folder)
            break
        except FileExistsError:
            continue  # a name planted or left there: never reused, another one is drawn
    else:
        raise UnsafeFileError(where / name, "no free temporary name (refused)")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=folder)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link (refused)"
    if exc.errno in (errno.ENXIO, errno.EWOULDBLOCK):  # a FIFO nobody reads, a socket
        return "not a regular file (refused)"
    if exc.errno == errno.ENOTDIR:
        return "not a folder"
    return exc.strerror or str(exc)
