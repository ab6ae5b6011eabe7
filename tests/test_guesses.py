"""Guesses (issue 19): misspellings, countries of several UTC offsets, nicknames, DMS points.

Each guess is said in a note; `--strict` (and the `strict` config key) refuses every one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

import world_timer
from world_timer.errors import PlaceNotFoundError, RegionError
from world_timer.places.coordinates import parse_point
from world_timer.places.nicknames import NICKNAMES, find_nickname
from world_timer.places.resolve import resolve

PINNED = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zone", "label"),
    [
        ("Sydeny", "Australia/Sydney", "Sydney"),
        ("Torronto", "America/Toronto", "Toronto"),
        ("Lodnon", "Europe/London", "London"),
        ("Bangkokk", "Asia/Bangkok", "Bangkok"),
        ("Dehli", "Asia/Kolkata", "Delhi"),
    ],
)
def test_a_misspelling_with_one_clear_best_name_is_read_as_it(
    typed: str, zone: str, label: str
) -> None:
    found = resolve(typed, PINNED)
    assert (found.zone_key, found.matched) == (zone, "misspelling")
    assert found.label.startswith(label)
    assert found.notes[0].startswith(f"read '{typed}' as {label}")
    assert "--strict" in found.notes[0]


def test_two_close_suggestions_are_refused() -> None:
    """`Hengang` is one edit from Hengyang (1.1 M) and from Hegang (0.6 M): no clear best."""
    with pytest.raises(PlaceNotFoundError) as caught:
        resolve("Hengang", PINNED)
    assert caught.value.suggestions[:2] == ("Hengyang, CN", "Hegang, CN")


def test_a_misspelling_reads_as_the_right_spelling_does() -> None:
    """`Springfeld` is what `Springfield` is (its namesakes noted the same way)."""
    typo, right = resolve("Springfeld", PINNED), resolve("Springfield", PINNED)
    assert typo.zone_key == right.zone_key and typo.label == right.label
    assert typo.notes[1:] == tuple(n.replace("Springfield'", "Springfeld'") for n in right.notes)


@pytest.mark.parametrize("typed", ["Sydeny", "Brazil", "USA", "Kanada"])
def test_strict_refuses_every_guess(typed: str) -> None:
    with pytest.raises((PlaceNotFoundError, RegionError)):
        world_timer.resolve(typed, PINNED, strict=True)
    assert world_timer.resolve(typed, PINNED).matched in ("misspelling", "country-capital")


@pytest.mark.parametrize(
    ("typed", "zone", "capital"),
    [
        ("Brazil", "America/Sao_Paulo", "Brasília"),
        ("Canada", "America/Toronto", "Ottawa"),
        ("USA", "America/New_York", "Washington"),
        ("Brasil", "America/Sao_Paulo", "Brasília"),  # Portuguese, CLDR
        ("Россия", "Europe/Moscow", "Moscow"),  # Russian, CLDR
        ("AU", "Australia/Sydney", "Canberra"),  # an ISO 3166 code
    ],
)
def test_a_country_of_several_offsets_is_its_capitals_zone(
    typed: str, zone: str, capital: str
) -> None:
    found = resolve(typed, PINNED)
    assert (found.zone_key, found.matched) == (zone, "country-capital")
    note = found.notes[0]
    assert f"showing its capital {capital}" in note and "UTC offsets" in note and "also " in note


def test_the_capital_note_names_the_other_offsets_at_the_instant() -> None:
    note = resolve("Brazil", PINNED).notes[0]
    # At 2026-11-30 Brazil keeps UTC-2 (Noronha), -3, -4 (Manaus) and -5 (Rio Branco).
    assert "spans 4 UTC offsets" in note
    assert "+1h, −1h to −2h" in note


def test_strict_from_the_command_line_and_the_config(run, tmp_path, monkeypatch) -> None:
    assert run(["Sydeny"]).exit_code == 0
    refused = run(["--strict", "Sydeny"])
    assert refused.exit_code == 1 and "did you mean 'Sydney" in refused.stderr
    monkeypatch.setenv("WORLD_TIMER_STRICT", "true")
    assert run(["Sydeny"]).exit_code == 1
    monkeypatch.delenv("WORLD_TIMER_STRICT")
    config = tmp_path / "config.toml"
    config.write_text("strict = true\n", encoding="utf-8")
    assert run(["--config", str(config), "Brazil"]).exit_code == 1


def test_the_json_row_says_a_guess(run) -> None:
    result = run(["--format", "json", "Sydeny"])
    assert result.exit_code == 0
    row = json.loads(result.stdout)[0]
    assert (row["timezone"], row["matched"]) == ("Australia/Sydney", "misspelling")


@pytest.mark.parametrize("entry", NICKNAMES, ids=[e.typed for e in NICKNAMES])
def test_every_nickname_is_in_the_gazetteer(entry) -> None:
    found = find_nickname(entry.typed.lower())
    assert found is not None
    place, note = found
    assert (place.name, place.country_code) == (entry.name, entry.country_code)
    assert entry.source in note
    assert resolve(entry.typed, PINNED).matched == "nickname"


@pytest.mark.parametrize(
    ("typed", "latitude", "longitude"),
    [
        ("52°31′N 13°24′E", 52 + 31 / 60, 13 + 24 / 60),
        ("40°42′46″N 74°00′22″W", 40 + 42 / 60 + 46 / 3600, -(74 + 22 / 3600)),
        ("33°52'S 151°12'E", -(33 + 52 / 60), 151.2),
        ("52 31 N 13 24 E", 52 + 31 / 60, 13.4),
        ("35º41.4'N, 139º41.5'E", 35.69, 139 + 41.5 / 60),
    ],
)
def test_degrees_minutes_and_seconds(typed: str, latitude: float, longitude: float) -> None:
    point = parse_point(typed)
    assert point is not None
    assert point[0] == pytest.approx(latitude, abs=1e-6)
    assert point[1] == pytest.approx(longitude, abs=1e-6)


@pytest.mark.parametrize("typed", ["52°61′N 13°24′E", "91°00′N 13°24′E", "52°31′N 181°00′E"])
def test_a_bad_dms_point_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_point(typed)


def test_dms_resolves_to_the_zone_at_the_point() -> None:
    found = resolve("40°42′46″N 74°00′22″W", PINNED)
    assert (found.zone_key, found.matched) == ("America/New_York", "coordinates")
