"""Logging set-up: one line per place per run, in a file rotated daily at local midnight.

Configured once, at the entry point (`configure_logging`); library modules only call
`logging.getLogger("world_timer")`. The file is `world-timer.log`, rolled over at local midnight
to `world-timer.log.YYYY-MM-DD` (TimedRotatingFileHandler semantics), `backups` days kept.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from datetime import datetime
from pathlib import Path

from world_timer.clock import Reading

LOGGER_NAME = "world_timer"
LOG_FILE_NAME = "world-timer.log"
_FORMAT = "%(asctime)s %(levelname)s %(message)s"


class IsoFormatter(logging.Formatter):
    """Timestamps in ISO 8601 local time with offset and ms: `2026-11-30T14:05:09.123+01:00`."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's API)
        return (
            datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")
        )


class _WarnOnceFileHandler(logging.handlers.TimedRotatingFileHandler):
    """A TimedRotatingFileHandler that, when the disk fails (full, read-only), warns once on stderr
    instead of printing logging's traceback, and keeps the program going."""

    warned = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's API)
        if not self.warned:
            self.warned = True
            error = sys.exc_info()[1]
            print(
                f"warning: cannot write the log file {self.baseFilename}: {error}", file=sys.stderr
            )

    def close(self) -> None:
        # The final flush fails the same way on a full disk; the warning has been given.
        with contextlib.suppress(OSError):
            super().close()


def configure_logging(log_dir: Path, backups: int = 30, level: int = logging.INFO) -> Path | None:
    """Send the `world_timer` logger to `log_dir/world-timer.log` (created when missing).

    Returns the log file's path, or None when the folder cannot be created or written: then one
    warning goes to stderr and the program goes on without a log file.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)
    logger.propagate = False
    path = log_dir / LOG_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = _WarnOnceFileHandler(path, when="midnight", backupCount=backups, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"warning: cannot write logs to {log_dir}: {reason}", file=sys.stderr)
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(IsoFormatter(_FORMAT))
    logger.addHandler(handler)
    return path


def log_reading(reading: Reading) -> None:
    """Log one line for a reading: the query, then the place, zone, local time and source, or the
    failure and its reason."""
    logger = logging.getLogger(LOGGER_NAME)
    if reading.error is not None or reading.time is None or reading.resolution is None:
        suggestions = getattr(reading.error, "suggestions", ())
        logger.warning(
            "query=%r error=%r message=%r suggestions=%r",
            reading.query,
            getattr(reading.error, "reason", "error"),
            str(reading.error),
            list(suggestions),
        )
        return
    resolution = reading.resolution
    place = resolution.place
    logger.info(
        "query=%r place=%r geonameid=%s zone=%s local=%s utc_offset=%s source=%s%s",
        reading.query,
        resolution.label,
        place.geonameid if place else "-",
        resolution.zone_key,
        reading.time.local.isoformat(timespec="seconds"),
        reading.time.utc_offset,
        reading.source,
        "".join(f" note={note!r}" for note in resolution.notes),
    )
