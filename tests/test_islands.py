"""Islands no gazetteer name reaches (places/islands.py): each entry resolves to its zone, with a
note; none shadows a place's own name; each zone is in the pinned tzdata."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from world_timer.places.gazetteer import gazetteer
from world_timer.places.islands import ISLANDS
from world_timer.places.normalize import normalize
from world_timer.places.resolve import resolve
from world_timer.timekeeping.zones import zone_keys

PINNED = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)


@pytest.mark.parametrize("island", ISLANDS, ids=[i.typed for i in ISLANDS])
def test_every_island_resolves_to_its_zone(island) -> None:
    resolution = resolve(island.typed.lower(), PINNED)
    assert resolution.zone_key == island.zone
    assert resolution.matched == "island"
    assert island.source in resolution.notes[0]


@pytest.mark.parametrize("island", ISLANDS, ids=[i.typed for i in ISLANDS])
def test_no_island_shadows_a_places_own_name(island) -> None:
    key = normalize(island.typed)
    rows = gazetteer().connection.execute(
        "SELECT COUNT(*) FROM places WHERE name = ? OR asciiname = ?", (island.typed, key)
    )
    assert rows.fetchone()[0] == 0
    assert island.zone in zone_keys().values()


def test_an_island_in_the_json_row(run) -> None:
    result = run(["--format", "json", "Lanzarote", "Oahu"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["timezone"], r["matched"]) for r in rows] == [
        ("Atlantic/Canary", "island"),
        ("Pacific/Honolulu", "island"),
    ]
    assert "read as the island Lanzarote" in result.stderr
