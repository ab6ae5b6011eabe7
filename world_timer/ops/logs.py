"""Logging: one line per place per run, in daily files that stay correct when runs overlap.

`world-timer.log` holds today's lines (local time); at the first line of a new day it is renamed to
`world-timer.log.YYYY-MM-DD` (the TimedRotatingFileHandler naming) and `backups` dated files are
kept. Safe across processes: every write happens under an exclusive `fcntl.flock` on a lock file
beside the log, after checking which day the current file belongs to (its mtime, which each write
sets to the line's own time). So N processes writing at once, across a rollover, lose no line,
duplicate none, and put each line in the file of its day; a run every five minutes still rotates at
midnight, and DST changes do not matter because days are local calendar dates, not 86,400 s.
Retention deletes only files named exactly `world-timer.log.YYYY-MM-DD` (cpython gh-93205).
Every file is opened relative to the folder, never through a link, never blocking on a FIFO
(`world_timer.ops.safefiles`): root may run us in a folder others can write.

Configured once, at the entry point (`configure_logging`); the library only calls
`logging.getLogger("world_timer")`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from world_timer.ops.safefiles import (
    UnsafeFileError,
    check_regular,
    entry,
    lock_exclusively,
    open_folder,
    open_in,
)

LOGGER_NAME = "world_timer"
LOG_FILE_NAME = "world-timer.log"
LOCK_FILE_NAME = f".{LOG_FILE_NAME}.lock"
LOCK_WAIT_SECONDS = 2.0
"""How long a log write waits for the lock (retried without blocking) before it gives up with
the one warning: another user who can open the lock file must not hang a run or `serve`. After
a give-up, the next writes try once, without waiting, until one gets the lock again."""
_DATED = re.escape(LOG_FILE_NAME) + r"\.(\d{4}-\d\d-\d\d)"  # compiled when pruning
_RUN_ID = os.urandom(6).hex()


def run_id() -> str:
    """This process's run id: 12 hex digits that tie together the lines of one run."""
    return _RUN_ID


def _local(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp).astimezone()


