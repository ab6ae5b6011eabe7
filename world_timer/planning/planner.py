"""Working-hours planner: each place's local time over one day, and when everyone is at work.

A plan covers one calendar day of a reference zone (the user's own zone, or the first place), from
its local midnight to the next: 24 hours, or 23 / 25 (23.5 on Lord Howe) on a DST change day.
Every place gets a strip of hourly cells on the same instants, so a +05:45 zone reads 05:45,
06:45, ... Working hours and night are daily windows of local wall time; the set of instants a
window covers is computed exactly per span of constant UTC offset, so gaps, folds and the date
line need no special case. Offsets and instants come from zoneinfo and the pinned tzdata package.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from world_timer.timekeeping.instants import NonexistentTimeError, localize
from world_timer.timekeeping.transitions import zone_transitions
from world_timer.timekeeping.zones import zone_name

DAY = 86_400
HOUR = 3_600
SLOT_STEP = 900
"""Candidate start times of the least-bad hour are this many seconds apart (offsets are multiples
of 15 minutes in modern data)."""

Intervals = list[tuple[int, int]]
"""Half-open UTC intervals [start, end) in unix seconds, sorted and disjoint."""


@dataclass(frozen=True, slots=True)
class DailyWindow:
    """A daily window of local wall time, [start, end) in minutes after midnight.

    `end` is 1 … 1440; a window with end <= start wraps past midnight (`22:00-06:00`).
    """

    start: int
    end: int

    def contains(self, minute: int) -> bool:
        """True when the local minute of the day (0 … 1439) is in the window."""
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    @property
    def minutes(self) -> int:
        """Length of the window in minutes."""
        return (self.end - self.start) % 1440 or 1440

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


WORK = DailyWindow(9 * 60, 17 * 60)
NIGHT = DailyWindow(22 * 60, 6 * 60)
"""Night as marked on the strips and weighed by the least-bad hour: 22:00 to 06:00 local."""


def parse_window(text: str) -> DailyWindow:
    """Parse `HH:MM-HH:MM` (`9-17`, `09:00-17:30`, `22:00-06:00`; `24:00` as an end).

    Raises ValueError with a one-line message.
    """
    start_text, dash, end_text = text.strip().partition("-")
    if not dash:
        raise ValueError(f"bad hours {text.strip()!r}: use HH:MM-HH:MM, e.g. 09:00-17:00")
    start, end = _minute(start_text), _minute(end_text)
    if start == 1440:
        raise ValueError(f"bad hours {text.strip()!r}: a start of 24:00 is 00:00")
    if start == end:
        raise ValueError(f"bad hours {text.strip()!r}: start and end must differ")
    return DailyWindow(start, end)


def _minute(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or (minutes and not (minutes.isdigit() and len(minutes) == 2)):
        raise ValueError(f"bad time {text.strip()!r}: use HH:MM")
    value = int(hours) * 60 + int(minutes or 0)
    if int(minutes or 0) > 59 or value > 1440:
        raise ValueError(f"bad time {text.strip()!r}: use 00:00 to 24:00")
    return value


@dataclass(frozen=True, slots=True)
class PlanPlace:
    """One strip's place: the label shown and its zone (ZoneInfo or fixed offset)."""

    label: str
    zone: tzinfo

    @property
    def zone_key(self) -> str:
        """IANA key of the zone, or `UTC+05:30` for a fixed offset."""
        return zone_name(self.zone)


