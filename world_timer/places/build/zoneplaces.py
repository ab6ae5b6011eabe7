"""Build step: the place of every tz zone and CLDR zone id, carrying its CLDR exemplar cities.

For each id (a zone of zone.tab, or a CLDR zone id such as `Europe/Bratislava` that the pinned
tzdata links to another zone) the place is the gazetteer place in that zone named like the id's
city (`Bratislava`, or one of its exemplar cities in any locale): own names before alternate names,
then the most populous. Failing that, the same search in GeoNames cities500; failing that (a zone
of zone.tab only), a place made from zone.tab: its coordinates, first country and English city,
population 0 and a negative id (it has no geonameid). A zone named after a country, island or
region (`Asia/Qatar`, `Atlantic/Madeira`) with no place of that name takes its capital, else its
largest place (Doha, Funchal). The id's city and every exemplar city of the
id then become names of kind CLDR on that place.
"""

from __future__ import annotations

from collections import defaultdict

from world_timer.places.build.cldr import cldr_zone_ids, exemplar_cities
from world_timer.places.build.geonames import ALTERNATE, CLDR, PlaceRow, SmallPlaces, named
from world_timer.places.build.tzcities import canonical, key_city, links, zone_cities
from world_timer.places.normalize import normalize


def add_zone_places(
    places: dict[int, PlaceRow], small: SmallPlaces, area_names: set[str]
) -> dict[str, int]:
    """Give every zone id its place and CLDR names (adding places as needed); return counts.

    `area_names` are the keys of country and region names: a zone named after one (`Asia/Qatar`,
    `America/Jamaica`, `Atlantic/Madeira`) with no place of that name takes the zone's capital or
    largest place rather than a made-up one.
    """
    link_map = links()
    by_zone: dict[str, list[PlaceRow]] = defaultdict(list)
    for place in places.values():
        by_zone[canonical(place.timezone, link_map)].append(place)
    small_by_zone: dict[str, list[PlaceRow]] = defaultdict(list)
    for zone, rows in small.by_zone.items():
        small_by_zone[canonical(zone, link_map)].extend(rows)
    per_id = exemplar_cities()
    # An exemplar city that one language alone uses and that is another place's own name counts
    # as an alternate name, not a major-language one (Kaingang's `Novara` for Douala).
    own_keys = {normalize(r.name) for r in places.values()}
    ids = dict.fromkeys(zone_cities()) | dict.fromkeys(cldr_zone_ids()) | dict.fromkeys(per_id)
    counts = {"gazetteer": 0, "cities500": 0, "zone.tab": 0, "area": 0, "unplaced": 0}
    synthetic = -1
    for zone_id in sorted(ids):
        city = key_city(zone_id)
        if city is None:
            continue
        target = canonical(zone_id, link_map)
        names = [city, *sorted(per_id.get(zone_id, ()))]
        keys = [k for k in dict.fromkeys(normalize(n) for n in names) if k]
        # A CLDR id that tzdata links elsewhere (`Europe/Isle_of_Man` → `Europe/London`) looks
        # only at the places GeoNames puts in that very id, not in all of London's zone.
        pool = [r for r in by_zone[target] if zone_id in (target, r.timezone)]
        small_pool = [r for r in small_by_zone[target] if zone_id in (target, r.timezone)]
        row: PlaceRow | None = named(pool, keys)
        if row is not None:
            counts["gazetteer"] += 1
        elif (row := named(small_pool, keys)) is not None:
            places[row.geonameid] = row
            by_zone[target].append(row)
            counts["cities500"] += 1
        elif normalize(city) in area_names and (
            own := [r for r in places.values() if r.timezone == zone_id]
        ):
            # `Asia/Qatar`, `Atlantic/Madeira`: the capital, else the largest place GeoNames puts
            # in that very zone id (not in the zone it links to: `America/Grenada` is a link to
            # `America/Puerto_Rico`, and St. George's is not San Juan).
            row = max(own, key=lambda r: (r.capital, r.population))
            names = names[1:]  # not `Qatar` itself: the country typed alone is the country
            counts["area"] += 1
        elif (zone_city := zone_cities().get(zone_id)) is not None:
            english = [n for n, locales in per_id.get(zone_id, {}).items() if "en" in locales]
            row = PlaceRow(
                synthetic,
                english[0] if english else city,
                zone_city.countries[0],
                "",
                0,
                zone_id,
                zone_city.latitude,
                zone_city.longitude,
                [],
                source="zone.tab",
            )
            synthetic -= 1
            places[row.geonameid] = row
            by_zone[target].append(row)
            counts["zone.tab"] += 1
        else:
            counts["unplaced"] += 1
            continue
        row.zone_city = True
        for name in names:
            languages = {locale.split("_")[0] for locale in per_id.get(zone_id, {}).get(name, ())}
            weak = len(languages) == 1 and normalize(name) in own_keys - set(row.names())
            row.extra_names.setdefault(name, ALTERNATE if weak else CLDR)
    return counts
