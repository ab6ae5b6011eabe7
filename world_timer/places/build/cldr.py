"""Build step: names from Unicode CLDR, as shipped by `babel` (dev dependency, build time only).

- Exemplar cities: CLDR's name of the city of each tz zone in each locale (`Europe/Vienna` is
  `Wien` in de, `Vienne` in fr; `America/New_York` is `ニューヨーク` in ja, `纽约` in zh).
- Territory names: each ISO 3166-1 country's name in each locale (`Frankreich`, `Japon`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

from world_timer.places.build.tzcities import canonical, links

# CLDR territory codes that are not countries of the gazetteer (EU, UN, pseudo-territories).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"})
# `Antigua & Barbuda`, `Congo - Kinshasa`, `Myanmar (Burma)`: the parts people write alone.
_PARTS = re.compile(r"\s*(?:&|\band\b|\bet\b|\by\b|\bund\b| - |[(),])\s*")


@cache
def _locales() -> list[Locale]:
    from babel import Locale, localedata

    found: list[Locale] = []
    for identifier in sorted(localedata.locale_identifiers()):
        try:
            found.append(Locale.parse(identifier))
        except (ValueError, LookupError):  # a locale babel lists but cannot load: skip it
            continue
    return found


def locale_count() -> int:
    """Return how many CLDR locales babel ships (and this build reads)."""
    return len(_locales())


def exemplar_cities() -> dict[str, dict[str, set[str]]]:
    """Return CLDR zone id → exemplar city → the locales (`de`, `ja`) that use it.

    Source: CLDR `timeZoneNames/zone/exemplarCity` of every locale babel ships. CLDR zone ids are
    CLDR's own (`Asia/Calcutta`, `Europe/Bratislava`); `canonical()` maps them to the zone of the
    pinned tzdata (`Asia/Kolkata`, `Europe/Prague`).
    """
    result: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for locale in _locales():
        zones: Mapping[str, Any] = locale.time_zones
        for zone_id, names in zones.items():
            city = names.get("city")
            if city and "/" in zone_id and not zone_id.startswith("Etc/"):
                result[zone_id][city].add(str(locale))
    return result


def cldr_zone_ids() -> dict[str, str]:
    """Return every CLDR zone id that babel's English data knows → its canonical IANA key."""
    from babel import Locale

    link_map = links()
    root: Mapping[str, Any] = Locale.parse("en").time_zones
    return {zone_id: canonical(zone_id, link_map) for zone_id in root}


def territory_names(languages: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Return ISO 3166-1 alpha-2 code → the country's name in every CLDR locale (or only those of
    `languages`: `("en",)` for en, en_GB, en_IN ...).

    `FR` → {`France`, `Frankreich`, `Francia`, `フランス`, ...}.
    """
    result: dict[str, set[str]] = defaultdict(set)
    for locale in _locales():
        if languages and locale.language not in languages:
            continue
        territories: Mapping[str, str] = locale.territories
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                result[code].add(name)
    return result


def short_country_names() -> dict[str, set[str]]:
    """Return ISO code → the parts of its English CLDR name people write alone.

    `Antigua & Barbuda` → `Antigua`; `Bosnia & Herzegovina` → `Bosnia`; `Congo - Kinshasa` →
    `Congo`; `Myanmar (Burma)` → `Burma`; `St. Kitts & Nevis` → `St. Kitts` (every part is
    kept: `Herzegovina`, `Tobago` and `Nevis` are written alone too). Used as qualifiers
    only (`Saint John's, Antigua`), never as a country typed alone.
    """
    from babel import Locale

    result: dict[str, set[str]] = defaultdict(set)
    english: Mapping[str, str] = Locale.parse("en").territories
    for code, name in english.items():
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        parts = [part for part in _PARTS.split(name) if part]
        if len(parts) > 1:
            result[code].update(parts)
    return result
