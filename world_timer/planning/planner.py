"""Meeting planner: each place's local time over one or more days, and the best meeting slots.

A plan covers whole calendar days of a reference zone (the user's own zone, or the first place),
from its local midnight to the midnight after the last day: 24 hours a day, or 23 / 25 (23.5 on
Lord Howe) on a DST change day. Every place gets a strip of hourly cells on the same instants, so
a +05:45 zone reads 05:45, 06:45, ... Each place has its own working hours (a daily window of
local wall time) and days off (weekends and public holidays of its country and region, from
`daysoff`); slots of the asked length start every 15 minutes and are ranked. Offsets and instants
come from zoneinfo and the pinned tzdata package.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from world_timer.planning.daysoff import DayOff
from world_timer.planning.intervals import (
    DAY,
    HOUR,
    NIGHT,
    WORK,
    DailyWindow,
    Intervals,
    distance,
    intersect,
    margin,
    measure,
    parse_window,
    window_intervals,
)
from world_timer.timekeeping.instants import NonexistentTimeError, localize
from world_timer.timekeeping.zones import zone_name

__all__ = [
    "HOUR",
    "NIGHT",
    "SLOT_STEP",
    "WORK",
    "Attendance",
    "Cell",
    "DailyWindow",
    "Plan",
    "PlanDay",
    "PlanPlace",
    "Slot",
    "Strip",
    "day_bounds",
    "make_plan",
    "parse_window",
]

SLOT_STEP = 900
"""Candidate slots start this many seconds apart (offsets are multiples of 15 minutes in modern
data), counted from the plan's first instant."""
TOP = 5
"""Slots listed by default."""


@dataclass(frozen=True, slots=True)
class PlanPlace:
    """One strip's place: label, zone (ZoneInfo or fixed offset), working hours, and where its
    days off come from (ISO 3166-1 `country` and the holiday data's `subdiv`; None: none)."""

    label: str
    zone: tzinfo
    work: DailyWindow = WORK
    country: str | None = None
    subdiv: str | None = None

    @property
    def zone_key(self) -> str:
        """IANA key of the zone, or `UTC+05:30` for a fixed offset."""
        return zone_name(self.zone)


