"""The words of a time people type: days (`tomorrow`, `next monday`, `2026-W10-3`), clock times
(`15:00`, `3:30 p.m.`, `noon`) and offsets from now (`in 2 hours`, `90 minutes ago`).

Our own small grammar rather than dateparser or parsedatetime: measured on this machine, dateparser
costs 77 ms to import and 140 ms for its first parse (and brings pytz, regex and tzlocal), and
parsedatetime 36 ms; both read `2026-W10-3` as a wrong date or time without an error, and
parsedatetime silently drops the words it does not know (`Friday 15:00 Tokyo` is read as local
Friday 15:00). A wrong instant at exit 0 is our worst bug, so every word here either means one
thing or is an error. The calendar is the proleptic Gregorian one of `datetime`; weeks are
ISO 8601 weeks (Monday first, `date.fromisocalendar`).
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from world_timer.errors import WorldTimerError

RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
"""Words for a date relative to today in the zone the time is read in."""

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
"""English weekday names and abbreviations → ISO weekday - 1 (Monday 0 … Sunday 6)."""

WEEKDAY_PREFIXES = ("this", "next", "last")
"""`friday` and `this friday`: today or the coming Friday; `next friday`: the first Friday after
today (1 to 7 days on); `last friday`: the last Friday before today (1 to 7 days back)."""

CLOCK_WORDS = {"noon": time(12), "midday": time(12), "midnight": time(0)}
"""`midnight` is 00:00, the start of the day it is given with (`tomorrow midnight`)."""

FORMS = (
    "accepted forms: '2025-10-01T10:42:40Z' (ISO 8601 with offset), '@1759315360' (Unix time), "
    "'15:00 Tokyo', 'Tokyo 3:30 p.m.', 'tomorrow 9am Lima', 'Friday noon Tokyo', "
    "'next monday 9:00 Lima', '2026-03-08 09:00 New York', '2026-W10-3 15:00' (ISO week date), "
    "'midnight', 'in 2 hours', '90 minutes ago', '17:30' (your own zone)"
)
"""Every kind of WHEN, for the `hint:` line of a syntax error (never cut)."""

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK_RE = re.compile(r"^(?P<year>\d{4})-?w(?P<week>\d{2})(?:-?(?P<day>\d))?$", re.IGNORECASE)
_TIME_RE = re.compile(
    r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?)?"
    r"\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)?$",
    re.IGNORECASE,
)
_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 7 * 86400),
}
_AMOUNT_RE = re.compile(r"(?P<amount>\d{1,6}(?:\.\d{1,3})?)\s*(?P<unit>[a-z]+)", re.IGNORECASE)
MAX_OFFSET = timedelta(days=366 * 100)
"""`in N units` reaches at most a hundred years either way."""


class InstantSyntaxError(WorldTimerError, ValueError):
    """The text is not an instant (or a day, or a time of day) in any accepted form.

    str() is one line naming what was wrong; `hint` (or None, when the message says it all:
    `bad time of day '13:00 pm': with am/pm use 1 to 12`) is what to write instead, e.g. the full
    list of accepted forms (a second line for the CLI, never cut).
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def quoted(text: str, limit: int = 60) -> str:
    """`text` in quotes for a message, cut to `limit` characters (what people type can be huge)."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_clock(text: str) -> time:
    """Parse a wall-clock time: `9:00`, `09:00:30`, `17:30:05.25`, `3pm`, `3:30 p.m.`, `noon`,
    `midnight` (00:00). With am/pm the hour is 1 to 12 (`12am` is 00:00, `12pm` noon).

    Raises InstantSyntaxError when `text` is not a time of day.
    """
    word = text.strip().casefold()
    if word in CLOCK_WORDS:
        return CLOCK_WORDS[word]
    match = _TIME_RE.match(word)
    if not match or (match["minute"] is None and match["meridiem"] is None):
        raise InstantSyntaxError(f"bad time of day {quoted(text.strip())}")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    second = int(match["second"] or 0)
    micro = int((match["fraction"] or "0").ljust(6, "0"))
    meridiem = (match["meridiem"] or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise InstantSyntaxError(
                f"bad time of day {quoted(text.strip())}: with am/pm use 1 to 12"
            )
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if minute > 59 or second > 59 or hour > 23:
        raise InstantSyntaxError(f"bad time of day {quoted(text.strip())}")
    return time(hour, minute, second, micro)


def looks_like_clock(text: str) -> bool:
    """Whether `text` has the shape of a time of day (`25:00`, `0am`, `3:30 pm`), valid or not:
    such words are a bad time, never part of a place name."""
    words = text.split()
    if len(words) == 2 and words[1].casefold().replace(".", "") in ("am", "pm"):
        return True
    match = _TIME_RE.match(text.strip())
    return bool(match and (match["minute"] is not None or match["meridiem"] is not None))


def day_words(words: list[str], start: int) -> int:
    """How many of `words` from `start` form a day (0, 1 or 2): `today`, `2026-03-08`,
    `2026-W10-3`, `friday`, `next fri`. Only the form is checked (`2026-02-30` counts)."""
    if start >= len(words):
        return 0
    word = words[start].casefold()
    if word in RELATIVE_DAYS or word in WEEKDAYS or _DATE_RE.match(word) or _WEEK_RE.match(word):
        return 1
    if (
        word in WEEKDAY_PREFIXES
        and start + 1 < len(words)
        and words[start + 1].casefold() in (WEEKDAYS)
    ):
        return 2
    return 0


def day_words_before(words: list[str], end: int) -> int:
    """How many of `words[:end]` at its end form a day (0, 1 or 2), as `day_words`."""
    for size in (2, 1):
        if end - size >= 0 and day_words(words, end - size) == size:
            return size
    return 0


def parse_date(text: str, today: date) -> date:
    """Parse a day relative to `today`: `YYYY-MM-DD`, an ISO week date (`2026-W10-3`,
    `2026W103`: ISO year, week 01 to 53, weekday 1 Monday to 7 Sunday), `today`, `tomorrow`,
    `yesterday`, a weekday name or abbreviation (`friday`, `fri`: today or the coming one),
    `next friday` (1 to 7 days after today), `last friday` (1 to 7 days before).

    Raises InstantSyntaxError otherwise, or for a day that does not exist (`2025-02-29`).
    """
    word = " ".join(text.split()).casefold()
    if word in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[word])
    if _DATE_RE.match(word):
        try:
            return date.fromisoformat(word)
        except ValueError as exc:
            raise InstantSyntaxError(f"bad date {quoted(word)}: {exc}") from None
    week = _WEEK_RE.match(word)
    if week:
        return _week_date(word, week)
    prefix, _, name = word.rpartition(" ")
    if name in WEEKDAYS and prefix in ("", *WEEKDAY_PREFIXES):
        ahead = (WEEKDAYS[name] - today.weekday()) % 7
        if prefix == "next":
            ahead = ahead or 7
        elif prefix == "last":
            ahead = ahead - 7 if ahead else -7
        return today + timedelta(days=ahead)
    raise InstantSyntaxError(
        f"bad date {quoted(text.strip())}",
        hint="use YYYY-MM-DD, an ISO week date (2026-W10-3), today, tomorrow, yesterday, "
        "a weekday (friday, fri), next friday or last friday",
    )


def _week_date(word: str, week: re.Match[str]) -> date:
    if week["day"] is None:
        raise InstantSyntaxError(
            f"the ISO week date {quoted(word.upper())} needs its weekday",
            hint=f"add it: {week['year']}-W{week['week']}-1 (Monday) to "
            f"{week['year']}-W{week['week']}-7 (Sunday)",
        )
    try:
        return date.fromisocalendar(int(week["year"]), int(week["week"]), int(week["day"]))
    except ValueError as exc:
        raise InstantSyntaxError(f"bad ISO week date {quoted(word.upper())}: {exc}") from None


def parse_from_now(text: str) -> timedelta | None:
    """`in 2 hours`, `in 1 h 30 min`, `in 2h30m`, `3 days ago`, `now`: the offset from now
    (elapsed time: a day is 86,400 s, whatever the clocks do); None when `text` is not of that
    form. Units: seconds, minutes, hours, days, weeks (and s, min, m, h, hr, d, w).

    Raises InstantSyntaxError for an unknown unit, or a place given with it (`in 2 hours Tokyo`:
    the instant is the same everywhere).
    """
    words = text.casefold().split()
    if words == ["now"]:
        return timedelta(0)
    if words[:1] == ["in"] and len(words) > 1:
        sign, body = 1, " ".join(words[1:])
    elif words[-1:] == ["ago"] and len(words) > 1:
        sign, body = -1, " ".join(words[:-1])
    else:
        return None
    seconds, position = 0.0, 0
    for match in _AMOUNT_RE.finditer(body):
        if body[position : match.start()].strip(" ,") not in ("", "and"):
            break
        unit = match["unit"]
        if unit not in _UNITS:
            if seconds:
                break  # `in 2 hours Tokyo`: a place after the offset
            raise InstantSyntaxError(
                f"unknown unit {quoted(unit)} in {quoted(text)}",
                hint="units: seconds, minutes, hours, days, weeks (s, min, h, d, w), "
                "e.g. 'in 2 hours', 'in 1h30m', '3 days ago'",
            )
        seconds += float(match["amount"]) * _UNITS[unit]
        position = match.end()
    rest = body[position:].strip()
    if not position:
        return None
    if rest:
        raise InstantSyntaxError(
            f"{quoted(text)}: an offset from now is the same instant everywhere: "
            f"leave out {quoted(rest)}",
            hint="e.g. 'in 2 hours', 'in 1h30m', '3 days ago'; for a time in a place: "
            "'tomorrow 9:00 Lima'",
        )
    offset = timedelta(seconds=sign * seconds)
    if abs(offset) > MAX_OFFSET:
        raise InstantSyntaxError(f"{quoted(text)} is more than a hundred years from now")
    return offset
