"""Turning what a person types into a zone: a place, an IANA zone key or a fixed UTC offset.

Order of lookups for one query: a code or a point (places/codes.py: coordinates, a time-zone
abbreviation, a city's short form, an IATA airport code), an IANA zone key (`Asia/Kolkata`,
`UTC`, any case), a fixed UTC offset (`UTC+05:30`, `+0545`), an IANA area (`Europe`: an error
that says how to list its zones), then the gazetteer: a place by one of its own names (`Paris`,
`Wien`, `Lord Howe`; ranked by world_timer/places/rank.py), unless a region of that name is far
bigger (`Ontario`); a country (`France`, `Japon` → its one zone); a region (`England`, `Texas`);
a place by an alternate name (`Bombay`); then `Name, Qualifier` (`Paris, TX`, `Paris, Frankreich`).
"""

from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

from world_timer.errors import EmptyQueryError, PlaceNotFoundError, RegionError
from world_timer.places import areas
from world_timer.places.gazetteer import ALTERNATE, CLDR, Place, filter_by_qualifier, gazetteer
from world_timer.places.matched import NAME_MATCH
from world_timer.places.normalize import (
    MAX_QUERY_LENGTH,
    has_control_characters,
    normalize,
    typeable,
)
from world_timer.places.rank import (
    ABROAD_RATIO,
    REGION_RATIO,
    YIELD_RATIO,
    Candidate,
    beaten_own_names,
    rank,
)
from world_timer.places.suggest import suggest
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
    matched: str = "zone-key"
    """How the query was read: one of MATCHED (`"name"`, `"abbreviation"`, ...)."""

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
    when = now or datetime.now(UTC)
    early = _before_names(query, text, when)
    if early is not None:
        return early
    junk = [part for part in text.split(",")[1:] if part.strip() and not normalize(part)]
    if junk:
        # `Paris, ../..` or `Paris, 🇫🇷, TX`: a qualifier with nothing of a name in it is a typo,
        # not something to ignore.
        raise PlaceNotFoundError(query, detail=f"unknown qualifier {junk[0].strip()[:40]!r}")
    found = _from_names(query, text, when) or _from_location_format(query, text, when)
    if found:
        return found
    key = canonical_key(text)
    if key:  # single-word legacy keys such as `Zulu`, `Navajo`
        return _zone_resolution(query, key)
    from world_timer.places.guess import misspelling  # refuses with suggestions when unclear

    guessed = misspelling(query, text, lambda name: _from_names(query, name, when))
    return _as_misspelling(query, guessed)


def _nickname_or_zone_name(query: str, text: str) -> Resolution | None:
    """A curated nickname (`Big Apple`) or island (`Oahu`), or a spelt-out zone name
    (`Central Time`, `Tokyo Standard Time`: places/zone_names.py), all exact lookups; else None."""
    from world_timer.places.nicknames import find_nickname
    from world_timer.places.zone_names import find_zone_name, zone_name_note

    nickname = find_nickname(text)
    if nickname:
        place, note = nickname
        return Resolution(query, load_zone(place.timezone), place, (note,), matched="nickname")
    from world_timer.places.islands import find_island

    found = find_island(text)
    if found:
        island, note = found
        name = f"{island.typed}, {island.country_code}"
        return Resolution(query, load_zone(island.zone), notes=(note,), name=name, matched="island")
    spelt = find_zone_name(gazetteer().connection, text)
    if spelt is None:
        return None
    matched = "windows" if spelt.form == "windows" else "metazone"
    note = zone_name_note(query, spelt)
    return Resolution(query, load_zone(spelt.zone), notes=(note,), matched=matched)


def _from_location_format(query: str, text: str, now: datetime) -> Resolution | None:
    """A CLDR "X time" form (`India Time`, `Ora din India`, `Hora de: Regne Unit`): the place
    part resolved as a name (places/zone_names.location_parts), noted; else None."""
    from world_timer.places.zone_names import location_parts

    for inner, locales in location_parts(gazetteer().connection, text):
        found = _from_names(query, inner, now)
        if found:
            note = (
                f"'{query.strip()}' read as the time of {found.label}"
                f' (CLDR\'s "X time" form, {locales.split()[0]})'
            )
            return found._replace(notes=(note, *found.notes), matched="location-format")
    return None


def _as_misspelling(query: str, found: Resolution) -> Resolution:
    """`found` (the resolution of a near name) as the reading of misspelt `query`, noted."""
    note = f"read '{query.strip()}' as {found.label}, a near name (--strict refuses guesses)"
    return found._replace(notes=(note, *found.notes), matched="misspelling")


