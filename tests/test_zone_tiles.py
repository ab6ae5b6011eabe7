"""The zone at a point from the gazetteer's baked tiles (issue 19: a coordinate costs <= 20 ms).

The tiles must give tzfpy's own answer wherever they answer at all, and answer for nearly every
gazetteer place, so that a city's coordinates never decode tzfpy's polygons.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
import tzfpy

from world_timer.places.build.zone_tiles import _Builder, _varint
from world_timer.places.gazetteer import gazetteer
from world_timer.places.zone_tiles import (
    DEEP_ZOOM,
    NEAR_BOUNDARY,
    ROOT_ZOOM,
    leaf_code,
    zone_from_tiles,
)


@pytest.fixture(scope="module")
def places() -> list[tuple[float, float]]:
    db = gazetteer().connection
    return [
        (float(lon), float(lat))
        for lon, lat in db.execute("SELECT longitude, latitude FROM places")
    ]


def test_every_gazetteer_place_gets_tzfpys_zone_and_almost_all_from_the_tiles(
    places: list[tuple[float, float]],
) -> None:
    db = gazetteer().connection
    unanswered = []
    for lon, lat in places:
        zone = zone_from_tiles(db, lon, lat)
        if zone is None:
            unanswered.append((lon, lat))
        else:
            assert zone == tzfpy.get_tz(lon, lat), (lon, lat)
    # Measured at build: 13 of 34,090 places lie within ~300 m of a zone boundary.
    assert len(unanswered) <= len(places) // 1000, unanswered[:10]


def test_random_points_agree_with_tzfpy_at_sea_poles_and_the_antimeridian() -> None:
    db = gazetteer().connection
    rng = random.Random(19)
    points = [(rng.uniform(-180, 180), rng.uniform(-90, 90)) for _ in range(30_000)]
    points += [(180.0, 0.0), (-180.0, 0.0), (0.0, 90.0), (0.0, -90.0), (179.99, -89.9), (0.0, 0.0)]
    answered = 0
    for lon, lat in points:
        zone = zone_from_tiles(db, lon, lat)
        if zone is not None:
            answered += 1
            assert zone == tzfpy.get_tz(lon, lat), (lon, lat)
    assert answered >= 0.9 * len(points)  # the rest is within a few km of a boundary


@pytest.mark.parametrize(
    "zone", ["Europe/Zurich", "Europe/Berlin", "Africa/Kinshasa", "America/Denver", "Asia/Urumqi"]
)
def test_the_tiles_never_answer_on_a_boundary(zone: str) -> None:
    """Every vertex of a zone's polygons lies on a boundary: the tiles leave it to tzfpy."""
    db = gazetteer().connection
    feature = json.loads(tzfpy.get_tz_polygon_geojson(zone))["features"][0]
    polygons = feature["geometry"]["coordinates"]
    if feature["geometry"]["type"] == "Polygon":
        polygons = [polygons]
    vertices = [vertex for polygon in polygons for ring in polygon for vertex in ring]
    assert len(vertices) > 50
    answered = [(lon, lat) for lon, lat in vertices if zone_from_tiles(db, lon, lat) is not None]
    assert answered == []


def test_the_tiles_come_from_the_installed_tzfpy_boundaries() -> None:
    """A tzfpy upgrade without `make gazetteer` would make the tiles disagree with it."""
    assert gazetteer().meta()["boundaries"] == str(tzfpy.data_version())


def test_a_tree_encodes_and_decodes_its_leaves() -> None:
    builder = _Builder.__new__(_Builder)
    builder.zones = {"Asia/Tokyo": 0, "Etc/GMT-9": 1}
    # Four root quadrants: Tokyo; near a boundary; split again; Etc/GMT-9.
    node = ("Asia/Tokyo", None, ("Etc/GMT-9", "Asia/Tokyo", None, "Asia/Tokyo"), "Etc/GMT-9")
    out = bytearray()
    builder.encode(node, out)
    assert bytes(out) == bytes([0, 2, 1, 0, 3, 2, 1, 2, 3])
    half = 1 << (DEEP_ZOOM - ROOT_ZOOM - 1)
    quarter = half // 2
    assert leaf_code(bytes(out), 0, 0) == 2
    assert leaf_code(bytes(out), half, 0) == NEAR_BOUNDARY
    assert leaf_code(bytes(out), 0, half) == 3
    assert leaf_code(bytes(out), quarter, half) == 2
    assert leaf_code(bytes(out), quarter, half + quarter) == 2
    assert leaf_code(bytes(out), 0, half + quarter) == NEAR_BOUNDARY
    assert leaf_code(bytes(out), half, half) == 3
    big = bytearray()
    _varint(300, big)
    assert bytes(big) == bytes([0xAC, 0x02])


@pytest.mark.parametrize(
    ("query", "zone", "loads_tzfpy"),
    [
        ("35.68,139.76", "Asia/Tokyo", False),
        ("52°31′N 13°24′E", "Europe/Berlin", False),
        ("0,-140", "Etc/GMT+9", False),
        ("47.5596,7.5886", "Europe/Zurich", False),  # Basel, ~1 km from two borders
        ("47.58409,7.58572", "Europe/Paris", True),  # a vertex of the French-Swiss border
    ],
)
def test_a_coordinate_in_a_real_process_needs_tzfpy_only_by_a_boundary(
    query: str, zone: str, loads_tzfpy: bool
) -> None:
    script = (
        "import sys; from datetime import datetime, UTC; import world_timer; "
        f"r = world_timer.resolve({query!r}, datetime(2026, 12, 7, 12, tzinfo=UTC)); "
        "print(r.zone, 'tzfpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert out == [zone, str(loads_tzfpy)]
