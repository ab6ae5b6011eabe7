"""Searching the gazetteer: places whose names start with what was typed (`world-timer search`)."""

from __future__ import annotations

from datetime import datetime

from world_timer.places.gazetteer import Place, filter_by_qualifier, gazetteer
from world_timer.places.normalize import has_control_characters, normalize


def search_places(query: str, limit: int = 20) -> list[Place]:
    """Return up to `limit` places whose name (any of their names) starts with `query`.

    `Name, Qualifier, ...` narrows to a country or admin1 area (every qualifier must hold).
    Most populous first; [] for junk.
    """
    if has_control_characters(query) or len(query) > 200:
        return []
    name, *qualifiers = query.split(",")
    key = normalize(name)
    if not key:
        return []
    db = gazetteer()
    if not qualifiers:
        return db.by_prefix(key, limit)
    places = db.by_prefix(key, limit=2000)
    for qualifier in filter(str.strip, qualifiers):  # `Portland,` as the resolver reads it
        scopes = db.qualifier(normalize(qualifier))
        if not scopes:
            return []
        places = filter_by_qualifier(places, scopes)
    return places[:limit]


def matched_name(place: Place, query: str) -> str:
    """The name of `place` that starts like `query` (its own name first, else an alternate)."""
    key = normalize(query.partition(",")[0])
    names = (place.name, place.asciiname, *place.alternate_names)
    return next((n for n in names if normalize(n).startswith(key)), place.name)


def read_as(query: str, now: datetime) -> str | None:
    """How `world-timer QUERY` reads the whole query, for a note: why the first place wins for a
    place's name (`explain`), else the reading (`'JST' reads as JST (UTC+09:00)`), each ending in
    `matched: KIND` (world_timer.places.matched.MATCHED); None when it does not resolve.

    `now` (aware) is the instant the resolver reads countries and abbreviations at.
    """
    from world_timer.errors import PlaceError
    from world_timer.places.matched import NAME_MATCHES
    from world_timer.places.resolve import resolve

    try:
        found = resolve(query, now)
    except PlaceError:
        return None
    reason = explain(query) if found.matched in NAME_MATCHES else None
    if reason is None:
        reason = f"'{query.strip()}' reads as {found.label} ({found.zone_key})"
    return f"{reason}; matched: {found.matched}"


def explain(query: str) -> str | None:
    """Why the name resolves as it does: `'Odessa' alone is Odesa, Ukraine: an alternate name
    spelling its own name ... (rank.VARIANT_RATIO)`; None when no place has that exact name.

    The ranking is world_timer/places/rank.py's, on the places named exactly `query` (before any
    comma); a region or country of that name may still beat it in the resolver. With
    qualifiers (`San, CR`), only the places inside every one of them are ranked (`'Paris, TX'
    is Paris, Texas, ...`): a note never names a place outside the area the query named, and
    there is none when no place there has that exact name or a qualifier means nothing.
    """
    from world_timer.places.rank import rank

    name, *qualifiers = query.split(",")
    key = normalize(name)
    if not key or has_control_characters(query) or len(query) > 200:
        return None
    db = gazetteer()
    matches = db.matches(key)
    qualifiers = [q for q in qualifiers if q.strip()]  # `Portland,` as the resolver reads it
    for qualifier in qualifiers:
        scopes = db.qualifier(normalize(qualifier))
        inside = {p.geonameid for p in filter_by_qualifier((p for p, _ in matches), scopes)}
        matches = [(p, kind) for p, kind in matches if p.geonameid in inside]
    ranked = rank(key, matches)
    if not ranked:
        return None
    first = ranked[0]
    how = "is" if qualifiers else "alone is"
    return f"'{query.strip()}' {how} {first.place.label}: {first.reason}"
