"""Build step: each country's names in its own languages, and their romanisations.

`Nederland`, `Deutschland`, `Polska` (CLDR: the territory name in each of the country's official
languages, babel's `get_official_languages(..., de_facto=True)`) and `Nihon`, `Zhongguo`,
`Sakartvelo`, `Hayastan`, `Shqipëria` (restcountries' `altSpellings` and `nativeName`, through
the `countryinfo` package: romanised and native forms CLDR does not write). Both are typed alone
(a country). Only the CLDR names beat a smaller place of that name abroad, as an English name
does: `Nederland` is the Netherlands (17 million people), not Nederland, Texas (17,000); a
restcountries spelling never beats a place's own name (`Nijar`, how Hausa writes Niger, stays
Níjar in Spain), as a CLDR name in a foreign locale does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping


def own_language_names(codes: Iterable[str]) -> dict[str, set[str]]:
    """ISO 3166-1 alpha-2 code → the country's CLDR name in each of its official (and de facto)
    languages: `NL` → {`Nederland`}; `CH` → {`Schweiz`, `Suisse`, `Svizzera`}."""
    from babel import Locale
    from babel.core import UnknownLocaleError
    from babel.languages import get_official_languages

    result: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        for language in get_official_languages(code, de_facto=True):
            try:
                territories: Mapping[str, str] = Locale.parse(language).territories
            except (UnknownLocaleError, ValueError):
                continue
            if code in territories:
                result[code].add(territories[code])
    return result


def restcountries_names(codes: Iterable[str]) -> dict[str, set[str]]:
    """ISO 3166-1 alpha-2 code → restcountries' native name and alternative spellings of the
    country (countryinfo), without its ISO codes: `JP` → {`日本`, `Nippon`, `Nihon`}; `AM` →
    {`Հայաստան`, `Hayastan`, `Republic of Armenia`, ...}. A spelling `A / B` (or `A/B`) is both."""
    from countryinfo import all_countries

    wanted = set(codes)
    result: dict[str, set[str]] = defaultdict(set)
    for country in all_countries():
        try:
            code, code3 = country.iso(2), country.iso(3)
        except (KeyError, TypeError, AttributeError):
            continue
        if code not in wanted:
            continue
        for spelling in [country.native_name(), *(country.alt_spellings() or [])]:
            for part in str(spelling or "").split("/"):
                name = part.strip(" ,")
                if len(name) > 1 and name.upper() not in {code, code3}:
                    result[code].add(name)
    return result
