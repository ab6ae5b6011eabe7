"""The tables of places/codes.py, filled after the places: abbreviations, generic time names,
short forms, airports.

Each table's schema and rows come from its own module, which says where its data is from:
world_timer/places/abbreviations.py (CLDR metazone short names via babel, and the abbreviations
in the pinned tzdata's TZif files), generic_names.py (CLDR generic short names in English
locales), short_forms.py (World Timer's curated table, a reason per
entry) and airports.py (IATA codes from the airportsdata package).
"""

from __future__ import annotations

import sqlite3

from world_timer.places import abbreviations, airports, generic_names, short_forms, zone_names
from world_timer.places.build.zone_names import build_tables


def build_codes(db: sqlite3.Connection) -> dict[str, int]:
    """Create and fill the code tables in `db` (whose `places` table is already full).

    Returns {table name: row count}. Raises whatever the data packages raise when absent (they
    are dev dependencies: ModuleNotFoundError outside a dev install).
    """
    from world_timer.timekeeping.zones import zone_keys

    tables = {
        "abbreviations": abbreviations.build_rows(db),
        "generic_names": generic_names.build_rows(db),
        "short_forms": short_forms.build_rows(db),
        "airports": airports.build_rows(db, set(zone_keys().values())),
        **build_tables(db),
    }
    for module in (abbreviations, generic_names, short_forms, airports, zone_names):
        db.executescript(module.SCHEMA)
    for table, rows in tables.items():
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    return {table: len(rows) for table, rows in tables.items()}


def source() -> str:
    """Where the code tables come from, for the gazetteer's `meta` table."""
    from importlib.metadata import version

    return f"CLDR via babel {version('babel')}; {airports.source()}"
