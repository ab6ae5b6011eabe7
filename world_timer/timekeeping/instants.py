"""Instants from what people type: ISO 8601, `@UNIXTIME`, or a local time in a place or here.

`parse_instant("15:00 Tokyo", now, local_zone, resolver=resolve)` answers "which instant is that":
the instant is an aware datetime, so every zone can then be read at it (`zone_time(zone, when)`).
The place reader is given by the caller (`world_timer.reading.instants` gives the gazetteer's), so
this module knows time, not places.
Local times follow PEP 495 and zoneinfo: a wall time in a spring-forward gap does not exist (an
error that names the gap and the valid times either side), one in a fall-back fold happens twice
(the first unless `fold=1` is asked, with a note that says so). Nothing is decided silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Generic, NamedTuple, NoReturn, Protocol, TypeVar

from world_timer.errors import PlaceError, PlaceNotFoundError, WorldTimerError
from world_timer.timekeeping.timewords import (
    FORMS,
    RELATIVE_DAYS,
    WEEKDAYS,
    InstantSyntaxError,
    day_words,
    day_words_before,
    looks_like_clock,
    parse_clock,
    parse_date,
    parse_from_now,
    quoted,
)
from world_timer.timekeeping.zones import format_offset, zone_name

__all__ = [
    "EXAMPLES",
    "RELATIVE_DAYS",
    "Instant",
    "InstantSyntaxError",
    "NonexistentTimeError",
    "localize",
    "parse_clock",
    "parse_date",
    "parse_instant",
]

_UNIX_RE = re.compile(r"^@(?P<seconds>[+-]?\d{1,30}(?:\.\d{1,30})?)$")
_ZULU = re.compile(r"(?<![\w:.])(\d{1,2}(?::\d{2}){1,2}(?:\.\d{1,6})?) ?[Zz]$")
"""`15:00Z`, `09:30:15 Z`: a time of day in UTC (ISO 8601's and the military's Zulu)."""
_ISO_DAY_T = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-?[Ww]\d{2}-?\d)[Tt](?=\d)")
"""`2026-03-08T02:30 New York`, `2026-W10-3T15:00 Tokyo`: an ISO date-time followed by a place."""
EXAMPLES = FORMS
"""Kept for callers of the old name: every accepted form (see timewords.FORMS)."""


class Located(Protocol):
    """What a place reader returns: anything with the zone the place is in (a ZoneInfo or a fixed
    `datetime.timezone`), e.g. `world_timer.places.resolve.Resolution`."""

    @property
    def zone(self) -> tzinfo: ...


L = TypeVar("L", bound=Located)


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
class Instant(Generic[L]):
    """The answer of `parse_instant`.

    `when` is an aware datetime: in the zone the text was read in (a place, the user's zone) with
    its PEP 495 `fold` set, or in UTC / the given offset for ISO 8601 and `@UNIXTIME`.
    `resolution` is the place the text named (None otherwise); `notes` are one-line remarks for
    stderr (a fall-back fold and which of its two times was taken).
    """

    text: str
    when: datetime
    resolution: L | None = None
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
    resolver: Callable[[str, datetime], L] | None = None,
) -> Instant[L]:
    """Parse WHEN into an instant, reading any place in it with `resolver`.

    This is the grammar alone: `world_timer.reading.instants.parse_instant` is the same with the
    gazetteer's `resolve` as the place reader. Without a `resolver`, a PLACE in the text is a
    PlaceNotFoundError (only times here, ISO 8601, `@UNIXTIME` and offsets from now are read).

    Accepted forms: ISO 8601 with an offset or `Z` (`2025-10-01T10:42:40.709530Z`, also with an
    ISO week date: `2026-W10-3T15:00Z`); `@UNIXTIME` (seconds since 1970-01-01T00:00:00Z,
    fraction allowed); an offset from now (`in 2 hours`, `in 1h30m`, `90 minutes ago`, `now`);
    a local time `[DAY] TIME [PLACE]`, `TIME [DAY] [PLACE]` or `PLACE [DAY] TIME`, where DAY is
    what `timewords.parse_date` reads (`2026-03-08`, `2026-W10-3`, `tomorrow`, `friday`,
    `next monday`; relative days are counted in the place's zone at `now`), TIME what
    `parse_clock` reads (`15:00`, `3pm`, `3:30 p.m.`, `noon`, `midnight`; `15:00Z` is 15:00
    UTC, ISO 8601's Zulu), and PLACE anything
    the resolver accepts (a city, an IANA zone key, a UTC offset; `in`/`at` before it are
    skipped). Without a PLACE the time is read in `local_zone`. An ISO 8601 date-time without
    offset is a local time too.

    Where a weekday could start a place name (`15:00 Friday Harbor`), the day reading is tried
    first and the place reading when the day reading's place is not found.

    `now` (aware) anchors the relative dates and the place resolution. `fold` (0 or 1) picks the
    first or second of a local time that happens twice. Raises InstantSyntaxError for text in no
    accepted form (its `hint` lists them all), NonexistentTimeError for a local time in a gap,
    and the PlaceError subclasses of the resolver for a place that cannot be found.
    """
    reader: Callable[[str, datetime], L] = resolver if resolver is not None else _no_places
    if fold not in (0, 1):
        raise ValueError("fold must be 0 or 1")
    stripped = " ".join(text.split())
    if not stripped:
        raise InstantSyntaxError("empty time", hint=FORMS)
    unix = _UNIX_RE.match(stripped)
    if unix:
        return Instant(text, _from_unix(unix["seconds"]))
    from_now = parse_from_now(stripped)
    if from_now is not None:
        try:
            return Instant(text, now + from_now)
        except OverflowError:
            raise InstantSyntaxError(
                f"{quoted(stripped)} is outside the instants supported"
            ) from None
    absolute = _iso_datetime(stripped)
    if absolute is not None and absolute.tzinfo is not None:
        return Instant(text, absolute)
    if absolute is not None:
        return _localize(text, absolute, local_zone, None, fold)
    stripped = _ZULU.sub(r"\1 UTC", stripped)
    readings = _readings(_ISO_DAY_T.sub(r"\1 ", stripped).split(" "))
    if not readings:
        raise InstantSyntaxError(f"cannot read a time in {quoted(stripped)}", hint=FORMS)
    failure: PlaceError | None = None
    for day, clock, place, note in readings:
        if day:
            parse_date(day, now.date())  # a day that does not exist is an error of its own
        try:
            resolution = reader(place, now) if place else None
        except PlaceError as exc:
            failure = failure or exc
            continue
        zone = resolution.zone if resolution else local_zone
        today = now.astimezone(zone).date()
        local_date = parse_date(day, today) if day else today
        instant = _localize(text, datetime.combine(local_date, clock), zone, resolution, fold)
        return replace(instant, notes=(note, *instant.notes)) if note else instant
    assert failure is not None
    raise failure


class _Reading(NamedTuple):
    """One way to read the words of a local time: DAY (or None), TIME, PLACE (or ''), a note."""

    day: str | None
    clock: time
    place: str
    note: str | None = None


def _readings(words: list[str]) -> list[_Reading]:
    """Every way to read `words` as DAY, TIME and PLACE (day and place may be empty), best first.

    TIME is one or two words anywhere (`3:30 pm`); a DAY is right before or right after it; the
    PLACE is the rest, on one side only. Raises InstantSyntaxError for words shaped like a time
    that is not one (`25:00`; `13:00 pm` is not 13:00 in Saint-Pierre-et-Miquelon, PM).
    """
    found: list[_Reading] = []
    for start in range(len(words)):
        for size in (2, 1):
            chunk = words[start : start + size]
            if len(chunk) < size:
                continue
            try:
                clock = parse_clock(" ".join(chunk))
            except InstantSyntaxError:
                if looks_like_clock(" ".join(chunk)):
                    raise
                continue
            found += _around(words[:start], clock, words[start + size :])
            break
    return found


def _around(before: list[str], clock: time, after: list[str]) -> list[_Reading]:
    """The readings of one TIME with the words `before` and `after` it (see `_readings`).

    A day taken from the words next to the place comes first, except a weekday that could be
    the start or end of the place's name (`15:00 Sun Valley`, a city in Nevada, is not Sunday
    15:00 in The Valley, Anguilla): then the whole name is tried first, with a note.
    """
    behind, ahead = day_words_before(before, len(before)), day_words(after, 0)
    splits = [*([(behind, 0)] if behind else []), *([(0, ahead)] if ahead else [])]
    options: list[_Reading] = []
    for taken_before, taken_after in [*splits, (0, 0)]:
        left, right = before[: len(before) - taken_before], after[taken_after:]
        if left and right:
            continue  # a place on both sides of the time
        day = " ".join(before[len(before) - taken_before :] + after[:taken_after]) or None
        place = left or right
        linked = len(right) > 1 and right[0].casefold() in ("in", "at")  # `15:00 Friday in Tokyo`
        if linked:
            place = right[1:]
        beside = (taken_before and left) or (taken_after and right)  # the day touches the place
        if beside and day and not linked and day.split()[-1].casefold() in WEEKDAYS:
            whole = " ".join(before if left else after)
            note = (
                f"'{whole}' read as one place name; for {day} put the day first: "
                f"'{day} {clock:%H:%M} {' '.join(place)}'"
            )
            options.append(_Reading(None, clock, whole, note))
        options.append(_Reading(day, clock, " ".join(place)))
    return list(dict.fromkeys(options))


def _from_unix(seconds: str) -> datetime:
    try:
        value = Decimal(seconds)
        whole = int(value.to_integral_value(rounding="ROUND_FLOOR"))
        micro = int((value - whole) * 1_000_000)
        return datetime.fromtimestamp(whole, UTC) + timedelta(microseconds=micro)
    except (InvalidOperation, OverflowError, OSError, ValueError):
        raise InstantSyntaxError(f"unix time @{seconds} is out of range") from None


def _iso_datetime(text: str) -> datetime | None:
    """An ISO 8601 date-time (`T` or space between date and time, calendar or week date),
    else None."""
    if not re.match(r"^(\d{4}-?\d{2}-?\d{2}|\d{4}-?W\d{2}-?\d)[T ]\d", text, re.IGNORECASE):
        return None
    try:
        return datetime.fromisoformat(text.upper())  # `z` and `t` are valid ISO 8601 too
    except ValueError:
        if " " in text:
            return None  # `2026-03-08 02:30 New York`: a date, a time and a place
        raise InstantSyntaxError(f"bad ISO 8601 date-time {quoted(text)}") from None


def _no_places(query: str, _now: datetime) -> NoReturn:
    raise PlaceNotFoundError(query, detail="no place reader given")


def _localize(
    text: str, wall: datetime, zone: tzinfo, resolution: L | None, fold: int
) -> Instant[L]:
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
