"""Bake tzfpy's zone polygons into the gazetteer's tile index (`world_timer.places.zone_tiles`).

Every ring of every zone polygon (`tzfpy.get_tz_polygon_geojson`, the timezone-boundary-builder
release `tzfpy.data_version()`) is walked in steps of a quarter of a leaf tile; each step marks the
leaf tiles within a quarter tile of it, so every leaf a boundary passes through (or comes within a
few hundred metres of) is marked NEAR_BOUNDARY. Any other tile has a single zone, read from tzfpy
at its centre and checked at four points near its corners; a tile where they disagree (two zones'
polygons overlap there, as Asia/Urumqi and Asia/Shanghai do) is marked too. Uniform quadrants are
merged, so open ocean and the inside of big zones are one leaf each.
"""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator

from world_timer.places.zone_tiles import (
    DEEP_ZOOM,
    FIRST_ZONE,
    LEAF_ZOOM,
    NEAR_BOUNDARY,
    ROOT_ZOOM,
    SPLIT,
    leaf_of,
    tile_xy,
)

Node = str | None | tuple["Node", ...]
"""A quadtree node: a zone key, None (near a boundary), or four children."""
STEP = 0.25
"""Walking step along a boundary, and the margin marked around each step, in leaf tiles."""


def _rings() -> Iterator[list[list[float]]]:
    """Every ring (outer and holes) of every zone polygon tzfpy holds, as [lon, lat] pairs."""
    import tzfpy

    for name in tzfpy.timezonenames():
        for feature in json.loads(tzfpy.get_tz_polygon_geojson(name))["features"]:
            geometry = feature["geometry"]
            polygons = geometry["coordinates"]
            if geometry["type"] == "Polygon":
                polygons = [polygons]
            for polygon in polygons:
                yield from polygon


def boundary_leaves(
    zoom: int = LEAF_ZOOM, within: frozenset[tuple[int, int]] | None = None
) -> set[tuple[int, int]]:
    """The tiles (x, y) at `zoom` that a zone boundary passes through or near.

    With `within` (tiles at LEAF_ZOOM), only the tiles inside those are walked and returned.
    """
    last = (1 << zoom) - 1
    shift = zoom - LEAF_ZOOM
    marked: set[tuple[int, int]] = set()
    for lon0, lat0, lon1, lat1 in _edges(within):
        x0, y0 = tile_xy(lon0, lat0, zoom)
        x1, y1 = tile_xy(lon1, lat1, zoom)
        steps = int(max(abs(x1 - x0), abs(y1 - y0)) / STEP) + 1
        for i in range(steps + 1):
            # Interpolated in degrees (the polygon's edges are straight in degrees), then
            # projected, so a long diagonal edge is followed as drawn.
            a = i / steps
            x, y = tile_xy(lon0 + (lon1 - lon0) * a, lat0 + (lat1 - lat0) * a, zoom)
            for dx in (-STEP, STEP):
                for dy in (-STEP, STEP):
                    cell = (min(max(int(x + dx), 0), last), min(max(int(y + dy), 0), last))
                    if within is None or (cell[0] >> shift, cell[1] >> shift) in within:
                        marked.add(cell)
    return marked


def _edges(
    within: frozenset[tuple[int, int]] | None,
) -> Iterator[tuple[float, float, float, float]]:
    """Every polygon edge as (lon0, lat0, lon1, lat1); with `within`, only the pieces (at most
    one LEAF_ZOOM tile long) whose bounding box, one tile to spare, holds one of those tiles."""
    for ring in _rings():
        for (lon0, lat0), (lon1, lat1) in itertools.pairwise(ring):
            if within is None:
                yield lon0, lat0, lon1, lat1
                continue
            x0, y0 = tile_xy(lon0, lat0)
            x1, y1 = tile_xy(lon1, lat1)
            pieces = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
            for i in range(pieces):
                a, b = i / pieces, (i + 1) / pieces
                left = int(min(x0 + (x1 - x0) * a, x0 + (x1 - x0) * b)) - 1
                right = int(max(x0 + (x1 - x0) * a, x0 + (x1 - x0) * b)) + 1
                top = int(min(y0 + (y1 - y0) * a, y0 + (y1 - y0) * b)) - 2
                bottom = int(max(y0 + (y1 - y0) * a, y0 + (y1 - y0) * b)) + 2
                if any(
                    (x, y) in within for x in range(left, right + 1) for y in range(top, bottom + 1)
                ):
                    yield (
                        lon0 + (lon1 - lon0) * a,
                        lat0 + (lat1 - lat0) * a,
                        lon0 + (lon1 - lon0) * b,
                        lat0 + (lat1 - lat0) * b,
                    )


def _lonlat(x: float, y: float, zoom: int) -> tuple[float, float]:
    """The (longitude, latitude) in degrees of fractional tile (x, y) at `zoom`."""
    n = 1 << zoom
    return x / n * 360.0 - 180.0, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


