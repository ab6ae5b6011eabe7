"""Listing candidates: places by name prefix (`search`) and zone keys (`zones`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from world_timer.normalize import has_control_characters, normalize
from world_timer.places import Place, filter_by_qualifier, gazetteer
from world_timer.render import Style, clock_text
from world_timer.zones import load_zone, zone_keys, zones_in_area, zones_of_country
from world_timer.zonetime import ZoneTime, zone_time


def search_places(query: str, limit: int = 20) -> list[Place]:
    """Return up to `limit` places whose name (any of their names) starts with `query`.

    `Name, Qualifier, ...` narrows to a country or admin1 area (every qualifier must hold).
    Most populous first; [] for junk.
    """
    if has_control_characters(query) or len(query) > 200:
        return []
    name, *qualifiers = query.split(",")
    key = normalize(name)
    if not key:
        return []
    db = gazetteer()
    if not qualifiers:
        return db.by_prefix(key, limit)
    places = db.by_prefix(key, limit=2000)
    for qualifier in filter(str.strip, qualifiers):  # `Portland,` as the resolver reads it
        scopes = db.qualifier(normalize(qualifier))
        if not scopes:
            return []
        places = filter_by_qualifier(places, scopes)
    return places[:limit]


def matched_name(place: Place, query: str) -> str:
    """The name of `place` that starts like `query` (its own name first, else an alternate)."""
    key = normalize(query.partition(",")[0])
    names = (place.name, place.asciiname, *place.alternate_names)
    return next((n for n in names if normalize(n).startswith(key)), place.name)


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
    widths = [max(len(str(row[i])) for row in [header, *cells]) for i in range(len(header))]
    right = {3}
    lines = [
        "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, *cells]
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
    """Return aligned `key  utc_offset  abbreviation` lines (see `zone_times`)."""
    return render_zones(zone_times(area, country, now), "table").splitlines()


def render_zones(times: list[ZoneTime], fmt: str) -> str:
    """The zones as aligned columns (`table`), tab-separated lines (`plain`: key, UTC offset,
    abbreviation, `DST` or empty) or a JSON list of {timezone, utc_offset, abbreviation, dst}."""
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
    width = max((len(t.timezone) for t in times), default=0)
    return "".join(
        f"{t.timezone.ljust(width)}  {t.utc_offset}  {t.abbreviation}{'  DST' if t.dst else ''}\n"
        for t in times
    )
