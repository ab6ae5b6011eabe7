"""Daily windows of local wall time (working hours, night) as exact sets of UTC instants.

A window is a daily span of wall time (`09:00-17:00`, `22:00-06:00`); the set of instants it
covers in a zone is computed per span of constant UTC offset, so gaps, folds and the date line
need no special case. Offsets and transitions come from zoneinfo and the pinned tzdata package.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from world_timer.ops.config import parse_hours
from world_timer.timekeeping.transitions import zone_transitions

DAY = 86_400
HOUR = 3_600
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

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
        return f"{hhmm(self.start)}-{hhmm(self.end)}"


WORK = DailyWindow(9 * 60, 17 * 60)
NIGHT = DailyWindow(22 * 60, 6 * 60)
"""Night as marked on the strips and weighed by the least-bad slots: 22:00 to 06:00 local."""


def parse_window(text: str) -> DailyWindow:
    """Parse `HH:MM-HH:MM` (`9-17`, `09:00-17:30`, `22:00-06:00`; `24:00` as an end), the syntax
    of `ops.config.parse_hours`, shared with the `working_hours` setting.

    Raises ValueError with a one-line message.
    """
    return DailyWindow(*parse_hours(text))


def hhmm(minutes: int) -> str:
    """`09:05` for 545 minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def window_intervals(
    zone: tzinfo, window: DailyWindow, lo: int, hi: int, skip: Collection[date] = ()
) -> Intervals:
    """The instants of [lo, hi) (unix seconds) whose local wall time in `zone` is in `window`.

    Exact to the second: [lo, hi) is cut where the UTC offset changes, and within each span
    the wall time is the instant plus a constant offset. A window that starts on a local date
    in `skip` (a day off) is left out whole, also the part of it after midnight.
    """
    found: Intervals = []
    start, end = window.start * 60, window.end * 60
    if end <= start:
        end += DAY
    for a, b, offset in offset_spans(zone, lo, hi):
        first_day = (a + offset - end) // DAY
        last_day = (b + offset) // DAY
        for local_day in range(first_day, last_day + 1):
            if skip and date.fromordinal(EPOCH_ORDINAL + local_day) in skip:
                continue
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


def margin(intervals: Intervals, lo: int, hi: int) -> int:
    """Seconds from [lo, hi) to the nearer edge of the interval holding it (-1 when none does)."""
    for a, b in intervals:
        if a <= lo and hi <= b:
            return min(lo - a, b - hi)
    return -1


def _merge(intervals: Intervals) -> Intervals:
    merged: Intervals = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def parse_duration(text: str) -> int:
    """Parse a meeting length into minutes: `30m`, `45min`, `1h`, `1h30m`, `1h30`, `1:30`, `90`.

    Raises ValueError with a one-line message; the length must be 1 minute to 24 hours.
    """
    import re

    raw = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(?:(\d{1,2})h)?(?:(\d{1,4})(?:m|min|mins|minutes)?)?", raw)
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
    if clock:
        minutes = int(clock[1]) * 60 + int(clock[2])
    elif match and raw and (match[1] or match[2]):
        minutes = int(match[1] or 0) * 60 + int(match[2] or 0)
    else:
        raise ValueError(f"bad duration {text.strip()!r}: use e.g. 30m, 1h, 1h30m or 90")
    if not 1 <= minutes <= 1440:
        raise ValueError(f"bad duration {text.strip()!r}: from 1 minute to 24 hours")
    return minutes
