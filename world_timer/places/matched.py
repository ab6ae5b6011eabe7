"""How a query was read: the kinds of `Resolution.matched` (the JSON row's `matched`, and the
`; matched: KIND` of `world-timer search`), strongest first."""

from __future__ import annotations

from world_timer.places.gazetteer import ALTERNATE, CLDR

MATCHED = {
    "zone-key": "an IANA zone key (`Asia/Tokyo`, `utc`, a legacy key such as `Zulu`)",
    "offset": "a fixed UTC offset (`UTC+5:30`, `+09:00`)",
    "coordinates": "a point in decimal degrees (`35.68,139.69`)",
    "abbreviation": "a time-zone abbreviation (`JST`, `CEST`): CLDR short names and tzdata",
    "generic": "a generic time name (`ET`, `Pacific`)",
    "short-form": "a short form of a place's name (`NYC`, `LA`)",
    "airport": "an IATA airport code (`LHR`): airportsdata",
    "country-code": "an ISO 3166 country code (`DE`, `CAN`)",
    "country": "a country's name, in English or any CLDR locale (`Japan`, `Japon`)",
    "country-capital": "a country of several UTC offsets, by name or ISO code (`Brazil`, `USA`):"
    " its capital's zone, with a note naming the other offsets (a guess: `--strict` refuses it)",
    "region": "a first-level region, admin1 (`California`, `England`)",
    "name": "a place's own GeoNames name, or its ASCII form (`Tokyo`, `Sao Paulo`)",
    "cldr-name": "a CLDR exemplar city or the city of a tz zone key (`Wien`, `纽约`)",
    "alternate-name": "a GeoNames alternate name (`Bombay`, `Peking`)",
    "nickname": "a city's well-known nickname (`Big Apple`, `NOLA`): places/nicknames.py",
    "island": "an island no place name reaches (`Oahu`, `Lanzarote`): places/islands.py",
    "metazone": "a CLDR time-zone name spelt out, any locale (`Central Time`,"
    " `Mitteleuropäische Zeit`, `日本標準時`): the zone, with its DST",
    "windows": "a Windows time zone ID (`W. Europe Standard Time`): CLDR windowsZones",
    "location-format": 'a CLDR "X time" form, any locale (`India Time`, `Ora din India`)',
    "misspelling": "a near name, the one clearly best (`Sydeny`; places/guess.py, a guess that"
    " `--strict` refuses)",
}
"""How a query can be read (`Resolution.matched`, the JSON row's `matched`), strongest first."""

NAME_MATCH = {0: "name", 1: "name", CLDR: "cldr-name", ALTERNATE: "alternate-name"}
NAME_MATCHES = frozenset(NAME_MATCH.values())
"""The MATCHED kinds that are a gazetteer place's name (ranked by world_timer.places.rank)."""
