"""ZoneTime: one zone at one instant, with the fields of the worldtimeapi schema.

This is the one model of "a zone at an instant": the table, the JSON output, the log lines and the
server's answers are all made from it. Field meanings follow worldtimeapi.org's schema
(https://worldtimeapi.org/api, recorded answers in tests/data/worldtimeapi-2025-10-01.tsv), with
these documented differences from that service's quirks:

- `dst` is true only for a positive DST offset. Europe/Dublin's winter GMT, which the tz database
  models as a negative DST (save −1 h), is `dst: false` with `dst_offset: -3600`.
- `dst_from` / `dst_until` are the transitions that begin and end the DST period in effect, as
  ISO 8601 UTC instants; both are null whenever `dst` is false (worldtimeapi.org instead repeats
  the calendar year's DST dates, so `from` > `until` in the southern hemisphere).
- The data is that of the pinned tzdata package, e.g. America/Asuncion is −03 since October 2024.
"""

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple

from world_timer.timekeeping.transitions import zone_transitions
from world_timer.timekeeping.zones import format_offset, zone_name

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ZoneTime(NamedTuple):
    """A zone at an instant.

    `local` is the instant as an aware datetime in the zone; `utc_offset_seconds`, `dst_offset`
    and `raw_offset` are seconds east of UTC; `dst_from` / `dst_until` are aware UTC datetimes or
    None.
    """

    timezone: str
    local: datetime
    utc_offset_seconds: int
    dst_offset: int
    abbreviation: str
    dst_from: datetime | None
    dst_until: datetime | None

    @property
    def raw_offset(self) -> int:
        """Standard (non-DST) offset in seconds east of UTC: utc_offset − dst_offset."""
        return self.utc_offset_seconds - self.dst_offset

    @property
    def dst(self) -> bool:
        """True when daylight saving time adds a positive amount to the standard offset."""
        return self.dst_offset > 0

    @property
    def utc_offset(self) -> str:
        """The UTC offset as ISO 8601 text, e.g. `+05:45`, `-03:00`."""
        return _offset_text(self.utc_offset_seconds)

    @property
    def utc(self) -> datetime:
        """The instant as an aware UTC datetime."""
        return self.local.astimezone(UTC)

    @property
    def unixtime(self) -> int:
        """Whole seconds since 1970-01-01T00:00:00Z (floored, as worldtimeapi.org does)."""
        return _unixtime(self.utc)

    @property
    def day_of_week(self) -> int:
        """Local day of the week, Sunday = 0 … Saturday = 6 (worldtimeapi convention)."""
        return self.local.isoweekday() % 7

    @property
    def day_of_year(self) -> int:
        """Local day of the year, 1 … 366."""
        return _day_of_year(self.local)

    @property
    def week_number(self) -> int:
        """ISO 8601 week number of the local date, 1 … 53."""
        return self.local.isocalendar().week

    def to_worldtimeapi(self) -> dict[str, Any]:
        """Return the worldtimeapi object (without `client_ip`), keys in the service's order.

        Datetimes are ISO 8601 with offset and 6-digit microseconds; offsets in seconds. (The
        server builds one per request: the same fields as the properties, computed once each.)
        """
        local = self.local
        utc = local.astimezone(UTC)
        offset, dst_offset = self.utc_offset_seconds, self.dst_offset
        return {
            "abbreviation": self.abbreviation,
            "datetime": local.isoformat(timespec="microseconds"),
            "day_of_week": local.isoweekday() % 7,
            "day_of_year": _day_of_year(local),
            "dst": dst_offset > 0,
            "dst_from": _iso_or_none(self.dst_from),
            "dst_offset": dst_offset,
            "dst_until": _iso_or_none(self.dst_until),
            "raw_offset": offset - dst_offset,
            "timezone": self.timezone,
            "unixtime": _unixtime(utc),
            "utc_datetime": utc.isoformat(timespec="microseconds"),
            "utc_offset": _offset_text(offset),
            "week_number": local.isocalendar()[1],
        }


def _unixtime(utc: datetime) -> int:
    # timedelta keeps seconds non-negative, so days * 86400 + seconds is the floor
    delta = utc - EPOCH
    return delta.days * 86400 + delta.seconds


def _day_of_year(local: datetime) -> int:
    return local.toordinal() - date(local.year, 1, 1).toordinal() + 1


@lru_cache(maxsize=256)
def _offset_text(seconds: int) -> str:
    return format_offset(timedelta(seconds=seconds))


def _iso_or_none(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def zone_time(zone: tzinfo, now: datetime | None = None) -> ZoneTime:
    """Return the ZoneTime of `zone` at `now` (an aware datetime; default: the current instant).

    `zone` is a ZoneInfo from `world_timer.timekeeping.zones.load_zone` or a fixed
    `datetime.timezone`.
    Raises ValueError when `now` is naive (an instant needs an offset).
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (with a UTC offset)")
    local = now.astimezone(zone)
    offset = local.utcoffset() or timedelta(0)
    key = zone_name(zone)
    dst_offset = 0
    dst_from = dst_until = None
    if hasattr(zone, "key"):
        # zoneinfo's dst() guesses the DST amount per TZif type and gets zones whose standard
        # offset changed wrong (America/Inuvik: 2 h instead of 1 h); the period knows better.
        period = zone_transitions(key).period_at(now.timestamp())
        dst_offset = period.dst_offset
        if dst_offset > 0:
            dst_from = _utc_or_none(period.start)
            dst_until = _utc_or_none(period.end)
    return ZoneTime(
        timezone=key,
        local=local,
        utc_offset_seconds=int(offset.total_seconds()),
        dst_offset=dst_offset,
        abbreviation=local.tzname() or format_offset(offset, colon=False),
        dst_from=dst_from,
        dst_until=dst_until,
    )


def _utc_or_none(unixtime: int | None) -> datetime | None:
    return datetime.fromtimestamp(unixtime, UTC) if unixtime is not None else None
