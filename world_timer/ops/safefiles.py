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
"""

from __future__ import annotations

import errno
import os
import stat
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


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link (refused)"
    if exc.errno in (errno.ENXIO, errno.EWOULDBLOCK):  # a FIFO nobody reads, a socket
        return "not a regular file (refused)"
    if exc.errno == errno.ENOTDIR:
        return "not a folder"
    return exc.strerror or str(exc)
