"""Rendering a plan as text: strips (one day) or a line per day (several), days off, slots.

Rows are instants, so every strip's cell on a row is the same instant: a +05:45 zone reads
`05:45` where UTC reads `00:00`, and a 23- or 25-hour day has 23 or 25 rows. Marks: `█` the
whole hour is working hours, `▌` part of it, `·` night, `-` a day off; the local date is shown
where it changes. Zone keys are never cut; labels over LABEL_WIDTH are.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from world_timer.planning.daysoff import DayOff
from world_timer.planning.planner import Attendance, Cell, Plan, PlanPlace, Slot
from world_timer.timekeeping.zones import format_offset

LABEL_WIDTH = 16
"""Longer place labels are cut with `…` so the strips stay aligned (zone keys never are)."""


def render_plan_json(plan: Plan) -> str:
    """The plan as indented JSON (see `Plan.to_dict`)."""
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_plan_table(plan: Plan) -> str:
    """The plan as aligned text: a title, then the strips of a one-day plan (a line per day for
    several days), the days off, everyone's overlap and the ranked slots."""
    lines = [_title(plan)]
    if len(plan.days) == 1:
        lines += [
            f"█ working hours  ▌ part of the hour  · night ({plan.night})  - day off",
            "",
            *_strip_lines(plan),
        ]
    lines += ["", *_days_off_lines(plan), *_overlap_lines(plan), *_slot_lines(plan)]
    return "\n".join(lines) + "\n"


def _title(plan: Plan) -> str:
    first = plan.days[0]
    start = first.start.astimezone(plan.reference.zone)
    when = f"{start:%a} {start.date().isoformat()}"  # isoformat: year 2 is 0002, not %Y's 2
    if len(plan.days) > 1:
        last = plan.days[-1].start.astimezone(plan.reference.zone)
        when += f" to {last:%a} {last.date().isoformat()}"
    hours = {str(strip.place.work) for strip in plan.strips}
    work = (
        f"working hours {hours.pop()}"
        if len(hours) == 1
        else "working hours "
        + ", ".join(f"{_cut(s.place.label)} {s.place.work}" for s in plan.strips)
    )
    length = _hours(plan.hours) if len(plan.days) == 1 else f"{len(plan.days)} days"
    return f"{when} in {plan.reference.zone_key} ({length}), {work}"


def _strip_lines(plan: Plan) -> list[str]:
    columns = [
        ("UTC", "", ""),
        *((_cut(s.place.label), s.place.zone_key, _offsets(s.cells)) for s in plan.strips),
    ]
    headers = [list(line) for line in zip(*columns, strict=True)]
    rows = []
    for index, first in enumerate(plan.strips[0].cells):
        utc_text = f"{first.start:%H:%M}"
        rows.append([utc_text, *(_cell(strip.cells[index]) for strip in plan.strips)])
    widths = [max(len(cell) for cell in column) for column in zip(*headers, *rows, strict=True)]
    return [_join(line, widths) for line in [*headers, *rows]]


