"""Rendering a plan as text: one column (strip) per place, one row per hour, then the overlap.

Rows are instants, so every strip's cell on a row is the same instant: a +05:45 zone reads
`05:45` where UTC reads `00:00`. Marks: `█` the whole hour is working hours, `▌` part of it,
`·` night; the local date is shown where it changes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from world_timer.planning.planner import Cell, Plan, PlanPlace, Slot
from world_timer.timekeeping.zones import format_offset

LABEL_WIDTH = 16
"""Longer place labels are cut with `…` so the strips stay aligned."""


def render_plan_json(plan: Plan) -> str:
    """The plan as indented JSON (see `Plan.to_dict`)."""
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_plan_table(plan: Plan) -> str:
    """The plan as aligned text: a title, a legend, the strips, then the overlap lines."""
    start = plan.start.astimezone(plan.reference.zone)
    title = (
        f"{start:%a} {start.date().isoformat()} in "  # isoformat: year 2 is 0002, not %Y's 2
        f"{plan.reference.zone_key} ({_hours(plan.hours)}), working hours {plan.work}"
    )
    legend = f"█ working hours  ▌ part of the hour  · night ({plan.night})"
    columns = [
        ("UTC", "", ""),
        *((_cut(s.place.label), _cut(s.place.zone_key), _offsets(s.cells)) for s in plan.strips),
    ]
    headers = [list(line) for line in zip(*columns, strict=True)]
    rows = []
    for index, first in enumerate(plan.strips[0].cells):
        utc_text = f"{first.start:%H:%M}"
        rows.append([utc_text, *(_cell(strip.cells[index]) for strip in plan.strips)])
    widths = [max(len(cell) for cell in column) for column in zip(*headers, *rows, strict=True)]
    lines = [title, legend, ""]
    lines.extend(_join(line, widths) for line in headers)
    lines.extend(_join(row, widths) for row in rows)
    lines.append("")
    lines.extend(_overlap_lines(plan))
    return "\n".join(lines) + "\n"


def _join(cells: list[str] | tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _cell(cell: Cell) -> str:
    day = f"{cell.local:%a %d}" if cell.new_date else " " * 6
    mark = (
        "█" if cell.work_minutes >= 60 else "▌" if cell.work_minutes else "·" if cell.night else ""
    )
    return f"{day} {cell.local:%H:%M} {mark}".rstrip()


def _offsets(cells: tuple[Cell, ...]) -> str:
    """The UTC offsets over the day: `+05:45`, or `-05:00→-04:00` on a DST change day."""
    seen: list[str] = []
    for cell in cells:
        text = format_offset(cell.local.utcoffset() or timedelta(0))
        if not seen or seen[-1] != text:
            seen.append(text)
    return "→".join(seen)


def _overlap_lines(plan: Plan) -> list[str]:
    places = [strip.place for strip in plan.strips]
    width = max(len(_cut(p.label)) for p in places)
    if plan.overlaps:
        total = sum(slot.minutes for slot in plan.overlaps)
        lines = [f"Everyone at work: {_minutes(total)}"]
        for slot in plan.overlaps:
            lines.append(f"  {slot.start:%H:%M}-{slot.end:%H:%M} UTC")
            lines.extend(_slot_line(slot, place, width) for place in places)
        return lines
    lines = ["Everyone at work: never on this day"]
    if plan.least_bad is not None:
        slot = plan.least_bad
        lines.append(
            f"Least-bad hour: {slot.start:%H:%M}-{slot.end:%H:%M} UTC "
            f"(outside working hours: {', '.join(plan.outside)})"
        )
        lines.extend(_slot_line(slot, place, width) for place in places)
    return lines


def _slot_line(slot: Slot, place: PlanPlace, width: int) -> str:
    start, end = slot.local(place)
    return f"    {_cut(place.label).ljust(width)}  {_local_range(start, end)}"


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
