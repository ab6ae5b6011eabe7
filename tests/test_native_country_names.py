"""Countries by their own names (issue 19): romanised native names (restcountries, through
countryinfo), CLDR names in a country's own languages beating a smaller town abroad, and every
multi-offset country's capital found even when GeoNames spells it another way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from world_timer.errors import PlaceError
from world_timer.places.build.endonyms import own_language_names, restcountries_names
from world_timer.places.gazetteer import gazetteer
from world_timer.places.resolve import resolve

PINNED = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zone", "country"),
    [
        ("Nihon", "Asia/Tokyo", "Japan"),
        ("Nippon", "Asia/Tokyo", "Japan"),
        ("Zhongguo", "Asia/Shanghai", "China"),  # was read as a misspelling of Zhongduo
        ("Sakartvelo", "Asia/Tbilisi", "Georgia"),
        ("Hayastan", "Asia/Yerevan", "Armenia"),
        ("Shqipëria", "Europe/Tirane", "Albania"),  # CLDR writes Shqipëri
        ("Shqiperia", "Europe/Tirane", "Albania"),
        ("Elláda", "Europe/Athens", "Greece"),  # was a misspelling of Allada, Benin
        ("Sarnam", "America/Paramaribo", "Suriname"),
    ],
)
def test_a_romanised_native_name_is_the_country(typed: str, zone: str, country: str) -> None:
    resolution = resolve(typed, PINNED)
    assert (resolution.zone_key, resolution.name) == (zone, country)
    assert resolution.matched in {"country", "country-capital"}


@pytest.mark.parametrize(
    ("typed", "zone", "town"),
    [
        ("Nederland", "Europe/Amsterdam", "Nederland, Texas"),  # 17 million against 17,000
        ("Palestine", "Asia/Hebron", "Palestine, Texas"),
    ],
)
def test_a_countrys_own_name_beats_a_small_town_abroad(typed: str, zone: str, town: str) -> None:
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key == zone
    assert town in " ".join(resolution.notes)  # the town is named, and how to ask for it


def test_a_restcountries_spelling_never_takes_a_place_or_a_region() -> None:
    # restcountries lists `Nijar` (Niger), `Portuguesa` (Portugal), `Mexicanos` (Mexico).
    assert resolve("Nijar", PINNED).zone_key == "Europe/Madrid"  # Níjar, Almería
    assert resolve("Portuguesa", PINNED).zone_key == "America/Caracas"  # the Venezuelan state
    assert resolve("Mexicanos", PINNED).zone_key == "America/El_Salvador"  # Mejicanos


def test_a_country_name_in_its_own_language_does_not_take_a_cldr_exemplar_city() -> None:
    # Arabic CLDR writes Amman `عمّان` and Oman `عُمان`: one key without their marks. The
    # exemplar city keeps it (4 million people); Oman is typed in English or as `OM`.
    for typed in ("عمّان", "عمان"):
        assert resolve(typed, PINNED).zone_key == "Asia/Amman"


@pytest.mark.parametrize("typed", ["Mongolia", "Монгол", "MN"])
def test_a_capital_geonames_spells_otherwise_is_found(typed: str) -> None:
    # countryInfo says `Ulaanbaatar`, the city is `Ulan Bator`: before, Mongolia was refused.
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key == "Asia/Ulaanbaatar"
    assert "Asia/Hovd" in " ".join(resolution.notes)


def test_every_country_of_several_zones_has_a_capital() -> None:
    db = gazetteer().connection
    missing = {
        str(code)
        for (code,) in db.execute(
            "SELECT country_code FROM country_zones GROUP BY country_code HAVING COUNT(*) > 1"
            " EXCEPT SELECT country_code FROM places WHERE capital = 1"
        )
    }
    assert missing <= {"AQ", "UM"}  # Antarctica and the US Outlying Islands have none


def _own_and_native_names() -> list[tuple[str, str]]:
    codes = [str(c) for (c,) in gazetteer().connection.execute("SELECT code FROM countries")]
    pairs: set[tuple[str, str]] = set()
    for names_of in (own_language_names, restcountries_names):
        for code, names in names_of(codes).items():
            pairs |= {(name, code) for name in names}
    return sorted(pairs)


def test_the_whole_kind_own_and_native_names_reach_their_country() -> None:
    """Every CLDR name of a country in its own languages and every restcountries spelling: at
    least 97% reach a zone of that country (measured 2026-12-06: 97.9% of 868; the rest are
    former countries, ambiguous `Congo`, and names a bigger place holds, `Åland`/Aland, India)."""
    pairs = _own_and_native_names()
    reached = 0
    for name, code in pairs:
        try:
            zone = resolve(name, PINNED).zone_key
        except PlaceError:
            continue
        reached += zone in gazetteer().country_zones(code)
    assert len(pairs) > 800
    assert reached / len(pairs) >= 0.97
