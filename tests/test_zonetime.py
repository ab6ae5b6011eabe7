"""ZoneTime against recorded worldtimeapi.org answers and known facts of the tz database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.conftest import read_tsv
from world_timer.timekeeping.transitions import PosixRule, zone_transitions
from world_timer.timekeeping.zones import load_zone, parse_fixed_offset
from world_timer.timekeeping.zonetime import zone_time

RECORDED = read_tsv("worldtimeapi-2025-10-01.tsv")
HEADER, ROWS = RECORDED[0], RECORDED[1:]
# The quirks of worldtimeapi.org listed in the file's header, which we do not copy.
DST_PERIOD_QUIRK = {"dst_from", "dst_until"}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_recorded_worldtimeapi_answer(row: list[str]) -> None:
    expected = dict(zip(HEADER, row, strict=True))
    instant = datetime.fromisoformat(expected["utc_datetime"])
    ours = zone_time(load_zone(expected["timezone"]), instant).to_worldtimeapi()
    fields = [k for k in HEADER if k not in DST_PERIOD_QUIRK]
    if expected["timezone"] == "America/Asuncion":
        # Stale data at worldtimeapi.org: Paraguay is on permanent -03 since October 2024.
        assert (ours["utc_offset"], ours["abbreviation"], ours["raw_offset"]) == (
            "-03:00",
            "-03",
            -10800,
        )
        assert ours["datetime"] == "2025-10-01T07:38:06.953676-03:00"
        fields = [
            k for k in fields if k not in {"utc_offset", "abbreviation", "raw_offset", "datetime"}
        ]
    assert {k: _as_text(ours[k]) for k in fields} == {k: expected[k] for k in fields}
    if ours["dst"]:
        # In DST our dst_from/dst_until are the period's transitions: the service's values too.
        assert (_as_text(ours["dst_from"]), _as_text(ours["dst_until"])) == (
            expected["dst_from"],
            expected["dst_until"],
        )
    else:
        # Documented behaviour: no DST period in effect → both null (the service repeats the
        # calendar year's DST dates, so `from` > `until` in the southern hemisphere).
        assert ours["dst_from"] is None and ours["dst_until"] is None


def at(key: str, iso: str) -> dict[str, object]:
    return zone_time(load_zone(key), datetime.fromisoformat(iso)).to_worldtimeapi()


@pytest.mark.parametrize(
    ("key", "iso", "utc_offset", "abbreviation", "dst", "dst_offset"),
    [
        ("Asia/Kathmandu", "2026-06-01T00:00:00Z", "+05:45", "+0545", False, 0),
        ("Asia/Kolkata", "2026-06-01T00:00:00Z", "+05:30", "IST", False, 0),
        ("Pacific/Chatham", "2026-01-15T00:00:00Z", "+13:45", "+1345", True, 3600),
        ("Pacific/Chatham", "2026-07-15T00:00:00Z", "+12:45", "+1245", False, 0),
        ("Australia/Lord_Howe", "2026-01-15T00:00:00Z", "+11:00", "+11", True, 1800),
        ("Australia/Lord_Howe", "2026-07-15T00:00:00Z", "+10:30", "+1030", False, 0),
        ("Pacific/Kiritimati", "2026-01-01T00:00:00Z", "+14:00", "+14", False, 0),
        ("Pacific/Pago_Pago", "2026-01-01T00:00:00Z", "-11:00", "SST", False, 0),
        ("Europe/Dublin", "2026-01-15T12:00:00Z", "+00:00", "GMT", False, -3600),
        ("Europe/Dublin", "2026-07-15T12:00:00Z", "+01:00", "IST", False, 0),
        ("Africa/Casablanca", "2026-03-01T12:00:00Z", "+00:00", "+00", False, -3600),
        ("Antarctica/Troll", "2026-07-01T12:00:00Z", "+02:00", "+02", True, 7200),
        ("America/Inuvik", "2025-10-01T10:38:00Z", "-06:00", "MDT", True, 3600),
        ("America/Sao_Paulo", "2026-01-15T12:00:00Z", "-03:00", "-03", False, 0),
        ("America/Mexico_City", "2026-07-15T12:00:00Z", "-06:00", "CST", False, 0),
        ("America/Mexico_City", "2022-07-15T12:00:00Z", "-05:00", "CDT", True, 3600),
        ("America/Nuuk", "2023-01-15T12:00:00Z", "-03:00", "-03", False, 0),
        ("America/Nuuk", "2024-01-15T12:00:00Z", "-02:00", "-02", False, 0),
        ("Asia/Almaty", "2024-02-15T12:00:00Z", "+06:00", "+06", False, 0),
        ("Asia/Almaty", "2024-03-15T12:00:00Z", "+05:00", "+05", False, 0),
        ("America/Asuncion", "2025-01-15T12:00:00Z", "-03:00", "-03", False, 0),
        ("Etc/GMT+5", "2026-01-01T00:00:00Z", "-05:00", "-05", False, 0),
        ("Etc/GMT-14", "2026-01-01T00:00:00Z", "+14:00", "+14", False, 0),
    ],
)
def test_known_facts(key, iso, utc_offset, abbreviation, dst, dst_offset) -> None:
    fields = at(key, iso)
    assert (fields["utc_offset"], fields["abbreviation"], fields["dst"], fields["dst_offset"]) == (
        utc_offset,
        abbreviation,
        dst,
        dst_offset,
    )
    offset_seconds = (
        int(utc_offset[:3]) * 3600 + (1 if utc_offset[0] == "+" else -1) * int(utc_offset[4:]) * 60
    )
    assert fields["raw_offset"] == offset_seconds - dst_offset


def test_dst_period_in_the_rule_years() -> None:
    # 2050 is past the explicit transitions of every TZif file: the POSIX rule decides.
    fields = at("America/New_York", "2050-07-01T12:00:00Z")
    assert (fields["dst_from"], fields["dst_until"]) == (
        "2050-03-13T07:00:00+00:00",
        "2050-11-06T06:00:00+00:00",
    )
    fields = at("Australia/Sydney", "2051-01-10T00:00:00Z")
    assert (fields["dst_from"], fields["dst_until"]) == (
        "2050-10-01T16:00:00+00:00",
        "2051-04-01T16:00:00+00:00",
    )


def test_calendar_fields_across_the_date_line() -> None:
    kiritimati = at("Pacific/Kiritimati", "2025-12-31T10:30:00Z")
    pago = at("Pacific/Pago_Pago", "2025-12-31T10:30:00Z")
    assert kiritimati["datetime"].startswith("2026-01-01T00:30")
    assert (kiritimati["day_of_year"], kiritimati["week_number"], kiritimati["day_of_week"]) == (
        1,
        1,
        4,
    )
    assert pago["datetime"].startswith("2025-12-30T23:30")
    assert (pago["day_of_year"], pago["week_number"], pago["day_of_week"]) == (364, 1, 2)


def test_fixed_offsets() -> None:
    zone = parse_fixed_offset("UTC+05:45")
    assert zone == timezone(timedelta(hours=5, minutes=45))
    fields = zone_time(zone, datetime(2026, 1, 1, tzinfo=UTC)).to_worldtimeapi()
    assert (fields["timezone"], fields["utc_offset"], fields["raw_offset"], fields["dst_from"]) == (
        "UTC+05:45",
        "+05:45",
        20700,
        None,
    )
    assert parse_fixed_offset("Tokyo") is None
    with pytest.raises(ValueError, match="outside"):
        parse_fixed_offset("+15")


def test_unixtime_is_floored_and_microseconds_kept() -> None:
    fields = at("UTC", "1969-12-31T23:59:59.500000+00:00")
    assert fields["unixtime"] == -1
    assert fields["utc_datetime"] == "1969-12-31T23:59:59.500000+00:00"


def test_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        zone_time(load_zone("UTC"), datetime(2026, 1, 1))


def test_posix_rule_parsing() -> None:
    rule = PosixRule.parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
    assert rule is not None
    assert (rule.std_name, rule.std_offset, rule.dst_name, rule.dst_offset) == (
        "+1030",
        37800,
        "+11",
        39600,
    )
    permanent = PosixRule.parse("EST5EDT,0/0,J365/25")
    assert permanent is not None
    # Only the window's outer ends are left: each year's end meets the next year's start.
    assert [when for when, _ in permanent.changes(2040, 2042)] == [
        int(datetime(2040, 1, 1, 5, tzinfo=UTC).timestamp()),
        int(datetime(2043, 1, 1, 5, tzinfo=UTC).timestamp()),
    ]
    assert PosixRule.parse("") is None


def test_every_zone_has_transitions_that_bound_the_instant() -> None:
    moment = datetime(2026, 11, 30, 13, 5, tzinfo=UTC).timestamp()
    from world_timer.timekeeping.zones import zone_keys

    for key in zone_keys().values():
        period = zone_transitions(key).period_at(moment)
        assert period.start is None or period.start <= moment, key
        assert period.end is None or period.end > moment, key
