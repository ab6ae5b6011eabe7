"""Turning what a person types into a zone: a place, an IANA zone key or a fixed UTC offset.

Order of lookups for one query: a code or a point (places/codes.py: coordinates, a time-zone
abbreviation, a city's short form, an IATA airport code), an IANA zone key (`Asia/Kolkata`,
`UTC`, any case), a fixed UTC offset (`UTC+05:30`, `+0545`), an IANA area (`Europe`: an error
that says how to list its zones), then the gazetteer (`Bombay`, `Paris, TX`, `Москва`), then a
country (`France` → its one zone).
"""

from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

from world_timer.errors import EmptyQueryError, PlaceNotFoundError, RegionError
from world_timer.places.gazetteer import Place, filter_by_qualifier, gazetteer
from world_timer.places.normalize import MAX_QUERY_LENGTH, has_control_characters, normalize
from world_timer.timekeeping.zones import (
    area_name,
    canonical_key,
    load_zone,
    parse_fixed_offset,
    posix_sign_note,
    zone_name,
)

COMPARABLE_POPULATION = 0.1
"""A namesake is worth a note when it has at least this share of the chosen place's population."""


class Resolution(NamedTuple):
    """What one query resolved to.

    `zone` is a ZoneInfo (IANA key) or a fixed `datetime.timezone`; `place` is the gazetteer place
    when the query named one (None for a zone key or an offset); `notes` are one-line remarks for
    stderr (an ambiguous pick, the POSIX sign of `Etc/GMT+5`).
    """

    query: str
    zone: tzinfo
    place: Place | None = None
    notes: tuple[str, ...] = ()
    name: str | None = None

    @property
    def zone_key(self) -> str:
        """IANA key of the zone, or `UTC+05:30` for a fixed offset."""
        return zone_name(self.zone)

    @property
    def label(self) -> str:
        """How the row is named: the place's label, a country's name, else the zone key."""
        return self.place.label if self.place else self.name or self.zone_key


def resolve(query: str, now: datetime | None = None) -> Resolution:
    """Resolve one query to a zone.

    `now` (aware; default the current instant) decides whether an ambiguous pick has a namesake at
    another UTC offset. Raises EmptyQueryError, RegionError or PlaceNotFoundError (with up to three
    suggestions for what looks like a typo).
    """
    if has_control_characters(query) or len(query) > MAX_QUERY_LENGTH:
        raise PlaceNotFoundError(query)
    text = query.strip()
    if not text:
        raise EmptyQueryError(query)
    # Codes and points first (places/codes.py: coordinates, abbreviations, short forms, airports).
    from world_timer.places.codes import resolve_code

    code = resolve_code(query, text)
    if code is not None:
        return Resolution(query, code.zone, code.place, code.notes, code.name)
    key = canonical_key(text)
    if key and ("/" in key or key.isupper()):
        return _zone_resolution(query, key)
    try:
        offset = parse_fixed_offset(text)
    except ValueError as exc:
        raise PlaceNotFoundError(query, detail=str(exc)) from None
    if offset is not None:
        return Resolution(query, offset)
    area = area_name(text)
    if area:
        raise RegionError(
            query,
            f"'{area}' is a region of the tz database, not a city or zone: "
            f"list its zones with `world-timer zones {area}`",
        )
    junk = [part for part in text.split(",")[1:] if part.strip() and not normalize(part)]
    if junk:
        # `Paris, ../..` or `Paris, 🇫🇷, TX`: a qualifier with nothing of a name in it is a typo,
        # not something to ignore.
        raise PlaceNotFoundError(query, detail=f"unknown qualifier {junk[0].strip()[:40]!r}")
    when = now or datetime.now(UTC)
    # A city's own name beats a country (`Singapore`, `Panama`); a country beats a city's
    # alternate name (`USA` is also an alternate name of Concord, NC).
    places = gazetteer().by_name(normalize(text))
    if places and gazetteer().by_name(normalize(text), official_only=True):
        return _pick(query, places, when)
    found = _from_country(query, text, places) or (_pick(query, places, when) if places else None)
    found = found or _from_qualified(query, text, when)
    if found:
        return found
    if key:  # single-word legacy keys such as `Zulu`, `Navajo`
        return _zone_resolution(query, key)
    raise PlaceNotFoundError(query, suggest(text))


def _zone_resolution(query: str, key: str) -> Resolution:
    note = posix_sign_note(key)
    return Resolution(query, load_zone(key), notes=(note,) if note else ())


