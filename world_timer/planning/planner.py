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
from datetime import UTC, date, datetime, timedelta, tzinfo

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
from world_timer.planning.model import Attendance, Cell, Plan, PlanDay, PlanPlace, Slot, Strip
from world_timer.timekeeping.instants import NonexistentTimeError, localize

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


def _utc(unixtime: int) -> datetime:
    return datetime.fromtimestamp(unixtime, UTC)