def _before_names(query: str, text: str, when: datetime) -> Resolution | None:
    """What is read before any place name: codes and points, nicknames, zone keys, UTC offsets,
    ISO 3166 country codes in capitals; None when `text` is none of them. Raises RegionError for
    a tz area (`Europe`), PlaceNotFoundError for a malformed offset."""
    # Codes and points first (places/codes.py: coordinates, abbreviations, short forms, airports).
    from world_timer.places.codes import resolve_code

    code = resolve_code(query, text)
    if code is not None:
        return Resolution(query, code.zone, code.place, code.notes, code.name, code.matched)
    spelt = _nickname_or_zone_name(query, text)
    if spelt is not None:
        return spelt
    key = canonical_key(text)
    if key and ("/" in key or key.isupper()):
        return _zone_resolution(query, key)
    try:
        offset = parse_fixed_offset(text)
    except ValueError as exc:
        raise PlaceNotFoundError(query, detail=str(exc)) from None
    if offset is not None:
        return Resolution(query, offset, matched="offset")
    area = area_name(text)
    if area and not _country_named(area):  # `Australia` is the country, `Europe` an area
        raise RegionError(
            query,
            f"'{area}' is a region of the tz database, not a city or zone: "
            f"list its zones with `world-timer zones {area}`",
        )
    # An ISO 3166 code in capitals is its country (`CAN` is Canada, not Çan, Turkey; `DE`).
    iso = gazetteer().iso_country(text) if text.isascii() and text.isupper() else None
    country = areas.zones_of_country(query, iso, when) if iso else None
    if country is None:
        return None
    matched = "country-capital" if country.capital else "country-code"
    return Resolution(
        query, load_zone(country.zone), notes=country.notes, name=country.label, matched=matched
    )


def _country_named(area: str) -> bool:
    """True when a tz area's name is a country's English name (`Australia`, `Antarctica`)."""
    code = gazetteer().country_named(normalize(area))
    return code is not None and normalize(gazetteer().country_name(code) or "") == normalize(area)


def _from_names(query: str, text: str, now: datetime) -> Resolution | None:
    """The gazetteer's answer for a name: a place, a country, a region, or a qualified place."""
    name_key = normalize(text)
    ranked = rank(name_key, gazetteer().matches(name_key))
    if ranked and ranked[0].kind == CLDR:  # `Dehli`: Delhi, not Dili by a Balochi CLDR name
        from world_timer.places.guess import yields_to_bigger

        bigger = yields_to_bigger(text, ranked)
        if bigger:
            found = _pick(query, [bigger, *(c for c in ranked if c is not bigger)], now)
            return _as_misspelling(query, found)
    # A CLDR name of a place yields to the English name of another country (`Cuba` is how some
    # locales write Juba; `Cuba` is Cuba); not of its own (`Mexico` is Mexico City's zone); not
    # a country's name in its own language (`عمّان`, Amman, is `عُمان`, Oman, without its marks).
    english = (
        gazetteer().country_named(name_key, english_only=True)
        if ranked and ranked[0].kind == CLDR
        else None
    )
    cldr_only = english is not None and english != ranked[0].place.country_code
    if ranked and not cldr_only and (ranked[0].kind < ALTERNATE or beaten_own_names(ranked)):
        # A place's own name beats a country (`Singapore`, `Panama`) and a region, unless they
        # are far bigger (`Jamaica` is not Jamaica, Queens; `Ontario` not Ontario, California).
        return _over_a_place(query, name_key, ranked, now)
    # A country beats a place's alternate name (`USA` is also an alternate name of Concord, NC).
    country = areas.country_zone(query, name_key, now=now)
    if country:
        zone = load_zone(country.zone)
        matched = "country-capital" if country.capital else "country"
        notes = country.notes + areas.namesake_region_note(query, name_key, country.country_code)
        return Resolution(query, zone, notes=notes, name=country.label, matched=matched)
    region = areas.region(query, name_key)
    if region:
        return _area_resolution(query, region, None)
    return (
        _by_other_names(query, text, ranked, now) if ranked else _from_qualified(query, text, now)
    )


def _by_other_names(query: str, text: str, ranked: list[Candidate], now: datetime) -> Resolution:
    """Places matched by alternate (or minor CLDR) names only: the pick, unless the name is one
    edit from a far bigger place's own name (guess.near_own_name: `Marid` is Madrid, noted)."""
    from world_timer.places.guess import near_own_name

    near = near_own_name(text, ranked)
    found = _from_names(query, near[0], now) if near else None
    return _as_misspelling(query, found) if found else _pick(query, ranked, now)


def _over_a_place(query: str, name_key: str, ranked: list[Candidate], now: datetime) -> Resolution:
    """A name that is a place's own name: the place, or a country or region of that name that is
    bigger (rank.REGION_RATIO for a place inside it, rank.ABROAD_RATIO for one elsewhere)."""
    first = ranked[0].place
    inside, abroad = (ratio * max(first.population, 1) for ratio in (REGION_RATIO, ABROAD_RATIO))
    own_country = gazetteer().country_named(name_key) == first.country_code
    floor = inside if own_country else abroad
    country = areas.country_zone(query, name_key, min_population=floor, unless=first, now=now)
    if country:
        return _area_resolution(query, country, first)
    region = areas.region(query, name_key)
    if region and not areas.prominent(first):
        where = (region.country_code, region.admin1_code)
        within = where == (first.country_code, first.admin1_code)
        if region.population >= (inside if within else abroad):
            # With a namesake inside it, the name stands for that place there, and the places
            # rank as places (`Valencia`: Venezuela's or Spain's city, not the Valencian
            # Community); without one, the region (`Montana`, `Bali`, `Yukon`).
            inside_it = any(
                c.kind < ALTERNATE and (c.place.country_code, c.place.admin1_code) == where
                for c in ranked
            )
            if within or not inside_it:
                return _area_resolution(query, region, first)
    return _pick(query, ranked, now)


