"""Transitions of a zone: the instants its UTC offset, abbreviation or DST flag change.

zoneinfo answers "what is the offset at this instant" but does not say when the current period
began or ends, which the worldtimeapi fields `dst_from` / `dst_until` need. This module reads the
same TZif file of the tzdata package (RFC 8536: version 2+ 64-bit data, then the POSIX TZ string in
the footer for instants past the last explicit transition).
"""

import bisect
import re
import struct
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from world_timer.timekeeping.zones import TZDATA_DIR, load_zone

_HEADER = struct.Struct(">4sc15x6l")
_POSIX_NAME = r"(?:[A-Za-z]{3,}|<[+\-0-9A-Za-z]+>)"
_POSIX_OFFSET = r"[+-]?\d{1,3}(?::\d{1,2}(?::\d{1,2})?)?"
_POSIX_TZ = (
    rf"^(?P<std>{_POSIX_NAME})(?P<stdoff>{_POSIX_OFFSET})"
    rf"(?:(?P<dst>{_POSIX_NAME})(?P<dstoff>{_POSIX_OFFSET})?"
    r",(?P<start>[^,]+),(?P<end>[^,]+))?$"
)  # compiled on first use (re's cache): most runs read no TZ string with a DST rule
_POSIX_STD_ONLY = rf"^(?P<std>{_POSIX_NAME})(?P<stdoff>{_POSIX_OFFSET})$"


def _is_leap(year: int) -> bool:
    # calendar.isleap, without importing calendar (2 ms of every run's start-up)
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _posix_seconds(text: str) -> int:
    """Seconds of a POSIX `[+-]hh[:mm[:ss]]` (hours may exceed 24 or be negative, RFC 8536)."""
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


class _RuleDate(NamedTuple):
    """One end of a POSIX DST rule: `Mm.w.d[/time]`, `Jn[/time]` or `n[/time]`."""

    spec: str
    local_seconds: int

    @classmethod
    def parse(cls, text: str) -> "_RuleDate":
        spec, _, time = text.partition("/")
        return cls(spec, _posix_seconds(time) if time else 7200)

    def day(self, year: int) -> datetime:
        """Return midnight of the rule's day in `year` (naive)."""
        if self.spec.startswith("M"):
            month, week, weekday = (int(p) for p in self.spec[1:].split("."))
            first = datetime(year, month, 1)
            # POSIX weekday: 0 = Sunday; Python's weekday(): 0 = Monday.
            shift = (weekday - (first.weekday() + 1) % 7) % 7
            day = first + timedelta(days=shift + 7 * (week - 1))
            if week == 5:
                while day.month != month:
                    day -= timedelta(days=7)
            return day
        if self.spec.startswith("J"):
            n = int(self.spec[1:])  # 1..365, 29 February never counted
            if _is_leap(year) and n >= 60:
                n += 1
            return datetime(year, 1, 1) + timedelta(days=n - 1)
        return datetime(year, 1, 1) + timedelta(days=int(self.spec))


class PosixRule(NamedTuple):
    """The POSIX TZ string of a TZif footer, e.g. `EST5EDT,M3.2.0,M11.1.0`."""

    std_name: str
    std_offset: int  # seconds east of UTC (the POSIX sign inverted)
    dst_name: str | None
    dst_offset: int | None
    start: _RuleDate | None
    end: _RuleDate | None

    @classmethod
    def parse(cls, text: str) -> "PosixRule | None":
        """Return the rule of a TZ string, or None when the string is empty or not understood."""
        # Most zones have no DST rule (`JST-9`, `<-05>5`): a smaller pattern reads them.
        match = re.match(_POSIX_TZ if "," in text else _POSIX_STD_ONLY, text)
        if not match:
            return None
        std = -_posix_seconds(match["stdoff"])
        std_name = match["std"].strip("<>")
        if "," not in text:
            return cls(std_name, std, None, None, None, None)
        dst = -_posix_seconds(match["dstoff"]) if match["dstoff"] else std + 3600
        start, end = _RuleDate.parse(match["start"]), _RuleDate.parse(match["end"])
        return cls(std_name, std, match["dst"].strip("<>"), dst, start, end)

    def transitions(self, year: int) -> list[tuple[int, bool]]:
        """Return the rule's changes in `year`: (UTC instant in unix seconds, DST after it)."""
        if self.dst_offset is None or self.start is None or self.end is None:
            return []
        epoch = datetime(1970, 1, 1)
        start = self.start.day(year) - epoch
        end = self.end.day(year) - epoch
        begins = int(start.total_seconds()) + self.start.local_seconds - self.std_offset
        ends = int(end.total_seconds()) + self.end.local_seconds - self.dst_offset
        return sorted(((begins, True), (ends, False)))

    def changes(self, first_year: int, last_year: int) -> tuple[tuple[int, bool], ...]:
        """Return the rule's changes from `first_year` to `last_year` (inclusive), sorted.

        A rule that is DST all year (`EST5EDT,0/0,J365/25`) ends one year's DST at the instant
        the next year's begins: such pairs change nothing and are dropped. Cached: the server
        asks for the same years on every request.
        """
        return _rule_changes(self, first_year, last_year)


@lru_cache(maxsize=4096)
def _rule_changes(rule: PosixRule, first_year: int, last_year: int) -> tuple[tuple[int, bool], ...]:
    changes = [c for y in range(first_year, last_year + 1) for c in rule.transitions(y)]
    instants = [when for when, _ in changes]
    return tuple(sorted(c for c in changes if instants.count(c[0]) == 1))


