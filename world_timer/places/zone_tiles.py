"""The zone at a point from the gazetteer's baked tile index, without loading tzfpy's polygons.

tzfpy answers a point in ~1 µs, but its first lookup of a process decodes all its polygons
(~48 ms measured with tzfpy 2.1.1 on this machine), which a one-shot CLI call pays in full. At
build time (`world_timer.places.build.zone_tiles`) the same polygons are rasterised into web-
mercator tiles: a tile that no zone boundary touches has one zone, the one tzfpy gives at any
point in it. They are stored per tile of zoom `ROOT_ZOOM` as a quadtree down to `LEAF_ZOOM`
(~5 km at the equator, less towards the poles), or `DEEP_ZOOM` (~300 m) around the gazetteer's
places near a boundary, in the `zone_tiles` table, and a point is then one
primary-key read and a walk of a few hundred bytes.

A point in a tile a boundary touches (within ~5 km of a zone boundary, ~300 m near a city; or
where two zones'
polygons overlap) has no answer here: `zone_from_tiles` returns None and the caller asks tzfpy.
The tiles are tzfpy's own answers, so both agree everywhere (a test samples it); the release of
the boundaries is in the gazetteer's `meta` (`zone tiles`).

Tree encoding (one BLOB per root tile, preorder, unsigned LEB128 varints): `SPLIT` (0) is
followed by the four children in the order (x, y), (x+1, y), (x, y+1), (x+1, y+1); `NEAR_BOUNDARY`
(1) is a leaf with no answer; `n >= 2` is a leaf whose zone is row `n - 2` of `tile_zones`. Each
tree is stored raw-deflated (zlib, wbits −15): 2.15 MB of trees take 0.58 MB.
"""

from __future__ import annotations

import math
import sqlite3
import zlib

ROOT_ZOOM = 7
"""Zoom of the tiles that are rows of `zone_tiles` (128 × 128 of them)."""
LEAF_ZOOM = 13
"""Zoom of the leaves in general (8,192 × 8,192 over the world; 4.9 km at the equator)."""
DEEP_ZOOM = 17
"""Zoom of the smallest leaves (306 m at the equator), only where a gazetteer place lies near a
boundary (Basel, El Paso, Kinshasa)."""
SPLIT = 0
NEAR_BOUNDARY = 1
FIRST_ZONE = 2
MAX_LATITUDE = 85.05112878
"""The web-mercator limit; points beyond it fall in the first or last row of tiles."""


def tile_xy(longitude: float, latitude: float, zoom: int = LEAF_ZOOM) -> tuple[float, float]:
    """The fractional web-mercator tile coordinates (x east, y south; 0…2**zoom) of a point in
    degrees, latitude clamped to ±`MAX_LATITUDE`."""
    n = 1 << zoom
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    x = (longitude + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(latitude))) / math.pi) / 2.0 * n
    return x, y


def leaf_of(longitude: float, latitude: float, zoom: int = DEEP_ZOOM) -> tuple[int, int]:
    """The integer tile (x, y) at `zoom` that holds the point (edges clamped inside)."""
    x, y = tile_xy(longitude, latitude, zoom)
    last = (1 << zoom) - 1
    return min(max(int(x), 0), last), min(max(int(y), 0), last)


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    """The unsigned LEB128 integer at offset `at` of `data`, and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _skip(data: bytes, at: int) -> int:
    """The offset just after the subtree that starts at `at`."""
    pending = 1
    while pending:
        code, at = read_varint(data, at)
        pending += 3 if code == SPLIT else -1
    return at


def leaf_code(tree: bytes, x: int, y: int) -> int:
    """The leaf code (`NEAR_BOUNDARY`, or a zone row + `FIRST_ZONE`) of the leaf that holds tile
    (x, y) of DEEP_ZOOM in the encoded quadtree `tree` of its root tile."""
    at = 0
    for depth in range(DEEP_ZOOM - ROOT_ZOOM - 1, -1, -1):
        code, at = read_varint(tree, at)
        if code != SPLIT:
            return code
        for _ in range(((x >> depth) & 1) + 2 * ((y >> depth) & 1)):
            at = _skip(tree, at)
    return read_varint(tree, at)[0]


def zone_from_tiles(db: sqlite3.Connection, longitude: float, latitude: float) -> str | None:
    """The IANA zone key tzfpy gives at the point (degrees), read from the baked tiles; None
    when the point's leaf tile touches a zone boundary (ask tzfpy).

    Raises sqlite3.Error only if the gazetteer file is damaged.
    """
    x, y = leaf_of(longitude, latitude)
    shift = DEEP_ZOOM - ROOT_ZOOM
    row = db.execute(
        "SELECT tree FROM zone_tiles WHERE tile = ?",
        (((x >> shift) << ROOT_ZOOM) | (y >> shift),),
    ).fetchone()
    if row is None:  # every root tile has a row: only a damaged gazetteer lacks one
        return None
    code = leaf_code(zlib.decompress(row[0], -15), x, y)
    if code < FIRST_ZONE:
        return None
    zone = db.execute("SELECT zone FROM tile_zones WHERE id = ?", (code - FIRST_ZONE,)).fetchone()
    return str(zone[0]) if zone else None