class TextFormatter(logging.Formatter):
    """`2026-11-30T14:05:09.123+01:00 INFO run=ab12cd34ef56 event=place query='Tokyo' ...`."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, "fields", {})
        pairs = " ".join(
            f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in fields.items()
        )
        stamp = _local(record.created).isoformat(timespec="milliseconds")
        message = record.getMessage()
        return f"{stamp} {record.levelname} run={_RUN_ID} event={message} {pairs}".rstrip()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, run, event, then the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        import json

        fields: dict[str, Any] = getattr(record, "fields", {})
        head = {
            "ts": _local(record.created).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "run": _RUN_ID,
            "event": record.getMessage(),
        }
        return json.dumps({**head, **fields}, ensure_ascii=False, default=str)


class DailyFileHandler(logging.Handler):
    """Append lines to `directory/world-timer.log`, rotated at local midnight, multi-process safe.

    The folder is opened once (`folder`, a descriptor from `safefiles.open_folder`) and every
    file is opened relative to it, never through a link and never blocking (see
    `world_timer.ops.safefiles`); rotation is a rename inside the folder. `clock` (seconds since
    the epoch) stamps each record; tests inject it to cross midnight. Errors (full disk, a link
    or FIFO planted in the folder) give one warning on stderr, never a traceback.
    """

    def __init__(
        self,
        directory: Path,
        backups: int = 30,
        clock: Callable[[], float] = time.time,
        folder: int | None = None,
    ) -> None:
        super().__init__()
        self.directory = directory
        self.path = directory / LOG_FILE_NAME
        self.lock_path = directory / LOCK_FILE_NAME
        self.backups = backups
        self.clock = clock
        self.warned = False
        self.lock_wait = LOCK_WAIT_SECONDS
        self.folder: int | None = open_folder(directory) if folder is None else folder
        self.batch: list[tuple[bytes, date, float]] | None = None

    def close(self) -> None:
        """Close the folder's descriptor. logging may call this more than once, and
        `logging.config.dictConfig` (Granian's start) closes handlers that stay in use: the
        folder is then opened again, with the same checks, at the next line."""
        if self.folder is not None:
            with contextlib.suppress(OSError):
                os.close(self.folder)
            self.folder = None
        super().close()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record.created = self.clock()
            # An argument that was not UTF-8 arrives as lone surrogates (`Tok\udcffyo`); JSON
            # lines keep them as `\udcff` escapes rather than losing the whole line.
            line = (self.format(record) + "\n").encode("utf-8", "backslashreplace")
            if self.batch is not None:
                self.batch.append((line, _local(record.created).date(), record.created))
            else:
                self._write(line, _local(record.created).date(), record.created)
        except Exception:
            self.handleError(record)

    def write_batch(self) -> None:
        """Write the lines held since `batched()` began: one lock and one open per day of
        lines (a run of 1,000 places took 1,000 of each), in the order they were logged."""
        held, self.batch = self.batch or [], None
        start = 0
        try:
            while start < len(held):
                day = held[start][1]
                end = start
                while end < len(held) and held[end][1] == day:
                    end += 1
                self._write(
                    b"".join(line for line, _d, _s in held[start:end]), day, held[end - 1][2]
                )
                start = end
        except Exception:
            self.handleError(logging.makeLogRecord({}))

    def _folder(self) -> int:
        if self.folder is None:
            self.folder = open_folder(self.directory)
        return self.folder

    def _open(self, name: str, flags: int) -> int:
        return open_in(self._folder(), name, flags, self.directory)

    def _write(self, line: bytes, day: date, stamp: float) -> None:
        lock = open_in(
            self._folder(), LOCK_FILE_NAME, os.O_RDWR | os.O_CREAT, self.directory, 0o600
        )
        try:
            self._lock(lock)
            fd = self._open(LOG_FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            current = True
            try:
                info = os.fstat(fd)
                file_day = _local(info.st_mtime).date()
                if info.st_size and file_day < day:
                    os.close(fd)
                    fd = -1
                    self._rotate(file_day)
                    fd = self._open(LOG_FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                elif info.st_size and day < file_day:
                    # A line stamped before the current file's day (a process that was slow
                    # to write across midnight) belongs in that day's dated file.
                    os.close(fd)
                    fd = -1
                    fd = self._open(_dated(day), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                    current = False
                os.write(fd, line)
                if current:
                    os.utime(fd, (stamp, stamp))
            finally:
                if fd >= 0:
                    os.close(fd)
        finally:
            os.close(lock)  # closing the descriptor releases the lock

    def _lock(self, lock: int) -> None:
        """flock(LOCK_EX) on `lock`, retried without blocking for `lock_wait` seconds; then
        OSError (EWOULDBLOCK) naming the lock file (`safefiles.lock_exclusively`)."""
        try:
            lock_exclusively(lock, self.lock_wait, self.lock_path, "line not written")
        except BlockingIOError:
            self.lock_wait = 0.0
            raise
        self.lock_wait = LOCK_WAIT_SECONDS

    def _rotate(self, file_day: date) -> None:
        """Rename today's file to its dated name inside the folder, then prune. When that name is
        already a regular file, today's lines are appended to it, descriptor to descriptor; when
        it is anything else (a link, a FIFO), UnsafeFileError and nothing moves."""
        dated = _dated(file_day)
        folder = self._folder()
        existing = entry(folder, dated)
        if existing is None:
            # rename(2) replaces a name planted meanwhile; it never writes through it.
            os.rename(LOG_FILE_NAME, dated, src_dir_fd=folder, dst_dir_fd=folder)
        else:
            check_regular(existing, self.directory / dated)
            source = self._open(LOG_FILE_NAME, os.O_RDONLY)
            try:
                sink = self._open(dated, os.O_WRONLY | os.O_APPEND)
                try:
                    while chunk := os.read(source, 1 << 16):
                        os.write(sink, chunk)
                finally:
                    os.close(sink)
            finally:
                os.close(source)
            os.unlink(LOG_FILE_NAME, dir_fd=folder)
        self.prune()

    def prune(self) -> None:
        """Delete the oldest dated files beyond `backups`; nothing but exact dated names that
        are regular files (a link is never followed: `lstat`, `unlink` relative to the folder)."""
        folder = self._folder()
        names = sorted(
            name
            for name in os.listdir(folder)
            if re.fullmatch(_DATED, name)
            and (info := entry(folder, name)) is not None
            and stat.S_ISREG(info.st_mode)
        )
        for old in names[: max(0, len(names) - self.backups)]:
            with contextlib.suppress(OSError):  # retention must never cost today's line
                os.unlink(old, dir_fd=folder)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's API)
        if not self.warned:
            self.warned = True
            print(f"warning: {log_error_message(sys.exc_info()[1], self.path)}", file=sys.stderr)


def log_error_message(error: BaseException | None, log_path: Path) -> str:
    """The one-line warning for a log write that failed: it names the file at fault (the lock
    file, a dated file or world-timer.log) and the reason."""
    path = Path(getattr(error, "filename", None) or log_path)
    reason = str(error) if isinstance(error, UnsafeFileError) else None
    reason = reason or getattr(error, "strerror", None) or str(error)
    kind = "the lock file" if path.name == LOCK_FILE_NAME else "the log file"
    return f"cannot write {kind} {path}: {reason}"


def _dated(day: date) -> str:
    return f"{LOG_FILE_NAME}.{day.isoformat()}"


def configure_logging(
    log_dir: Path,
    backups: int = 30,
    level: str = "INFO",
    json_lines: bool = False,
    clock: Callable[[], float] = time.time,
) -> Path | None:
    """Send the `world_timer` logger to `log_dir/world-timer.log` (folder created when missing).

    Returns the log file's path, or None when the folder cannot be created, written or trusted
    (as root: owned by another user, or writable by others without the sticky bit): then one
    warning goes to stderr and the program goes on without a log file.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    logger.setLevel(level)
    logger.propagate = False
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        folder = open_folder(log_dir)
        if not os.access(log_dir, os.W_OK):
            os.close(folder)
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        # mkdir says "File exists" when a file or a dangling symlink has the folder's name.
        reason = "not a folder" if isinstance(exc, FileExistsError) else None
        reason = reason or (str(exc) if isinstance(exc, UnsafeFileError) else None)
        reason = reason or exc.strerror or str(exc)
        print(f"warning: cannot write logs to {log_dir}: {reason}", file=sys.stderr)
        logger.addHandler(logging.NullHandler())
        return None
    handler = DailyFileHandler(log_dir, backups, clock, folder=folder)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logger.addHandler(handler)
    return handler.path


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Hold the lines logged inside the block and write them together when it ends (the same
    file checks, one lock): for a command that logs one line per place of a long list."""
    handlers = [
        h for h in logging.getLogger(LOGGER_NAME).handlers if isinstance(h, DailyFileHandler)
    ]
    for handler in handlers:
        handler.batch = []
    try:
        yield
    finally:
        for handler in handlers:
            handler.write_batch()


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event (`place`, `request`, ...) with its fields, as one text or JSON line."""
    logging.getLogger(LOGGER_NAME).log(level, event, extra={"fields": fields})
