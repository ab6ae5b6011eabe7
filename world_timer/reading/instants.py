"""Instants typed with a place in them (`Friday 15:00 Tokyo`): the grammar of
`timekeeping.instants` with the gazetteer as its place reader."""

from __future__ import annotations

from datetime import datetime, tzinfo

from world_timer.places.resolve import Resolution, resolve
from world_timer.timekeeping import instants
from world_timer.timekeeping.instants import Instant


def parse_instant(
    text: str, now: datetime, local_zone: tzinfo, fold: int = 0
) -> Instant[Resolution]:
    """Parse WHEN (`2026-03-08T02:30Z`, `@1759315360`, `in 2 hours`, `tomorrow 9:00 Lima`,
    `Friday 15:00 Tokyo`, `9am ET`) into an Instant; a place in it is read by
    `places.resolve.resolve` at `now` and kept as the Instant's `resolution`.

    `now` (aware) anchors relative days and the place reading; `local_zone` reads a time with no
    place; `fold` (0 or 1) picks the first or second of a wall time that happens twice. Raises
    InstantSyntaxError (text in no accepted form), NonexistentTimeError (a wall time in a
    spring-forward gap) and the PlaceError subclasses (a place that cannot be found). See
    `world_timer.timekeeping.instants.parse_instant` for the whole grammar.
    """
    return instants.parse_instant(text, now, local_zone, fold, resolver=resolve)