def _from_qualified(query: str, text: str, now: datetime) -> Resolution | None:
    """Look the text up as `Name, Qualifier, ...`, then as `Name Qualifier`.

    Every qualifier must hold (`Portland, Maine, USA`); a name may hold commas itself
    (`Misato, Saitama`), so the cut with the fewest qualifiers is tried first.
    """
    parts = text.split(",")
    if len(parts) > 1:
        reason = ""
        for cut in range(len(parts) - 1, 0, -1):
            qualifiers = [part for part in parts[cut:] if part.strip()]
            found = _qualified(query, ",".join(parts[:cut]), qualifiers, now)
            if isinstance(found, Resolution):
                return found
            reason = found  # the last cut, the name alone, gives the reason worth reading
        # Suggestions once, for the name alone: a near name costs a fuzzy pass over the gazetteer.
        raise PlaceNotFoundError(query, suggest(parts[0]), detail=reason)
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):  # `Paris TX`, `Portland Maine`, `Cordoba Spain`
        found = _qualified(query, " ".join(words[:cut]), [" ".join(words[cut:])], now)
        if isinstance(found, Resolution):
            return found
    return None


def _qualified(query: str, name: str, qualifiers: list[str], now: datetime) -> Resolution | str:
    """The most populous place named `name` inside every qualifier, else why not: the unknown
    qualifier, or "" when the qualifiers are known but no such place lies inside them all."""
    db = gazetteer()
    places = db.by_name(normalize(name))
    for qualifier in qualifiers:
        scopes = db.qualifier(normalize(qualifier))
        if not scopes:
            return (
                f"unknown qualifier '{' '.join(qualifier.split())}': use a country, its ISO 3166 "
                "code, or a state or province"
            )
        places = filter_by_qualifier(places, scopes)
    return _pick(query, places, now) if places else ""


def _pick(query: str, places: list[Place], now: datetime) -> Resolution:
    """Take the most populous place; note a comparable namesake at another current UTC offset."""
    chosen = places[0]
    zone = load_zone(chosen.timezone)
    offset = now.astimezone(zone).utcoffset()
    namesakes = {p.geonameid for p in gazetteer().by_name(normalize(chosen.name), True)}
    others = []
    for other in places[1:]:
        if other.population < chosen.population * COMPARABLE_POPULATION:
            break
        if other.geonameid not in namesakes:
            continue  # matched only by an alternate name: not a namesake people mix up
        if now.astimezone(load_zone(other.timezone)).utcoffset() != offset:
            others.append(other)
    notes: tuple[str, ...] = ()
    if others:
        hints = "; ".join(
            f"also {_short_label(o, chosen)}: use '{_qualified_name(o, chosen)}'"
            for o in others[:2]
        )
        notes = (f"'{query.strip()}' is {chosen.label}; {hints}",)
    return Resolution(query, zone, chosen, notes)


def _short_label(place: Place, chosen: Place) -> str:
    """`Valencia, ES`; `Springfield, MA, US` when the namesake is in the chosen place's country."""
    same_country = place.country_code == chosen.country_code and place.admin1_code
    admin1 = f"{place.admin1_code}, " if same_country else ""
    return f"{place.name}, {admin1}{place.country_code}"


def _qualified_name(place: Place, chosen: Place) -> str:
    """How to ask for `place` rather than `chosen`: by admin1 within one country, else country."""
    if place.country_code == chosen.country_code and place.admin1:
        return f"{place.name}, {place.admin1}"
    return f"{place.name}, {place.country}"


def _from_country(query: str, text: str, places: list[Place]) -> Resolution | None:
    """A country with one zone resolves to it; one with several says how to choose."""
    db = gazetteer()
    codes = {cc for cc, admin1 in db.qualifier(normalize(text)) if not admin1}
    if len(codes) != 1:
        return None
    code = codes.pop()
    zones = db.country_zones(code)
    name = db.country_name(code) or code
    if len(zones) == 1:
        return Resolution(query, load_zone(zones[0]), name=name)
    if not zones:
        return None
    example = db.largest_place(code)
    hint = f" (e.g. '{example}')" if example else ""
    raise RegionError(
        query,
        f"{name} spans {len(zones)} zones: name a city{hint}, or list them with "
        f"`world-timer zones --country {code}`",
    )


def suggest(text: str, limit: int = 3) -> tuple[str, ...]:
    """Return up to `limit` near names for a typo (`Lodnon` → `London, GB`), most likely first.

    Matches against every place's own name (and zone keys when the text has a `/`), scored by
    rapidfuzz's normalised Indel similarity, ties broken by population. Imported only on a miss.
    """
    key = normalize(text)
    if not key or len(key) > 64:
        return ()
    from rapidfuzz import fuzz, process

    if "/" in text:
        from world_timer.timekeeping.zones import zone_keys

        keys = list(zone_keys().values())
        found = process.extract(text.strip(), keys, scorer=fuzz.ratio, score_cutoff=75, limit=limit)
        return tuple(match for match, _score, _index in found)
    names = gazetteer().primary_names()
    found = process.extract(
        key, [n[0] for n in names], scorer=fuzz.ratio, score_cutoff=75, limit=40
    )
    ranked = sorted(found, key=lambda m: (-round(m[1]), -names[m[2]][2]))
    labels: list[str] = []
    for _match, _score, index in ranked:
        label = names[index][1]
        if label not in labels:
            labels.append(label)
    return tuple(labels[:limit])