class _Builder:
    def __init__(self, places: Iterable[tuple[float, float]]) -> None:
        import tzfpy

        self.get_tz = tzfpy.get_tz
        marked = boundary_leaves()
        # Leaves near a boundary that hold a gazetteer place are refined down to DEEP_ZOOM.
        self.refined = frozenset(leaf_of(lon, lat, LEAF_ZOOM) for lon, lat in places) & marked
        # dirty[z]: the tiles at zoom z with a marked tile under them.
        self.dirty: dict[int, set[tuple[int, int]]] = {
            DEEP_ZOOM: boundary_leaves(DEEP_ZOOM, self.refined)
        }
        for zoom in range(DEEP_ZOOM - 1, LEAF_ZOOM, -1):
            self.dirty[zoom] = {(x >> 1, y >> 1) for x, y in self.dirty[zoom + 1]}
        self.dirty[LEAF_ZOOM] = marked
        for zoom in range(LEAF_ZOOM - 1, ROOT_ZOOM - 1, -1):
            self.dirty[zoom] = {(x >> 1, y >> 1) for x, y in self.dirty[zoom + 1]}
        self.zones: dict[str, int] = {}
        self.uses: Counter[str] = Counter()
        self.overlaps = 0

    def _uniform_zone(self, zoom: int, x: int, y: int) -> str | None:
        """tzfpy's zone at the tile's centre if it also holds near the four corners, else None."""
        samples = {
            self.get_tz(*_lonlat(x + fx, y + fy, zoom))
            for fx, fy in ((0.5, 0.5), (0.01, 0.01), (0.99, 0.01), (0.01, 0.99), (0.99, 0.99))
        }
        return samples.pop() if len(samples) == 1 else None

    def tree(self, zoom: int, x: int, y: int) -> Node:
        """The tile as a zone key, None (near a boundary) or a tuple of its four subtrees."""
        if (x, y) not in self.dirty[zoom]:
            zone = self._uniform_zone(zoom, x, y)
            if zone is not None:
                return zone
            self.overlaps += 1
        if zoom == DEEP_ZOOM or (zoom == LEAF_ZOOM and (x, y) not in self.refined):
            return None
        children = tuple(
            self.tree(zoom + 1, 2 * x + dx, 2 * y + dy) for dy in (0, 1) for dx in (0, 1)
        )
        if not any(isinstance(c, tuple) for c in children) and len(set(children)) == 1:
            return children[0]
        return children

    def count(self, node: Node) -> None:
        """Count each zone's leaves, so the commonest get the shortest codes."""
        if isinstance(node, tuple):
            for child in node:
                self.count(child)
        elif node is not None:
            self.uses[node] += 1

    def encode(self, node: Node, out: bytearray) -> None:
        """Append the preorder varint encoding of `node` (see `world_timer.places.zone_tiles`)."""
        if isinstance(node, tuple):
            _varint(SPLIT, out)
            for child in node:
                self.encode(child, out)
        else:
            _varint(NEAR_BOUNDARY if node is None else self.zones[node] + FIRST_ZONE, out)


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def write_zone_tiles(
    db: sqlite3.Connection, places: Iterable[tuple[float, float]]
) -> dict[str, int]:
    """Fill the `zone_tiles` and `tile_zones` tables of `db`; return counts for the build log.

    `places`: (longitude, latitude) of the gazetteer's places, in degrees; a leaf near a boundary
    that holds one is refined to DEEP_ZOOM, so a city's coordinates rarely need tzfpy.
    """
    builder = _Builder(places)
    side = 1 << ROOT_ZOOM
    roots = {(x, y): builder.tree(ROOT_ZOOM, x, y) for x in range(side) for y in range(side)}
    for node in roots.values():
        builder.count(node)
    builder.zones = {zone: i for i, (zone, _n) in enumerate(builder.uses.most_common())}
    db.executemany(
        "INSERT INTO tile_zones VALUES (?, ?)", [(i, z) for z, i in builder.zones.items()]
    )
    size = 0
    rows = []
    for (x, y), node in roots.items():
        out = bytearray()
        builder.encode(node, out)
        packed = zlib.compress(bytes(out), 9, wbits=-15)
        size += len(packed)
        rows.append(((x << ROOT_ZOOM) | y, packed))
    db.executemany("INSERT INTO zone_tiles VALUES (?, ?)", rows)
    return {
        "zone tiles (deflated bytes)": size,
        "zone tile zones": len(builder.zones),
        "boundary leaves": len(builder.dirty[LEAF_ZOOM]),
        "refined leaves": len(builder.refined),
        "overlap tiles": builder.overlaps,
    }


def boundaries_source() -> str:
    """`2026e`: the timezone-boundary-builder release the tiles come from (tzfpy's), stored in the
    gazetteer's meta as `boundaries` and shown in the coordinates note."""
    import tzfpy

    return str(tzfpy.data_version())