class Period(NamedTuple):
    """A stretch of time between two transitions of a zone.

    `start` / `end` are unix seconds (None: unbounded); `utc_offset` and `dst_offset` are seconds
    east of UTC; `isdst` is the TZif flag. `dst_offset` is the offset minus the standard offset of
    the next standard-time period (the previous one when none follows): 0 outside DST, negative
    for the tz database's negative DST (Europe/Dublin's winter, Morocco's Ramadan).
    """

    start: int | None
    end: int | None
    utc_offset: int
    isdst: bool
    abbreviation: str
    dst_offset: int


class ZoneTransitions(NamedTuple):
    """The transitions of one zone: explicit ones from the TZif data, then the footer rule.

    `periods[i]` runs from `times[i - 1]` to `times[i]`; `periods[0]` is before the first
    transition and `periods[-1]` after the last explicit one (where the rule, if any, governs).
    """

    times: tuple[int, ...]
    periods: tuple[Period, ...]
    rule: PosixRule | None

    def period_at(self, unixtime: float) -> Period:
        """Return the period holding `unixtime` (unix seconds, UTC)."""
        index = bisect.bisect_right(self.times, unixtime)
        last = self.periods[index]
        rule = self.rule
        if index < len(self.times) or rule is None or rule.dst_offset is None:
            return last
        # Past the last explicit transition the footer's POSIX rule governs, starting from the
        # state of the last explicit period (the rule's first change may come later than it).
        dst_offset = rule.dst_offset
        after = self.times[-1] if self.times else None
        state = (last.utc_offset, last.isdst, last.abbreviation, last.dst_offset)
        start = last.start
        year = datetime.fromtimestamp(unixtime, UTC).year
        for when, in_dst in rule.changes(year - 1, year + 1):
            if after is not None and when <= after:
                continue
            if in_dst:
                new = (dst_offset, True, rule.dst_name or "", dst_offset - rule.std_offset)
            else:
                new = (rule.std_offset, False, rule.std_name, 0)
            if new == state:
                continue
            if when > unixtime:
                return Period(start, when, *state)
            state, start = new, when
        return Period(start, None, *state)


def _read_tzif(data: bytes) -> tuple[list[int], list[tuple[int, int, str]], list[int], str]:
    """Parse TZif bytes: (transition times, (utoff, isdst, abbr) types, type indexes, footer)."""
    magic, version, *counts = _HEADER.unpack_from(data, 0)
    if magic != b"TZif":
        raise ValueError("not a TZif file")
    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts
    offset = _HEADER.size
    time_size = 4
    if version >= b"2":
        offset += timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt
        magic, version, *counts = _HEADER.unpack_from(data, offset)
        isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts
        offset += _HEADER.size
        time_size = 8
    fmt = f">{timecnt}{'q' if time_size == 8 else 'l'}"
    times = list(struct.unpack_from(fmt, data, offset))
    offset += timecnt * time_size
    indexes = list(data[offset : offset + timecnt])
    offset += timecnt
    raw_types = [struct.unpack_from(">lBB", data, offset + 6 * i) for i in range(typecnt)]
    offset += typecnt * 6
    chars = data[offset : offset + charcnt]
    offset += charcnt + leapcnt * (time_size + 4) + isstdcnt + isutcnt
    types = [
        (utoff, isdst, chars[ai : chars.index(b"\0", ai)].decode("ascii"))
        for utoff, isdst, ai in raw_types
    ]
    footer = data[offset:].strip(b"\n").decode("ascii") if version >= b"2" else ""
    return times, types, indexes, footer


def _periods(
    times: list[int], types: list[tuple[int, int, str]], indexes: list[int]
) -> tuple[tuple[int, ...], tuple[Period, ...]]:
    """Merge TZif transitions into periods, dropping transitions that change nothing visible."""
    kept: list[int] = []
    kinds = [types[0]] if types else [(0, 0, "UTC")]
    for when, index in zip(times, indexes, strict=True):
        if types[index] != kinds[-1]:
            kept.append(when)
            kinds.append(types[index])
    periods = []
    for i, (utoff, isdst, abbr) in enumerate(kinds):
        dst_amount = 0
        if isdst:
            following = next((k[0] for k in kinds[i + 1 :] if not k[1]), None)
            preceding = next((k[0] for k in reversed(kinds[:i]) if not k[1]), utoff)
            dst_amount = utoff - (preceding if following is None else following)
        start = kept[i - 1] if i else None
        end = kept[i] if i < len(kept) else None
        periods.append(Period(start, end, utoff, bool(isdst), abbr, dst_amount))
    return tuple(kept), tuple(periods)


@cache
def zone_transitions(key: str) -> ZoneTransitions:
    """Return the transitions of the IANA zone `key` from the tzdata package's TZif file.

    Transitions that change nothing visible (same UTC offset, abbreviation and DST flag) are
    dropped. Raises UnknownZoneError for a key the tzdata package does not list.
    """
    load_zone(key)  # validates the key against the package's list
    times, types, indexes, footer = _read_tzif((TZDATA_DIR / key).read_bytes())
    kept, periods = _periods(times, types, indexes)
    return ZoneTransitions(kept, periods, PosixRule.parse(footer))
