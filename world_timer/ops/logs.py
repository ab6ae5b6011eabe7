"""Logging: one line per place per run, in daily files that stay correct when runs overlap.

`world-timer.log` holds today's lines (local time); at the first line of a new day it is renamed to
`world-timer.log.YYYY-MM-DD` (the TimedRotatingFileHandler naming) and `backups` dated files are
kept. Safe across processes: every write happens under an exclusive `fcntl.flock` on a lock file
beside the log, after checking which day the current file belongs to (its mtime, which each write
sets to the line's own time). So N processes writing at once, across a rollover, lose no line,
duplicate none, and put each line in the file of its day; a run every five minutes still rotates at
midnight, and DST changes do not matter because days are local calendar dates, not 86,400 s.
Retention deletes only files named exactly `world-timer.log.YYYY-MM-DD` (cpython gh-93205).

Configured once, at the entry point (`configure_logging`); the library only calls
`logging.getLogger("world_timer")`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

LOGGER_NAME = "world_timer"
LOG_FILE_NAME = "world-timer.log"
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

    `clock` (seconds since the epoch) stamps each record; tests inject it to cross midnight.
    Errors (full disk, read-only folder) give one warning on stderr, never a traceback.
    """

    def __init__(
        self, directory: Path, backups: int = 30, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self.directory = directory
        self.path = directory / LOG_FILE_NAME
        self.lock_path = directory / f".{LOG_FILE_NAME}.lock"
        self.backups = backups
        self.clock = clock
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record.created = self.clock()
            # An argument that was not UTF-8 arrives as lone surrogates (`Tok\udcffyo`); JSON
            # lines keep them as `\udcff` escapes rather than losing the whole line.
            line = (self.format(record) + "\n").encode("utf-8", "backslashreplace")
            self._write(line, _local(record.created).date(), record.created)
        except Exception:
            self.handleError(record)

    def _write(self, line: bytes, day: date, stamp: float) -> None:
        lock = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            target = self.path
            with contextlib.suppress(FileNotFoundError):
                current = os.stat(self.path)
                file_day = _local(current.st_mtime).date()
                if file_day < day and current.st_size:
                    self._rotate(file_day)
                elif day < file_day:
                    # A line stamped before the current file's day (a process that was slow
                    # to write across midnight) belongs in that day's dated file.
                    target = self._dated(day)
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                if target == self.path:
                    os.utime(fd, (stamp, stamp))
            finally:
                os.close(fd)
        finally:
            os.close(lock)  # closing the descriptor releases the lock

    def _dated(self, day: date) -> Path:
        return self.directory / f"{LOG_FILE_NAME}.{day.isoformat()}"

    def _rotate(self, file_day: date) -> None:
        """Rename today's file to its dated name (appending if that exists), then prune."""
        dated = self._dated(file_day)
        if dated.exists():
            with self.path.open("rb") as source, dated.open("ab") as sink:
                sink.write(source.read())
            self.path.unlink()
        else:
            os.rename(self.path, dated)
        self.prune()

    def prune(self) -> None:
        """Delete the oldest dated files beyond `backups`; nothing but exact dated names."""
        dated = sorted(
            p for p in self.directory.iterdir() if re.fullmatch(_DATED, p.name) and p.is_file()
        )
        for old in dated[: max(0, len(dated) - self.backups)]:
            with contextlib.suppress(OSError):  # retention must never cost today's line
                old.unlink(missing_ok=True)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's API)
        if not self.warned:
            self.warned = True
            error = sys.exc_info()[1]
            reason = getattr(error, "strerror", None) or str(error)
            print(f"warning: cannot write the log file {self.path}: {reason}", file=sys.stderr)


def configure_logging(
    log_dir: Path,
    backups: int = 30,
    level: str = "INFO",
    json_lines: bool = False,
    clock: Callable[[], float] = time.time,
) -> Path | None:
    """Send the `world_timer` logger to `log_dir/world-timer.log` (folder created when missing).

    Returns the log file's path, or None when the folder cannot be created or written: then one
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
        if not os.access(log_dir, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        # mkdir says "File exists" when a file or a dangling symlink has the folder's name.
        reason = "not a folder" if isinstance(exc, FileExistsError) else exc.strerror or str(exc)
        print(f"warning: cannot write logs to {log_dir}: {reason}", file=sys.stderr)
        logger.addHandler(logging.NullHandler())
        return None
    handler = DailyFileHandler(log_dir, backups, clock)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logger.addHandler(handler)
    return handler.path


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event (`place`, `request`, ...) with its fields, as one text or JSON line."""
    logging.getLogger(LOGGER_NAME).log(level, event, extra={"fields": fields})