def _area_resolution(query: str, region: areas.Area, place: Place | None) -> Resolution:
    """A region typed alone; `place` is the namesake it beat, named in a note."""
    notes = region.notes
    if place is not None:
        notes += (
            f"'{query.strip()}' is {region.label}; also {place.label}: "
            f"use '{_qualified_name(place)}'",
        )
    matched = "region" if region.admin1_code else "country"
    matched = "country-capital" if region.capital else matched
    return Resolution(
        query, load_zone(region.zone), notes=notes, name=region.label, matched=matched
    )


def _zone_resolution(query: str, key: str) -> Resolution:
    note = posix_sign_note(key)
    return Resolution(query, load_zone(key), notes=(note,) if note else (), matched="zone-key")


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
    """The best place named `name` inside every qualifier (ranked as alone), else why not: the
    unknown qualifier, or "" when the qualifiers are known but no such place lies inside them."""
    db = gazetteer()
    key = normalize(name)
    matches = db.matches(key)
    for qualifier in qualifiers:
        scopes = db.qualifier(normalize(qualifier))
        if not scopes:
            return (
                f"unknown qualifier '{' '.join(qualifier.split())}': use a country, its ISO 3166 "
                "code, or a state or province"
            )
        inside = {p.geonameid for p in filter_by_qualifier([p for p, _ in matches], scopes)}
        matches = [(p, kind) for p, kind in matches if p.geonameid in inside]
    if matches:
        return _pick(query, rank(key, matches), now)
    # `Georgia, US`: a region of that name inside the qualifying countries.
    countries = {cc for q in qualifiers for cc, a1 in db.qualifier(normalize(q)) if not a1}
    region = areas.region(query, key, countries) if countries else None
    return _area_resolution(query, region, None) if region else ""


def _pick(query: str, ranked: list[Candidate], now: datetime) -> Resolution:
    """Take the first ranked place; note namesakes at another current UTC offset: those of
    comparable size (COMPARABLE_POPULATION) whose own name is the query or the pick's own name,
    every own-name match that an alternate-name pick beat (`Odessa`: also Odessa, Texas), and
    for a pick by a CLDR name, any far bigger place (rank.YIELD_RATIO) by an alternate name
    (`Dehli`: Dili; also Delhi)."""
    chosen = ranked[0].place
    zone = load_zone(chosen.timezone)
    offset = now.astimezone(zone).utcoffset()
    beaten = {p.geonameid for p in beaten_own_names(ranked)}
    own_key = normalize(chosen.name)
    others = []
    for candidate in ranked[1:]:
        other = candidate.place
        namesake = candidate.kind < ALTERNATE or normalize(other.name) == own_key
        # A capital or a zone city is worth a note whatever its size (`Stanley`: also the
        # Falklands' capital; `Midway`: also Midway Atoll).
        comparable = other.population >= chosen.population * COMPARABLE_POPULATION or (
            candidate.kind < ALTERNATE and areas.prominent(other)
        )
        # A far bigger place beside a pick by a CLDR name (`Dehli`: Dili by CLDR, also Delhi).
        far_bigger = ranked[0].kind == CLDR and (
            other.population >= YIELD_RATIO * max(chosen.population, 1)
        )
        if not (other.geonameid in beaten or (namesake and comparable) or far_bigger):
            continue  # matched only by an alternate name, or too small to be mixed up
        if now.astimezone(load_zone(other.timezone)).utcoffset() != offset:
            others.append(other)
    notes: tuple[str, ...] = ()
    if others:
        hints = "; ".join(
            f"also {_short_label(o, chosen)}: use '{_qualified_name(o)}'" for o in others[:2]
        )
        notes = (f"'{query.strip()}' is {chosen.label}; {hints}",)
    return Resolution(query, zone, chosen, notes, matched=NAME_MATCH[ranked[0].kind])


def _short_label(place: Place, chosen: Place) -> str:
    """`Valencia, ES`; `Springfield, MA, US` when the namesake is in the chosen place's country."""
    same_country = place.country_code == chosen.country_code and place.admin1_code
    admin1 = f"{place.admin1_code}, " if same_country else ""
    return typeable(f"{place.name}, {admin1}{place.country_code}")


def _qualified_name(place: Place) -> str:
    """How to ask for `place` (typeable): `Birmingham, Alabama` where its label names the region
    (US, Canada, Australia, UK, or a namesake in the same country), else `Valencia, Venezuela`."""
    if place.shows_admin1 and place.admin1:
        return typeable(f"{place.name}, {place.admin1}")
    return typeable(f"{place.name}, {place.country}")
