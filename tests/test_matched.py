"""How a query was read: `Resolution.matched`, the JSON row's `matched`, and `search`'s note."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from clirun import run_cli

from world_timer.places.matched import MATCHED, NAME_MATCHES
from world_timer.places.resolve import resolve

NOW = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)

CASES = [
    ("Asia/Tokyo", "zone-key", "Asia/Tokyo"),
    ("Zulu", "zone-key", "Zulu"),
    ("UTC+5:30", "offset", "UTC+05:30"),
    ("35.68,139.69", "coordinates", "Asia/Tokyo"),
    ("JST", "abbreviation", "UTC+09:00"),
    ("CET", "abbreviation", "CET"),
    ("ET", "generic", "America/New_York"),
    ("NYC", "short-form", "America/New_York"),
    ("LHR", "airport", "Europe/London"),
    ("DE", "country-code", "Europe/Berlin"),
    ("Japan", "country", "Asia/Tokyo"),
    ("Japon", "country", "Asia/Tokyo"),
    ("England", "region", "Europe/London"),
    ("Tokyo", "name", "Asia/Tokyo"),
    ("Sao Paulo", "name", "America/Sao_Paulo"),
    ("Paris, TX", "name", "America/Chicago"),
    ("Wien", "cldr-name", "Europe/Vienna"),
    ("Bombay", "alternate-name", "Asia/Kolkata"),
    ("Sydeny", "misspelling", "Australia/Sydney"),
    ("Dehli", "misspelling", "Asia/Kolkata"),
    ("Brazil", "country-capital", "America/Sao_Paulo"),
    ("Kanada", "country-capital", "America/Toronto"),
    ("USA", "country-capital", "America/New_York"),
    ("Music City", "nickname", "America/Chicago"),
    ("Lanzarote", "island", "Atlantic/Canary"),
    ("Mitteleuropäische Zeit", "metazone", "Europe/Berlin"),
    ("Tokyo Standard Time", "windows", "Asia/Tokyo"),
    ("Ora din India", "location-format", "Asia/Kolkata"),
]


@pytest.mark.parametrize(("query", "matched", "zone"), CASES)
def test_each_reading_says_how_it_was_read(query: str, matched: str, zone: str) -> None:
    found = resolve(query, NOW)
    assert (found.matched, found.zone_key) == (matched, zone)


def test_the_kinds_are_documented_and_all_reachable() -> None:
    assert {matched for _, matched, _ in CASES} == set(MATCHED)
    assert set(MATCHED) >= NAME_MATCHES


def test_the_json_row_carries_matched(tmp_path: Path) -> None:
    result = run_cli(["--format", "json", "Bombay", "JST", "Nowhereville"], NOW, tmp_path)
    rows = json.loads(result.stdout)
    assert [row.get("matched") for row in rows] == ["alternate-name", "abbreviation", None]


def test_search_says_how_the_whole_query_reads(tmp_path: Path) -> None:
    result = run_cli(["search", "JST", "--limit", "1"], NOW, tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith("Johnstown")
    assert "note: 'JST' reads as JST (UTC+09:00); matched: abbreviation" in result.stderr
    result = run_cli(["search", "Bombay", "--limit", "1"], NOW, tmp_path)
    assert "note: 'Bombay' alone is Mumbai, India" in result.stderr
    assert result.stderr.rstrip().endswith("; matched: alternate-name")
