"""Instants from what people type: ISO 8601, `@UNIXTIME`, or a local time in a place or here.

`parse_instant("15:00 Tokyo", now, local_zone)` answers "which instant is that": the instant is an
aware datetime, so every zone can then be read at it (`zonetime.zone_time(zone, instant.when)`).
Local times follow PEP 495 and zoneinfo: a wall time in a spring-forward gap does not exist (an
error that names the gap and the valid times either side), one in a fall-back fold happens twice
(the first unless `fold=1` is asked, with a note that says so). Nothing is decided silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from world_timer.errors import WorldTimerError
from world_timer.places.resolve import Resolution, resolve
from world_timer.timekeeping.zones import format_offset, zone_name

RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
"""Words for a date relative to today in the zone the time is read in."""

_UNIX_RE = re.compile(r"^@(?P<seconds>[+-]?\d{1,30}(?:\.\d{1,30})?)$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(
    r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?)?"
    r"\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)?$",
    re.IGNORECASE,
)
EXAMPLES = "'2025-10-01T10:42:40Z', '@1759315360', '15:00 Tokyo', 'tomorrow 9:00 Lima', '17:30'"


class InstantSyntaxError(WorldTimerError, ValueError):
    """The text is not an instant in any accepted form (a usage error)."""


class NonexistentTimeError(WorldTimerError):
    """A local time that the clocks skip (spring-forward gap).

    `local` is the naive wall time asked for; `zone` the zone; `before` / `after` are the last
    valid local time before the gap and the first after it (aware datetimes in `zone`).
    """

    def __init__(self, local: datetime, zone: tzinfo, before: datetime, after: datetime) -> None:
        jump = (after.utcoffset() or timedelta(0)) - (before.utcoffset() or timedelta(0))
        skipped_from = (before + timedelta(seconds=1)).replace(tzinfo=None)
        super().__init__(
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone_name(zone)}: the clocks go forward "
            f"{_duration(jump.total_seconds())} from {skipped_from:%H:%M} to {after:%H:%M}; "
            f"valid times either side: {before:%H:%M:%S} {_offset_abbr(before)} and "
            f"{after:%H:%M:%S} {_offset_abbr(after)}"
        )
        self.local = local
        self.zone = zone
        self.before = before
        self.after = after


@dataclass(frozen=True, slots=True)
class Instant:
    """The answer of `parse_instant`.

    `when` is an aware datetime: in the zone the text was read in (a place, the user's zone) with
    its PEP 495 `fold` set, or in UTC / the given offset for ISO 8601 and `@UNIXTIME`.
    `resolution` is the place the text named (None otherwise); `notes` are one-line remarks for
    stderr (a fall-back fold and which of its two times was taken).
    """

    text: str
    when: datetime
    resolution: Resolution | None = None
    notes: tuple[str, ...] = ()

    @property
    def utc(self) -> datetime:
        """The instant as an aware UTC datetime."""
        return self.when.astimezone(UTC)


def parse_instant(
    text: str,
    now: datetime,
    local_zone: tzinfo,
    fold: int = 0,
    resolver: Callable[[str, datetime], Resolution] = resolve,
) -> Instant:
    """Parse WHEN into an instant.

    Accepted forms: ISO 8601 with an offset or `Z` (`2025-10-01T10:42:40.709530Z`); `@UNIXTIME`
    (seconds since 1970-01-01T00:00:00Z, fraction allowed); `[DATE] TIME [PLACE]` or
    `PLACE [DATE] TIME`, where DATE is `YYYY-MM-DD`, `today`, `tomorrow` or `yesterday` (in the
    place's zone at `now`), TIME is `H:MM[:SS[.ffffff]]` or `3pm` / `3:30 pm`, and PLACE is
    anything `resolve` accepts (a city, an IANA zone key, a UTC offset); without a PLACE the time
    is read in `local_zone`. An ISO 8601 date-time without offset is a local time too.

    `now` (aware) anchors the relative dates and the place resolution. `fold` (0 or 1) picks the
    first or second of a local time that happens twice. Raises InstantSyntaxError for text in no
    accepted form, NonexistentTimeError for a local time in a gap, and the PlaceError subclasses
    of `resolve` for a place that cannot be found.
    """
    if fold not in (0, 1):
        raise ValueError("fold must be 0 or 1")
    stripped = " ".join(text.split())
    if not stripped:
        raise InstantSyntaxError("empty time: " + _hint())
    unix = _UNIX_RE.match(stripped)
    if unix:
        return Instant(text, _from_unix(unix["seconds"]))
    absolute = _iso_datetime(stripped)
    if absolute is not None and absolute.tzinfo is not None:
        return Instant(text, absolute)
    if absolute is not None:
        return _localize(text, absolute, local_zone, None, fold)
    # `2026-03-08T02:30 New York`: an ISO date-time followed by a place.
    day, clock, place = _split_local(re.sub(r"^(\d{4}-\d{2}-\d{2})[Tt](?=\d)", r"\1 ", stripped))
    resolution = resolver(place, now) if place else None
    zone = resolution.zone if resolution else local_zone
    today = now.astimezone(zone).date()
    local_date = today + timedelta(days=RELATIVE_DAYS[day]) if day in RELATIVE_DAYS else None
    if local_date is None:
        local_date = _calendar_date(day) if day else today
    return _localize(text, datetime.combine(local_date, clock), zone, resolution, fold)


def parse_date(text: str, today: date) -> date:
    """Parse `YYYY-MM-DD`, `today`, `tomorrow` or `yesterday` (relative to `today`).

    Raises InstantSyntaxError otherwise.
    """
    word = text.strip().casefold()
    if word in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[word])
    if _DATE_RE.match(word):
        return _calendar_date(word)
    raise InstantSyntaxError(f"bad date {text.strip()!r}: use YYYY-MM-DD, today or tomorrow")


def parse_clock(text: str) -> time:
    """Parse a wall-clock time: `9:00`, `09:00:30`, `17:30:05.25`, `3pm`, `3:30 pm`.

    Raises InstantSyntaxError when `text` is not a time of day.
    """
    match = _TIME_RE.match(text.strip())
    if not match or (match["minute"] is None and match["meridiem"] is None):
        raise InstantSyntaxError(f"bad time of day {text.strip()!r}")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    second = int(match["second"] or 0)
    micro = int((match["fraction"] or "0").ljust(6, "0"))
    meridiem = (match["meridiem"] or "").replace(".", "").casefold()
    if meridiem:
        if not 1 <= hour <= 12:
            raise InstantSyntaxError(f"bad time of day {text.strip()!r}: with am/pm use 1 to 12")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if minute > 59 or second > 59 or hour > 23:
        raise InstantSyntaxError(f"bad time of day {text.strip()!r}")
    return time(hour, minute, second, micro)


def _calendar_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InstantSyntaxError(f"bad date {text!r}: {exc}") from None


def _hint() -> str:
    return f"use e.g. {EXAMPLES}"


def _from_unix(seconds: str) -> datetime:
    try:
        value = Decimal(seconds)
        whole = int(value.to_integral_value(rounding="ROUND_FLOOR"))
        micro = int((value - whole) * 1_000_000)
        return datetime.fromtimestamp(whole, UTC) + timedelta(microseconds=micro)
    except (InvalidOperation, OverflowError, OSError, ValueError):
        raise InstantSyntaxError(f"unix time @{seconds} is out of range") from None


def _iso_datetime(text: str) -> datetime | None:
    """An ISO 8601 date-time (`T` or space between date and time), else None."""
    if not re.match(r"^\d{4}-?\d{2}-?\d{2}[T ]\d", text, re.IGNORECASE):
        return None
    try:
        return datetime.fromisoformat(text.upper())  # `z` and `t` are valid ISO 8601 too
    except ValueError:
        if " " in text:
            return None  # `2026-03-08 02:30 New York`: a date, a time and a place
        raise InstantSyntaxError(f"bad ISO 8601 date-time {text!r}") from None


def _split_local(text: str) -> tuple[str | None, time, str]:
    """Split `[DATE] TIME [PLACE]` or `PLACE [DATE] TIME` into (date word, time, place)."""
    words = text.split(" ")
    for lead in (True, False):
        found = _date_time_words(words if lead else words[::-1], reverse=not lead)
        if found:
            day, clock, used = found
            place = words[used:] if lead else words[: len(words) - used]
            if place and place[0].casefold() in ("in", "at"):
                place = place[1:]
            return day, clock, " ".join(place)
    raise InstantSyntaxError(f"cannot read a time in {text!r}: " + _hint())


def _date_time_words(words: list[str], reverse: bool) -> tuple[str | None, time, int] | None:
    """Find DATE? TIME at the start of `words` (or at the end, read backwards)."""
    day: str | None = None
    index = 0

    def is_day(word: str) -> bool:
        return word.casefold() in RELATIVE_DAYS or bool(_DATE_RE.match(word))

    if not reverse and words and is_day(words[0]):
        day, index = words[0].casefold(), 1
    for size in (2, 1):  # `3:30 pm` before `3:30`
        chunk = words[index : index + size]
        if len(chunk) < size:
            continue
        ordered = chunk[::-1] if reverse else chunk
        try:
            clock = parse_clock(" ".join(ordered))
        except InstantSyntaxError:
            if size == 2 and ordered[-1].casefold().replace(".", "") in ("am", "pm"):
                raise  # `13:00 pm` is a bad time, not 13:00 in Saint-Pierre-et-Miquelon (PM)
            continue
        used = index + size
        if reverse and len(words) > used and is_day(words[used]):
            day, used = words[used].casefold(), used + 1
        if day and day not in RELATIVE_DAYS:
            _calendar_date(day)
        return day, clock, used
    return None


def _localize(
    text: str, wall: datetime, zone: tzinfo, resolution: Resolution | None, fold: int
) -> Instant:
    when, note = localize(wall, zone, fold)
    return Instant(text, when, resolution, (note,) if note else ())


def localize(wall: datetime, zone: tzinfo, fold: int = 0) -> tuple[datetime, str | None]:
    """Attach `zone` to the naive wall time `wall`: (aware datetime, note or None).

    The note says that the time happens twice (fall-back fold) and which one `fold` took.
    Raises NonexistentTimeError for a time that the clocks skip (spring-forward gap).
    """
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if _round_trip(first) != wall.replace(tzinfo=None) or (
        _round_trip(second) != wall.replace(tzinfo=None)
    ):
        raise _gap_error(wall, zone)
    if first.utcoffset() == second.utcoffset():
        return first, None
    chosen = (first, second)[fold]
    note = (
        f"{wall:%Y-%m-%d %H:%M} happens twice in {zone_name(zone)} (the clocks go back): "
        f"using the {('first', 'second')[fold]}, {chosen:%H:%M} {_offset_abbr(chosen)}; "
        f"--fold {1 - fold} for the {('second', 'first')[fold]}, "
        f"{wall:%H:%M} {_offset_abbr((second, first)[fold])}"
    )
    return chosen, note


def _round_trip(aware: datetime) -> datetime:
    return aware.astimezone(UTC).astimezone(aware.tzinfo).replace(tzinfo=None)


def _gap_error(wall: datetime, zone: tzinfo) -> NonexistentTimeError:
    """Locate the transition that skips `wall` and name the valid times either side."""
    # PEP 495: in a gap fold=0 reads the wall time with the offset from before the transition
    # (an instant after it) and fold=1 with the offset after (an instant before it).
    late = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    early = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = int(early.timestamp()), int(late.timestamp()) + 1
    offset_before = datetime.fromtimestamp(low, zone).utcoffset()
    while high - low > 1:  # the first second with the new offset
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return NonexistentTimeError(
        wall, zone, datetime.fromtimestamp(low, zone), datetime.fromtimestamp(high, zone)
    )


def _offset_abbr(aware: datetime) -> str:
    offset = format_offset(aware.utcoffset() or timedelta(0))
    name = aware.tzname()
    return offset + (f" ({name})" if name and name[0] not in "+-" else "")


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    hours, mins = divmod(minutes, 60)
    return (
        f"{hours} h {mins:02d} min" if hours and mins else f"{hours} h" if hours else f"{mins} min"
    )
