"""The planner's answer: places, hourly strips, ranked slots with who attends, days, the plan.

Instants are aware UTC datetimes; `to_dict` gives JSON-ready ISO 8601 strings with offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from world_timer.planning.daysoff import DayOff
from world_timer.planning.intervals import HOUR, WORK, DailyWindow
from world_timer.timekeeping.zones import zone_name


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


def _off_dict(off: DayOff) -> dict[str, Any]:
    return {"date": off.day.isoformat(), "reason": off.reason, "name": off.name} | {
        "name_en": off.name_en
    }


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")