@dataclass(frozen=True, slots=True)
class Cell:
    """One hour of a strip: from `start` (aware UTC) for up to an hour.

    `local` is `start` in the place's zone; `work_minutes` how much of the cell is working
    hours on a working day; `night` whether the cell's middle is at night; `new_date` whether
    the local date differs from the previous cell's (true for the first cell); `off` whether the
    local date is a day off.
    """

    start: datetime
    local: datetime
    work_minutes: int
    night: bool
    new_date: bool
    off: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO 8601 instants (UTC and local with offset)."""
        return {
            "utc": _iso(self.start),
            "local": _iso(self.local),
            "work_minutes": self.work_minutes,
            "night": self.night,
            "new_date": self.new_date,
            "off": self.off,
        }


@dataclass(frozen=True, slots=True)
class Strip:
    """A place's cells over the plan, on the same instants as every other strip."""

    place: PlanPlace
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Attendance:
    """How one place sits in a slot: `outside_minutes` of it outside working hours, and why
    (`off`: the day off it falls on, else None: before or after the working hours)."""

    place: PlanPlace
    outside_minutes: int
    off: DayOff | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """A span [start, end) of aware UTC datetimes, read in each place of the plan.

    `attendance` (one per place, in the plan's order) is filled for ranked slots.
    """

    start: datetime
    end: datetime
    places: tuple[PlanPlace, ...]
    attendance: tuple[Attendance, ...] = ()

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def outside(self) -> tuple[str, ...]:
        """Labels of the places outside their working hours for part of the slot."""
        return tuple(a.place.label for a in self.attendance if a.outside_minutes)

    def local(self, place: PlanPlace) -> tuple[datetime, datetime]:
        """Start and end in the place's zone (their UTC offsets differ across a transition)."""
        return self.start.astimezone(place.zone), self.end.astimezone(place.zone)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: UTC start/end, minutes, each place's local start/end (with offsets) and,
        for a ranked slot, its minutes outside working hours and the day off it falls on."""
        rows = []
        for index, place in enumerate(self.places):
            start, end = self.local(place)
            row: dict[str, Any] = {
                "label": place.label,
                "timezone": place.zone_key,
                "start": _iso(start),
                "end": _iso(end),
            }
            if self.attendance:
                attendance = self.attendance[index]
                row["inside"] = attendance.outside_minutes == 0
                row["outside_minutes"] = attendance.outside_minutes
                row["off"] = _off_dict(attendance.off) if attendance.off else None
            rows.append(row)
        return {
            "start": _iso(self.start),
            "end": _iso(self.end),
            "minutes": self.minutes,
            "local": rows,
        }


@dataclass(frozen=True, slots=True)
class PlanDay:
    """One day of the reference zone: `start` / `end` its first instants (aware UTC)."""

    day: date
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        """24, or 23 / 25 / 23.5 ... on a DST change day."""
        return (self.end - self.start).total_seconds() / HOUR


@dataclass(frozen=True, slots=True)
class Plan:
    """The answer of `make_plan`.

    `days` are the reference zone's days planned; `overlaps` the spans when every place is in its
    working hours on a working day; `slots` the best meetings of `duration` minutes, ranked
    (`all_inside`: everyone inside working hours in each; otherwise the least-bad ones, with
    who is outside and by how much); `days_off` each place's days off touching the plan.
    """

    days: tuple[PlanDay, ...]
    reference: PlanPlace
    night: DailyWindow
    strips: tuple[Strip, ...]
    overlaps: tuple[Slot, ...]
    duration: int
    slots: tuple[Slot, ...]
    all_inside: bool
    days_off: tuple[tuple[PlanPlace, DayOff], ...] = ()
    holidays: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def day(self) -> date:
        """The first day planned."""
        return self.days[0].day

    @property
    def start(self) -> datetime:
        return self.days[0].start

    @property
    def end(self) -> datetime:
        return self.days[-1].end

    @property
    def hours(self) -> float:
        """Length of the plan in hours (24 a day, 23 / 25 / 23.5 ... on a DST change day)."""
        return (self.end - self.start).total_seconds() / HOUR

    @property
    def least_bad(self) -> Slot | None:
        """The best slot when nobody's hours all overlap, else None."""
        return self.slots[0] if self.slots and not self.all_inside else None

    @property
    def outside(self) -> tuple[str, ...]:
        """Labels of the places outside working hours in the least-bad slot."""
        return self.least_bad.outside if self.least_bad else ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plan: days, strips and their cells, overlaps, days off, ranked slots."""
        return {
            "date": self.day.isoformat(),
            "days": [
                {"date": d.day.isoformat(), "start": _iso(d.start), "end": _iso(d.end)}
                | {"hours": d.hours}
                for d in self.days
            ],
            "reference": self.reference.zone_key,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "hours": self.hours,
            "duration_minutes": self.duration,
            "night": str(self.night),
            "holidays": self.holidays,
            "places": [
                {
                    "label": place.label,
                    "timezone": place.zone_key,
                    "work": str(place.work),
                    "country": place.country,
                    "region": place.subdiv,
                }
                for place in (strip.place for strip in self.strips)
            ],
            "days_off": [{"label": place.label} | _off_dict(off) for place, off in self.days_off],
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
            "all_inside": self.all_inside,
            "slots": [slot.to_dict() for slot in self.slots],
            "least_bad": self.least_bad.to_dict() if self.least_bad else None,
            "outside": list(self.outside),
            "notes": list(self.notes),
        }


def make_plan(
    places: Sequence[PlanPlace],
    day: date,
    work: DailyWindow | None = None,
    night: DailyWindow = NIGHT,
    *,
    days: int = 1,
    duration: int = 60,
    top: int = TOP,
    days_off: Sequence[Mapping[date, DayOff]] | None = None,
    holidays: bool = True,
    notes: Sequence[str] = (),
) -> Plan:
    """Plan `days` days from `day` (calendar days of the first place's zone) for `places`.

    `work` replaces every place's working hours when given; `duration` is the meeting's length
    in minutes (1 … 1440); `days_off` holds each place's days off (local dates), in the order
    of `places`; `top` slots at most are ranked, none overlapping another. Cells are whole
    hours from the first instant (the last cell is shorter on a day of 23.5 hours). Raises
    ValueError when `places` is empty or `duration` / `days` is out of range.
    """
    if not places:
        raise ValueError("a plan needs at least one place")
    if not 1 <= duration <= 1440 or days < 1:
        raise ValueError("a meeting lasts 1 minute to 24 hours, over at least one day")
    if work is not None:
        places = [PlanPlace(p.label, p.zone, work, p.country, p.subdiv) for p in places]
    reference = places[0]
    plan_days = tuple(
        PlanDay(d, *day_bounds(reference.zone, d))
        for d in (day + timedelta(days=i) for i in range(days))
    )
    lo, hi = int(plan_days[0].start.timestamp()), int(plan_days[-1].end.timestamp())
    offs = [dict(off) for off in days_off] if days_off else [{} for _ in places]
    if len(offs) != len(places):
        raise ValueError("days_off needs one mapping per place")
    work_sets = [
        window_intervals(p.zone, p.work, lo, hi, off) for p, off in zip(places, offs, strict=True)
    ]
    night_sets = [window_intervals(place.zone, night, lo, hi) for place in places]
    strips = tuple(
        _strip(place, lo, hi, works, nights, off)
        for place, works, nights, off in zip(places, work_sets, night_sets, offs, strict=True)
    )
    common = work_sets[0]
    for other in work_sets[1:]:
        common = intersect(common, other)
    overlaps = tuple(Slot(_utc(a), _utc(b), tuple(places)) for a, b in common)
    seconds = duration * 60
    starts = range(lo, hi - seconds + 1, SLOT_STEP)
    inside = [t for t in starts if measure(common, t, t + seconds) == seconds]
    if inside:
        # Everyone inside: the most room to everyone's start and end of work, then the earliest.
        ranked = sorted(
            inside, key=lambda t: (-min(margin(w, t, t + seconds) for w in work_sets), t)
        )
    else:
        # Then the fewest minutes outside everyone's usual hours, then the nearest to them (days
        # off included: on a holiday the least-bad slot is still in the usual hours), looking a
        # day beyond the plan for the nearest window.
        usual = [window_intervals(p.zone, p.work, lo - DAY, hi + DAY) for p in places]
        ranked = sorted(
            starts,
            key=lambda t: (
                sum(
                    _cost(w, n, t, t + seconds) for w, n in zip(work_sets, night_sets, strict=True)
                ),
                sum(_cost(w, n, t, t + seconds) for w, n in zip(usual, night_sets, strict=True)),
                sum(distance(w, t, t + seconds) for w in usual),
                t,
            ),
        )
    slots = tuple(
        _ranked_slot(places, work_sets, offs, t, t + seconds) for t in _apart(ranked, seconds, top)
    )
    found_off = tuple(
        (place, off[d])
        for place, off in zip(places, offs, strict=True)
        for d in sorted(off)
        if _touches(place, d, lo, hi)
    )
    return Plan(
        plan_days,
        reference,
        night,
        strips,
        overlaps,
        duration,
        slots,
        bool(inside),
        tuple(sorted(found_off, key=lambda item: (item[1].day, places.index(item[0])))),
        holidays,
        tuple(notes),
    )


def _cost(works: Intervals, nights: Intervals, lo: int, hi: int) -> int:
    """Seconds outside working hours, night seconds counted twice."""
    return hi - lo - measure(works, lo, hi) + measure(nights, lo, hi)


def _apart(ranked: Sequence[int], seconds: int, top: int) -> list[int]:
    """The first `top` starts of `ranked` whose slots do not overlap an earlier pick, in time
    order of their rank."""
    picked: list[int] = []
    for t in ranked:
        if len(picked) == top:
            break
        if all(abs(t - other) >= seconds for other in picked):
            picked.append(t)
    return picked


def _ranked_slot(
    places: Sequence[PlanPlace],
    work_sets: Sequence[Intervals],
    offs: Sequence[Mapping[date, DayOff]],
    lo: int,
    hi: int,
) -> Slot:
    attendance = []
    for place, works, off in zip(places, work_sets, offs, strict=True):
        outside = (hi - lo - measure(works, lo, hi)) // 60
        local_days = {
            _utc(lo).astimezone(place.zone).date(),
            _utc(hi - 1).astimezone(place.zone).date(),
        }
        reason = next((off[d] for d in sorted(local_days) if d in off), None) if outside else None
        attendance.append(Attendance(place, outside, reason))
    return Slot(_utc(lo), _utc(hi), tuple(places), tuple(attendance))


def _touches(place: PlanPlace, day: date, lo: int, hi: int) -> bool:
    """Whether the place's local date `day` overlaps [lo, hi) (unix seconds)."""
    start, end = day_bounds(place.zone, day)
    return start.timestamp() < hi and end.timestamp() > lo


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


def _strip(
    place: PlanPlace,
    lo: int,
    hi: int,
    works: Intervals,
    nights: Intervals,
    off: Mapping[date, DayOff],
) -> Strip:
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
                off=local.date() in off,
            )
        )
        previous = local.date()
    return Strip(place, tuple(cells))


def _off_dict(off: DayOff) -> dict[str, Any]:
    return {"date": off.day.isoformat(), "reason": off.reason, "name": off.name} | {
        "name_en": off.name_en
    }


def _utc(unixtime: int) -> datetime:
    return datetime.fromtimestamp(unixtime, UTC)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")