@dataclass(frozen=True, slots=True)
class Cell:
    """One hour of a strip: from `start` (aware UTC) for up to an hour.

    `local` is `start` in the place's zone; `work_minutes` how much of the cell is working
    hours; `night` whether the cell's middle is at night; `new_date` whether the local date
    differs from the previous cell's (true for the first cell).
    """

    start: datetime
    local: datetime
    work_minutes: int
    night: bool
    new_date: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO 8601 instants (UTC and local with offset)."""
        return {
            "utc": _iso(self.start),
            "local": _iso(self.local),
            "work_minutes": self.work_minutes,
            "night": self.night,
            "new_date": self.new_date,
        }


@dataclass(frozen=True, slots=True)
class Strip:
    """A place's cells over the plan's day, on the same instants as every other strip."""

    place: PlanPlace
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Slot:
    """A span [start, end) of aware UTC datetimes, read in each place of the plan."""

    start: datetime
    end: datetime
    places: tuple[PlanPlace, ...]

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return int((self.end - self.start).total_seconds() // 60)

    def local(self, place: PlanPlace) -> tuple[datetime, datetime]:
        """Start and end in the place's zone."""
        return self.start.astimezone(place.zone), self.end.astimezone(place.zone)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: UTC start/end, minutes, and the local start/end of each place."""
        return {
            "start": _iso(self.start),
            "end": _iso(self.end),
            "minutes": self.minutes,
            "local": [
                {
                    "label": place.label,
                    "timezone": place.zone_key,
                    "start": _iso(self.local(place)[0]),
                    "end": _iso(self.local(place)[1]),
                }
                for place in self.places
            ],
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The answer of `make_plan`.

    `start` / `end` (aware UTC) bound the reference zone's local day `day`; `overlaps` are the
    spans when every place is in its working hours; when there is none, `least_bad` is the hour
    (starting on a quarter hour) with the fewest minutes outside working hours, night minutes
    counted twice, then the nearest to everyone's working hours, then the earliest; `outside`
    are the labels of the places outside their working hours then.
    """

    day: date
    reference: PlanPlace
    start: datetime
    end: datetime
    work: DailyWindow
    night: DailyWindow
    strips: tuple[Strip, ...]
    overlaps: tuple[Slot, ...]
    least_bad: Slot | None = None
    outside: tuple[str, ...] = ()

    @property
    def hours(self) -> float:
        """Length of the day in hours: 24, or 23 / 25 / 23.5 ... on a DST change day."""
        return (self.end - self.start).total_seconds() / HOUR

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plan: the day, the strips and their cells, overlaps, the least-bad hour."""
        return {
            "date": self.day.isoformat(),
            "reference": self.reference.zone_key,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "hours": self.hours,
            "work": str(self.work),
            "night": str(self.night),
            "strips": [
                {
                    "label": strip.place.label,
                    "timezone": strip.place.zone_key,
                    "cells": [cell.to_dict() for cell in strip.cells],
                }
                for strip in self.strips
            ],
            "overlaps": [slot.to_dict() for slot in self.overlaps],
            "overlap_minutes": sum(slot.minutes for slot in self.overlaps),
            "least_bad": self.least_bad.to_dict() if self.least_bad else None,
            "outside": list(self.outside),
        }


def make_plan(
    places: Sequence[PlanPlace], day: date, work: DailyWindow = WORK, night: DailyWindow = NIGHT
) -> Plan:
    """Plan `day` (a calendar day of the first place's zone) for `places` (at least one).

    Cells are whole hours from the reference day's first instant (the last cell is shorter on a
    day of 23.5 hours). Raises ValueError when `places` is empty.
    """
    if not places:
        raise ValueError("a plan needs at least one place")
    reference = places[0]
    start, end = day_bounds(reference.zone, day)
    lo, hi = int(start.timestamp()), int(end.timestamp())
    work_sets = [window_intervals(place.zone, work, lo, hi) for place in places]
    night_sets = [window_intervals(place.zone, night, lo, hi) for place in places]
    strips = tuple(
        _strip(place, lo, hi, works, nights)
        for place, works, nights in zip(places, work_sets, night_sets, strict=True)
    )
    common = work_sets[0]
    for other in work_sets[1:]:
        common = intersect(common, other)
    overlaps = tuple(Slot(_utc(a), _utc(b), tuple(places)) for a, b in common)
    plan = Plan(day, reference, start, end, work, night, strips, overlaps)
    if overlaps or hi - lo < HOUR:
        return plan
    # Distances to working hours look a day beyond the plan, where the nearest window may be.
    wide = [window_intervals(place.zone, work, lo - DAY, hi + DAY) for place in places]
    best = min(
        range(lo, hi - HOUR + 1, SLOT_STEP),
        key=lambda t: (
            sum(
                HOUR - measure(works, t, t + HOUR) + measure(nights, t, t + HOUR)
                for works, nights in zip(work_sets, night_sets, strict=True)
            ),
            sum(distance(works, t, t + HOUR) for works in wide),
            t,
        ),
    )
    outside = tuple(
        place.label
        for place, works in zip(places, work_sets, strict=True)
        if measure(works, best, best + HOUR) < HOUR
    )
    slot = Slot(_utc(best), _utc(best + HOUR), tuple(places))
    return Plan(day, reference, start, end, work, night, strips, overlaps, slot, outside)


def day_bounds(zone: tzinfo, day: date) -> tuple[datetime, datetime]:
    """First instants (aware UTC) of `day` and of the next day in `zone`.

    A midnight that the clocks skip starts the day at the end of the gap; a midnight that
    happens twice starts it at the first.
    """
    return _first_instant(zone, day), _first_instant(zone, day + timedelta(days=1))


def _first_instant(zone: tzinfo, day: date) -> datetime:
    try:
        when, _note = localize(datetime(day.year, day.month, day.day), zone)
    except NonexistentTimeError as gap:
        when = gap.after
    return when.astimezone(UTC)


def window_intervals(zone: tzinfo, window: DailyWindow, lo: int, hi: int) -> Intervals:
    """The instants of [lo, hi) (unix seconds) whose local wall time in `zone` is in `window`.

    Exact to the second: [lo, hi) is cut where the UTC offset changes, and within each span
    the wall time is the instant plus a constant offset.
    """
    found: Intervals = []
    start, end = window.start * 60, window.end * 60
    if end <= start:
        end += DAY
    for a, b, offset in offset_spans(zone, lo, hi):
        first_day = (a + offset - end) // DAY
        last_day = (b + offset) // DAY
        for local_day in range(first_day, last_day + 1):
            x = max(a, local_day * DAY + start - offset)
            y = min(b, local_day * DAY + end - offset)
            if x < y:
                found.append((x, y))
    return _merge(found)


def offset_spans(zone: tzinfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """Cut [lo, hi) (unix seconds) into spans of constant UTC offset: (start, end, offset s)."""
    key = getattr(zone, "key", None)
    spans = []
    t = lo
    while t < hi:
        offset = datetime.fromtimestamp(t, zone).utcoffset() or timedelta(0)
        following = hi
        if key:
            period_end = zone_transitions(key).period_at(t).end
            if period_end is not None:
                following = min(hi, max(period_end, t + 1))
        spans.append((t, following, int(offset.total_seconds())))
        t = following
    return spans


def intersect(first: Intervals, second: Intervals) -> Intervals:
    """The intersection of two sorted lists of disjoint half-open intervals."""
    found: Intervals = []
    i = j = 0
    while i < len(first) and j < len(second):
        a, b = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if a < b:
            found.append((a, b))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def measure(intervals: Intervals, lo: int, hi: int) -> int:
    """Seconds of [lo, hi) covered by `intervals`."""
    return sum(max(0, min(b, hi) - max(a, lo)) for a, b in intervals)


def distance(intervals: Intervals, lo: int, hi: int) -> int:
    """Seconds between [lo, hi) and the nearest of `intervals` (0 when they touch or overlap)."""
    gaps = [max(a - hi, lo - b, 0) for a, b in intervals]
    return min(gaps, default=DAY)


def _merge(intervals: Intervals) -> Intervals:
    merged: Intervals = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _strip(place: PlanPlace, lo: int, hi: int, works: Intervals, nights: Intervals) -> Strip:
    cells = []
    previous: date | None = None
    for index in range(math.ceil((hi - lo) / HOUR)):
        a = lo + index * HOUR
        b = min(hi, a + HOUR)
        local = _utc(a).astimezone(place.zone)
        middle = (a + b) // 2
        cells.append(
            Cell(
                start=_utc(a),
                local=local,
                work_minutes=measure(works, a, b) // 60,
                night=measure(nights, middle, middle + 1) > 0,
                new_date=local.date() != previous,
            )
        )
        previous = local.date()
    return Strip(place, tuple(cells))


def _utc(unixtime: int) -> datetime:
    return datetime.fromtimestamp(unixtime, UTC)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
