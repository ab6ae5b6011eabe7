"""Listings for `search` and `zones`: places or zone keys with their local time, as text or JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from world_timer.places.gazetteer import Place
from world_timer.places.normalize import has_control_characters
from world_timer.places.search import matched_name
from world_timer.render import Style, clock_text
from world_timer.timekeeping.zones import load_zone, zone_keys, zones_in_area, zones_of_country
from world_timer.timekeeping.zonetime import ZoneTime, zone_time


def render_search(
    places: list[Place], now: datetime, fmt: str, style: Style, query: str = ""
) -> str:
    """Name (and the alternate name that matched `query`, when another), admin1, country,
    population, zone and local time of each place, as table/plain/json."""
    rows: list[dict[str, Any]] = []
    for place in places:
        local = zone_time(load_zone(place.timezone), now).local
        matched = matched_name(place, query) if query else place.name
        rows.append(
            {
                **place.to_dict(),
                "matched_name": matched,
                "datetime": local.isoformat(timespec="seconds"),
                "time": local.strftime("%a ") + clock_text(local, style),
            }
        )
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    cells = [
        [
            r["name"]
            if r["matched_name"] in (r["name"], "")
            else f"{r['name']} ({r['matched_name']})",
            r["admin1"] or "",  # GeoNames codes (`08`) mean nothing to a reader
            r["country"],
            f"{r['population']:,}",
            r["timezone"],
            r["time"],
        ]
        for r in rows
    ]
    if fmt == "plain":
        return "".join("\t".join(str(c) for c in row) + "\n" for row in cells)
    header = ["Name", "Admin1", "Country", "Population", "Zone", "Local time"]
    return align([header, *cells], right={3})


def align(rows: list[list[str]], right: frozenset[int] | set[int] = frozenset()) -> str:
    """Rows of cells as lines of columns two spaces apart (the first row is the header), each
    column as wide as its widest cell; the columns in `right` are right-aligned."""
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def zone_times(area: str | None, country: str | None, now: datetime) -> list[ZoneTime]:
    """Return the ZoneTime at `now` of every zone of an area (`Europe`) or an ISO 3166 country
    code (the tz database's zone.tab), sorted by key; no argument: every zone key of tzdata.

    Raises LookupError with a message for an unknown area or country.
    """
    if country:
        keys = zones_of_country(country)
        if not keys:
            raise LookupError(f"unknown ISO 3166 country code {country.strip()[:10]!r}")
    elif area:
        keys = zones_in_area(area) if not has_control_characters(area) else []
        if not keys:
            raise LookupError(f"no zones in area {area.strip()[:40]!r} (try `world-timer zones`)")
    else:
        keys = sorted(zone_keys().values())
    return [zone_time(load_zone(key), now) for key in keys]


def list_zones(area: str | None, country: str | None, now: datetime) -> list[str]:
    """Return aligned `key  utc_offset  abbreviation  DST` lines, a header first (see
    `zone_times`)."""
    return render_zones(zone_times(area, country, now), "table").splitlines()


def render_zones(times: list[ZoneTime], fmt: str) -> str:
    """The zones as aligned columns under a header (`table`), tab-separated lines (`plain`: key,
    UTC offset, abbreviation, `DST` or empty) or a JSON list of {timezone, utc_offset,
    abbreviation, dst}."""
    if fmt == "json":
        rows = [
            {
                "timezone": t.timezone,
                "utc_offset": t.utc_offset,
                "abbreviation": t.abbreviation,
                "dst": t.dst,
            }
            for t in times
        ]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "plain":
        return "".join(
            f"{t.timezone}\t{t.utc_offset}\t{t.abbreviation}\t{'DST' if t.dst else ''}\n"
            for t in times
        )
    if not times:
        return ""
    header = ["Zone", "UTC", "Abbr", "DST"]
    return align(
        [
            header,
            *([t.timezone, t.utc_offset, t.abbreviation, "DST" if t.dst else ""] for t in times),
        ]
    )