def _join(cells: list[str] | tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _cell(cell: Cell) -> str:
    day = f"{cell.local:%a %d}" if cell.new_date else " " * 6
    mark = (
        "█"
        if cell.work_minutes >= 60
        else "▌"
        if cell.work_minutes
        else "·"
        if cell.night
        else "-"
        if cell.off
        else ""
    )
    return f"{day} {cell.local:%H:%M} {mark}".rstrip()


def _offsets(cells: tuple[Cell, ...]) -> str:
    """The UTC offsets over the plan: `+05:45`, or `-05:00→-04:00` on a DST change day."""
    seen: list[str] = []
    for cell in cells:
        text = format_offset(cell.local.utcoffset() or timedelta(0))
        if not seen or seen[-1] != text:
            seen.append(text)
    return "→".join(seen)


def _days_off_lines(plan: Plan) -> list[str]:
    """`Mon 2026-12-07: Madrid off — Lunes siguiente a Día de la Constitución Española`, places
    off on the same date for the same reason on one line."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for place, off in plan.days_off:
        key = (f"{off.day:%a} {off.day.isoformat()}", _why(off))
        grouped.setdefault(key, []).append(_cut(place.label))
    lines = [f"{day}: {', '.join(labels)} off — {why}" for (day, why), labels in grouped.items()]
    lines.extend(f"note: {note}" for note in plan.notes)
    return [*lines, ""] if lines else []


def _why(off: DayOff) -> str:
    if off.name and off.name_en and off.name_en != off.name:
        return f"{off.name} ({off.name_en})"
    return off.describe()


def _overlap_lines(plan: Plan) -> list[str]:
    places = [strip.place for strip in plan.strips]
    width = max(len(_cut(p.label)) for p in places)
    if not plan.overlaps:
        span = "on this day" if len(plan.days) == 1 else "on these days"
        return [f"Everyone at work: never {span}", ""]
    total = sum(slot.minutes for slot in plan.overlaps)
    lines = [f"Everyone at work: {_minutes(total)}"]
    for slot in plan.overlaps:
        lines.append(f"  {_utc_range(slot, len(plan.days) > 1)}")
        if len(plan.days) == 1:
            lines.extend(f"    {_place_range(slot, place, width)}" for place in places)
    return [*lines, ""]


def _slot_lines(plan: Plan) -> list[str]:
    if not plan.slots:
        return [f"No {_minutes(plan.duration)} slot fits in the days planned."]
    length = _minutes(plan.duration)
    if plan.all_inside:
        lines = [f"Best {length} slots (everyone inside working hours):"]
    else:
        lines = [f"No {length} slot has everyone inside working hours; the least-bad:"]
    width = max(len(_cut(a.place.label)) for a in plan.slots[0].attendance)
    for rank, slot in enumerate(plan.slots, 1):
        outside = ", ".join(
            f"{_cut(a.place.label)} {_minutes(a.outside_minutes)}"
            for a in slot.attendance
            if a.outside_minutes
        )
        lines.append(
            f"  {rank}. {_utc_range(slot, True)}" + (f"  outside: {outside}" if outside else "")
        )
        lines.extend(
            f"       {_place_range(slot, a.place, width)}{_outside(a)}" for a in slot.attendance
        )
    return lines


def _outside(attendance: Attendance) -> str:
    if not attendance.outside_minutes:
        return ""
    if attendance.off:
        return f"  off — {_why(attendance.off)}"
    return f"  {_minutes(attendance.outside_minutes)} outside {attendance.place.work}"


def _utc_range(slot: Slot, dated: bool) -> str:
    """`14:00-16:00 UTC`, dated `Thu 2026-12-10 14:00-16:00 UTC` (`23:00-Fri 01:00` across
    midnight)."""
    start, end = slot.start, slot.end
    day = f"{start:%a} {start.date().isoformat()} " if dated else ""
    same = (end - timedelta(microseconds=1)).date() == start.date()
    return (
        f"{day}{start:%H:%M}-{end:%H:%M} UTC" if same else f"{day}{start:%H:%M}-{end:%a %H:%M} UTC"
    )


def _place_range(slot: Slot, place: PlanPlace, width: int) -> str:
    start, end = slot.local(place)
    return (
        f"{_cut(place.label).ljust(width)}  {_local_range(start, end)} {_offset_range(start, end)}"
    )


def _offset_range(start: datetime, end: datetime) -> str:
    """`+01:00`, or `-04:00→-05:00` when the slot crosses a transition."""
    first = format_offset(start.utcoffset() or timedelta(0))
    last = format_offset(end.utcoffset() or timedelta(0))
    return first if first == last else f"{first}→{last}"


def _local_range(start: datetime, end: datetime) -> str:
    """`Mon 09:00-11:00`, or `Mon 23:00-Tue 01:00` across midnight."""
    if start.date() == end.date() or (end - timedelta(microseconds=1)).date() == start.date():
        return f"{start:%a %H:%M}-{end:%H:%M}"
    return f"{start:%a %H:%M}-{end:%a %H:%M}"


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"


def _hours(hours: float) -> str:
    return f"{hours:g} h"


def _minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    if hours and minutes:
        return f"{hours} h {minutes:02d} min"
    return f"{hours} h" if hours else f"{minutes} min"
