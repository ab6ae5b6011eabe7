"""Rendering readings as a table, tab-separated lines or JSON: the one place data is formatted.

Every function returns text; the CLI decides where it goes (stdout for data).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from world_timer.places.normalize import normalize
from world_timer.reading.readings import Reading
from world_timer.timekeeping.zones import zone_name
from world_timer.timekeeping.zonetime import ZoneTime

FORMATS = ("table", "plain", "json")
FALLBACK_MARK = "*"
"""Ends a table row whose time is the embedded fallback for a failed API request."""


class Style(NamedTuple):
    """How times are shown: 12- or 24-hour clock, seconds, colour (ANSI) or not."""

    hour12: bool = False
    seconds: bool = False
    color: bool = False


def clock_text(local: datetime, style: Style) -> str:
    """`14:05`, `14:05:09`, `2:05 PM`, `2:05:09 PM`."""
    if style.hour12:
        text = local.strftime("%I:%M:%S %p" if style.seconds else "%I:%M %p")
        return text.lstrip("0")
    return local.strftime("%H:%M:%S" if style.seconds else "%H:%M")


def offset_difference(seconds: int) -> str:
    """Format a difference of UTC offsets in seconds: `+9h`, `-30m`, `+5h45m`, `0h`."""
    minutes = seconds // 60 if seconds >= 0 else -(-seconds // 60)
    if not minutes:
        return "0h"
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    if hours and mins:
        return f"{sign}{hours}h{mins:02d}m"
    return f"{sign}{hours}h" if hours else f"{sign}{mins}m"


def difference(time: ZoneTime, reference: tzinfo) -> tuple[int, int]:
    """(UTC offset of `time` minus that of `reference` at the same instant, in seconds; calendar
    days between their local dates): `(28800, 0)`, `(-18000, -1)`."""
    here = time.local.astimezone(reference)
    here_offset = here.utcoffset() or timedelta(0)
    return (
        time.utc_offset_seconds - int(here_offset.total_seconds()),
        (time.local.date() - here.date()).days,
    )


def relative_to_local(time: ZoneTime, local_zone: tzinfo) -> str:
    """Difference to the user's own zone (or any reference zone) at the same instant: `+14h`,
    `-5h, yesterday`."""
    seconds, days = difference(time, local_zone)
    text = offset_difference(seconds)
    if days:
        text += ", tomorrow" if days == 1 else ", yesterday" if days == -1 else f", {days:+d} days"
    return text


def place_text(reading: Reading) -> str:
    """The row's name: `Tokyo, Japan`, or the user's label (`Tokyo office`); the zone in
    brackets when its name is not in the place's or the label's (`HQ (America/Chicago)`)."""
    resolution = reading.resolution
    if resolution is None:
        return reading.label or reading.query
    label = reading.label or resolution.label
    if resolution.place is not None or reading.label:
        name = reading.label or (resolution.place.name if resolution.place else "")
        city = resolution.zone_key.rsplit("/", 1)[-1].replace("_", " ")
        if normalize(city) not in normalize(name):
            label += f" ({resolution.zone_key})"
    return label


def _row(reading: Reading, local_zone: tzinfo, style: Style) -> list[str]:
    time = reading.time
    assert time is not None
    local = time.local
    return [
        place_text(reading),
        # Not strftime's %Y: glibc writes year 2 as "2", ISO 8601 (and isoformat) as "0002".
        f"{local:%a} {local.date().isoformat()}",
        clock_text(local, style),
        time.utc_offset,
        time.abbreviation,
        "DST" if time.dst else "",
        relative_to_local(time, local_zone),
    ]


def render_table(
    readings: Sequence[Reading], local_zone: tzinfo, style: Style, versus: str = "local"
) -> str:
    """Aligned columns with a header; rows that failed are left out (their message is on stderr).

    The last column is the difference to `local_zone`, headed `vs local` (or `vs VERSUS`, for
    `--relative-to`).

    A row whose time is the embedded fallback of a failed API request ends with FALLBACK_MARK,
    explained by a last line.
    """
    header = ["Place", "Date", "Time", "UTC", "Abbr", "DST", f"vs {versus}"]
    shown = [r for r in readings if r.ok]
    rows = [_row(r, local_zone, style) for r in shown]
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [_paint(line(header).rstrip(), "2", style)]
    for reading, row in zip(shown, rows, strict=True):
        text = line(row).rstrip()
        lines.append(text + f" {FALLBACK_MARK}" if reading.fallback_reason else text)
    if any(r.fallback_reason for r in shown):
        lines.append(
            f"{FALLBACK_MARK} time API failed: embedded tz database time (reason on stderr)"
        )
    return "\n".join(lines) + "\n"


def render_plain(readings: Sequence[Reading], local_zone: tzinfo, style: Style) -> str:
    """One tab-separated line per resolved place, for scripts and pipes (no header, no colour).

    Columns: place, zone, date (`Mon 2026-11-30`), time, UTC offset, abbreviation, `DST` or
    empty, difference to the local zone.
    """
    lines = []
    for reading in readings:
        if not reading.ok or reading.resolution is None:
            continue
        cells = _row(reading, local_zone, style)
        cells.insert(1, reading.resolution.zone_key)
        cells[0] = reading.label or reading.resolution.label
        lines.append("\t".join(cells))
    return "".join(line + "\n" for line in lines)


def reading_to_dict(reading: Reading, reference: tzinfo | None = None) -> dict[str, Any]:
    """Return a reading as a JSON-ready dict: the worldtimeapi fields plus query, label, place,
    source, `matched` (how the query was read: a key of world_timer.places.matched.MATCHED, such
    as "name", "abbreviation", "country"), `notes` (the one-line remarks also on stderr: an
    ambiguous pick, an abbreviation's reading, a POSIX sign) and `fallback_reason` when the API
    failed and the time is the embedded one. With a `reference` zone (the user's, or
    `--relative-to`): `relative_to` (its IANA key), `offset_difference_seconds` (this UTC offset
    minus the reference's), `day_difference` (calendar days between the two local dates) and
    `difference` (the table's text, `+8h`).

    A failed reading is {"query", "error" (reason), "message", "suggestions"}.
    """
    if reading.error is not None or reading.time is None or reading.resolution is None:
        error = reading.error
        return {
            "query": reading.query,
            "error": getattr(error, "reason", "error"),
            "message": str(error),
            "suggestions": list(getattr(error, "suggestions", ())),
        }
    place = reading.resolution.place
    return {
        "query": reading.query,
        "label": reading.label or reading.resolution.label,
        "place": place.to_dict() if place else None,
        "matched": reading.resolution.matched,
        **reading.time.to_worldtimeapi(),
        "source": reading.source,
        "notes": list(reading.resolution.notes),
        **({"fallback_reason": reading.fallback_reason} if reading.fallback_reason else {}),
        **(_difference_fields(reading.time, reference) if reference is not None else {}),
    }


def _difference_fields(time: ZoneTime, reference: tzinfo) -> dict[str, Any]:
    seconds, days = difference(time, reference)
    return {
        "relative_to": zone_name(reference),
        "offset_difference_seconds": seconds,
        "day_difference": days,
        "difference": relative_to_local(time, reference),
    }


def render_json(readings: Sequence[Reading], reference: tzinfo | None = None) -> str:
    """A JSON array with one object per query, in the order given (failures included); see
    `reading_to_dict` for the fields (and `reference`)."""
    import json

    rows = [reading_to_dict(r, reference) for r in readings]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _paint(text: str, sgr: str, style: Style) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if style.color else text
