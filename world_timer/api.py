"""The public Python API: what `import world_timer` offers scripts and notebooks.

Each function returns the typed objects the CLI renders (Resolution, ZoneTime, Reading, Instant,
Plan), so a script sees exactly what `world-timer` prints. Re-exported lazily by
`world_timer/__init__.py` (PEP 562): `import world_timer` alone imports none of this.
Times come from zoneinfo with the pinned `tzdata` package; places from the embedded GeoNames
gazetteer (world_timer/data/ATTRIBUTION.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

from world_timer.places.resolve import Resolution
from world_timer.places.resolve import resolve as _resolve
from world_timer.planning.model import Plan
from world_timer.reading import instants as _instants
from world_timer.reading.readings import Reading, read_clocks
from world_timer.timekeeping.instants import Instant
from world_timer.timekeeping.zonetime import ZoneTime
from world_timer.timekeeping.zonetime import zone_time as _zone_time

__all__ = ["parse_instant", "plan", "read", "resolve", "zone_time"]


def _instant(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (with a UTC offset)")
    return now


def resolve(query: str, now: datetime | None = None, *, strict: bool = False) -> Resolution:
    """What a typed name means: `resolve("Bombay")` → Resolution (place Mumbai, zone
    Asia/Kolkata, `matched` "alternate-name", `notes` as the CLI prints them on stderr).

    `query` is anything the CLI accepts (a city, `City, Qualifier`, a country, a region, an IANA
    zone key, a UTC offset, an abbreviation, an airport code, coordinates); `now` (aware; default
    the current instant) is when abbreviations and ambiguous picks are read. Raises
    EmptyQueryError, RegionError or PlaceNotFoundError (its `suggestions`), all PlaceError.
    A misspelling with one clear best name (`"Sydeny"`, `matched` "misspelling") and a country
    of several UTC offsets (`"Brazil"`, "country-capital": its capital's zone) are guesses, said
    in `notes`; `strict=True` refuses them (PlaceNotFoundError with suggestions, RegionError).
    """
    from world_timer.places.guess import strictness

    with strictness(strict):
        return _resolve(query, _instant(now))


def zone_time(zone: str | tzinfo, at: datetime | None = None) -> ZoneTime:
    """The time in `zone` at the instant `at` (aware; default now): a ZoneTime, the
    worldtimeapi fields (`datetime`, `utc_offset`, `abbreviation`, `dst`, `dst_from`, ...).

    `zone` is a tzinfo or any query `resolve` reads (`"Asia/Tokyo"`, `"UTC+05:30"`, `"Lima"`).
    Raises PlaceError for a name that is no place, ValueError for a naive `at`.
    """
    where = zone if isinstance(zone, tzinfo) else resolve(zone, at).zone
    return _zone_time(where, _instant(at))


def read(
    queries: Iterable[str], now: datetime | None = None, *, strict: bool = False
) -> list[Reading]:
    """Read several places at once, as `world-timer Q1 Q2 ...` does (embedded source): one
    Reading per query, in order; a query not found is a Reading with its `error`, not an
    exception, so the others are still answered. `now`: aware, default the current instant;
    `strict`: refuse guesses, as in `resolve`."""
    from world_timer.places.guess import strictness

    with strictness(strict):
        return read_clocks(list(queries), _instant(now))


def parse_instant(
    text: str, now: datetime | None = None, local_zone: str | tzinfo = "UTC", fold: int = 0
) -> Instant[Resolution]:
    """What `--at TEXT` means: `parse_instant("Friday 15:00 Tokyo")` → Instant (`when`, aware
    UTC; `resolution` of the place in it; `notes` for a DST fold).

    `local_zone` reads a time with no place (a tzinfo or a query for `resolve`); `fold` 0 or 1
    picks the first or second of a repeated wall time. Raises InstantSyntaxError,
    NonexistentTimeError (a wall time in a spring-forward gap, naming the valid times) and
    PlaceError.
    """
    instant = _instant(now)
    zone = local_zone if isinstance(local_zone, tzinfo) else resolve(local_zone, instant).zone
    return _instants.parse_instant(text, instant, zone, fold)


def plan(
    places: Sequence[str],
    day: date,
    *,
    hours: str = "09:00-17:00",
    duration: int = 60,
    days: int = 1,
    top: int = 3,
    holidays: bool = True,
    now: datetime | None = None,
) -> Plan:
    """Meeting times for `places` (queries; the first is the reference zone whose calendar
    `day` and `days` count), as `world-timer plan` computes them with `--no-local`.

    `hours` is everyone's working window (`HH:MM-HH:MM`, local time); `duration` the meeting's
    length in minutes; weekends and public holidays (the `holidays` package's data, baked in
    world_timer/data/holidays.sqlite3) are days off unless `holidays` is False. Returns a Plan
    (`slots` ranked best first, `overlaps`, `days_off`, `notes`). Raises PlaceError for a place
    that cannot be resolved, ValueError for bad hours, duration or days.
    """
    from world_timer.planning.daysoff import country_of_zone, place_days_off, region_of
    from world_timer.planning.intervals import parse_window
    from world_timer.planning.model import PlanPlace
    from world_timer.planning.planner import make_plan

    window = parse_window(hours)
    instant = _instant(now)
    strips = []
    for query in places:
        found = resolve(query, instant)
        where = found.place
        country = where.country_code if where else country_of_zone(found.zone_key)
        subdiv = region_of(where.country_code, where.admin1_code) if where else None
        strips.append(PlanPlace(found.label, found.zone, window, country, subdiv))
    if not strips:
        raise ValueError("a plan needs at least one place")
    # a day either side: the places' local dates differ from the reference's
    start, end = day - timedelta(days=1), day + timedelta(days=days)
    offs = [place_days_off(p.country, p.subdiv, start, end, holidays) for p in strips]
    return make_plan(
        strips, day, days=days, duration=duration, top=top, days_off=offs, holidays=holidays
    )
