"""An iCalendar (RFC 5545) event for a planned slot, and writing it safely.

The event's DTSTART / DTEND are UTC date-times (`20261210T143000Z`, RFC 5545 §3.3.5 form 2),
which every calendar reads without a VTIMEZONE; the organiser's zone (the plan's first place)
is named in the description with every place's local time.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from world_timer.planning.planner import Slot

LINE_OCTETS = 75
"""RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF and one space)."""


def slot_to_ics(slot: Slot, summary: str, stamp: datetime, product: str) -> str:
    """The VCALENDAR text (CRLF lines, folded) of one VEVENT for `slot`.

    `stamp` (aware) is the DTSTAMP, the instant the file is made (the injected clock); the UID
    is a hash of the slot and its zones, so exporting the same slot twice gives the same UID.
    """
    zones = ",".join(place.zone_key for place in slot.places)
    digest = hashlib.sha256(f"{slot.start.isoformat()}/{slot.end.isoformat()}/{zones}".encode())
    organiser = slot.places[0]
    lines = [f"Organiser's zone: {organiser.zone_key} ({organiser.label})"]
    for place in slot.places:
        start, end = slot.local(place)
        lines.append(
            f"{place.label} ({place.zone_key}): {start:%a %Y-%m-%d %H:%M} {start:%z}"
            f" - {end:%H:%M} {end:%z}"
        )
    content = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(product)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{digest.hexdigest()[:32]}@world-timer",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(slot.start)}",
        f"DTEND:{_utc(slot.end)}",
        f"SUMMARY:{_text(summary)}",
        f"DESCRIPTION:{_text(chr(10).join(lines))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in content)


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newline escaped; a CR, CRLF or LF
    is a newline (`\\n`); every other control character (C0 but HTAB, DEL, C1) and a lone
    surrogate is dropped, since TEXT allows none of them (a bare CR once went out raw)."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(
        ch
        for ch in lines
        if ch in "\t\n" or not (ch < " " or "\x7f" <= ch <= "\x9f" or "\ud800" <= ch <= "\udfff")
    )
    return kept.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without cutting a UTF-8 character (continuations start with a space)."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def write_file_safely(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: a new temporary file in the same folder, renamed over.

    Never writes through a symlink or into a non-regular file (a FIFO, a device, a folder): such
    a `path` raises OSError and is left as it was; a half-written file is never left behind.
    Raises OSError (with strerror set) when the folder is missing or not writable.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and (stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode)):
        kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        raise OSError(0, f"{kind}: not written (only a regular file is replaced)", str(path))
    folder = path.parent
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
