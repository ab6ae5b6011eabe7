"""Near names for a query that named nothing (`Lodnon` → `London, GB`): imported only on a miss.

The candidates are the own names of the gazetteer's places, one per key (the most populous
place's label), kept in the database as one newline-joined text (`suggestion_keys`), so a miss
reads one row instead of 30,000 and rapidfuzz scores them all in a few milliseconds.
"""

from __future__ import annotations

from functools import cache

from world_timer.places.gazetteer import gazetteer
from world_timer.places.normalize import normalize, typeable

SCORE_CUTOFF = 75
"""rapidfuzz normalised Indel similarity (0-100) below which a name is not suggested."""


@cache
def suggestion_keys() -> list[str]:
    """The own-name keys near names are chosen from (the gazetteer's `suggestion_keys`)."""
    return gazetteer().suggestion_keys()


def suggest(text: str, limit: int = 3) -> tuple[str, ...]:
    """Return up to `limit` near names for a typo (`Lodnon` → `London, GB`), most likely first.

    Matches against every place's own name (and zone keys when the text has a `/`), scored by
    rapidfuzz's normalised Indel similarity (fuzz.ratio >= SCORE_CUTOFF), ties broken by
    population. Labels are typeable (straight apostrophes).
    """
    key = normalize(text)
    if not key or len(key) > 64:
        return ()
    from rapidfuzz import fuzz, process

    if "/" in text:
        from world_timer.timekeeping.zones import zone_keys

        keys = list(zone_keys().values())
        found = process.extract(
            text.strip(), keys, scorer=fuzz.ratio, score_cutoff=SCORE_CUTOFF, limit=limit
        )
        return tuple(match for match, _score, _index in found)
    found = process.extract(
        key, suggestion_keys(), scorer=fuzz.ratio, score_cutoff=SCORE_CUTOFF, limit=40
    )
    rows = gazetteer().suggestion_rows([index for _match, _score, index in found])
    ranked = sorted(
        zip(found, rows, strict=True), key=lambda m: (-round(m[0][1]), -m[1][1], m[0][2])
    )
    labels: list[str] = []
    for _found, (label, _population) in ranked:
        if typeable(label) not in labels:
            labels.append(typeable(label))
    return tuple(labels[:limit])
