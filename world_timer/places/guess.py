"""Guesses the resolver makes, each said in a note, and `strict` mode that refuses them all.

Two guesses (issue 19):

1. **A misspelling with one clear best near name** (`Sydeny` → Sydney, `Torronto` → Toronto):
   the own-name keys at the fewest edits by optimal string alignment (rapidfuzz `OSA`: a
   dropped, doubled, replaced or swapped letter is one edit; at most MAX_EDITS, MAX_EDITS_LONG
   for long names); of those the most populous is read, unless another has RIVAL_SHARE of its
   people (then the query is refused with the suggestions, as before). The key read is then
   resolved as if typed, so `Victria` means what `Victoria` means. Two more readings yield to a
   far bigger place one edit away: a minor locale's CLDR name of a small place (`Dehli`: Delhi,
   not Dili by a Balochi name; yields_to_bigger) and a GeoNames alternate name of one (`Marid`:
   Madrid, not an alias of Myeik; near_own_name). Measured by `make accuracy` over the
   single-edit misspellings (drop, double, swap, replace) of the 2,000 most populous places.
2. **A country of several UTC offsets** (`Brazil`, `USA`, `Kanada`): its capital's zone, with a
   note naming the other offsets (places/areas.py calls capital_area).

`set_strict(True)` (the CLI's `--strict`, the `strict` config key) turns both back into the
refusals (PlaceNotFoundError with suggestions, RegionError): for scripts that want no guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from world_timer.errors import PlaceNotFoundError, RegionError
from world_timer.places.gazetteer import CLDR, gazetteer
from world_timer.places.normalize import normalize, typeable

if TYPE_CHECKING:
    from world_timer.places.rank import Candidate

GUESS_SCORE = 80.0
"""rapidfuzz `fuzz.ratio` (0-100) of a near spelling of a bigger place's own name
(yields_to_bigger)."""
MAX_EDITS = 1
"""Edits (optimal string alignment) a misspelling of a key under LONG_KEY letters may have."""
MAX_EDITS_LONG = 2
"""Edits a misspelling of a key of LONG_KEY letters or more may have."""
LONG_KEY = 9
RIVAL_SHARE = 0.3
"""A contender with this share of the best contender's people makes the guess unclear."""

MAJOR_CITY = 1_000_000
"""A CLDR-name pick yields to a near spelling of a bigger place only when it has these people."""

ALT_YIELD_RATIO = 10.0
"""An alternate-name match yields to a place with this many times the people whose own name is
one edit away (near_own_name)."""

T = TypeVar("T")
_STRICT: ContextVar[bool] = ContextVar("world_timer_strict", default=False)


def set_strict(strict: bool) -> None:
    """Refuse every guess (True) or allow them (False, the default) in this context (the CLI's
    run; a thread or task started after this call inherits it)."""
    _STRICT.set(strict)


@contextmanager
def strictness(strict: bool) -> Iterator[None]:
    """Within the block, refuse every guess (True) or allow them (False); restored after."""
    token = _STRICT.set(strict)
    try:
        yield
    finally:
        _STRICT.reset(token)


def strict() -> bool:
    """Whether guesses are refused (set_strict, strictness)."""
    return _STRICT.get()


def misspelling(query: str, text: str, lookup: Callable[[str], T | None]) -> T:
    """Read `text` as the one clearly best near name (clear_best): what `lookup(name_key)`
    returns for it.

    Raises PlaceNotFoundError with up to three suggestions when no name is near enough, two are
    close (RIVAL_SHARE), or in strict mode.
    """
    from world_timer.places.suggest import suggest

    best = None if strict() else clear_best(text)
    found = lookup(best[0]) if best else None
    if best is None or found is None:
        raise PlaceNotFoundError(query, suggest(text))
    return found


def clear_best(text: str) -> tuple[str, str] | None:
    """The (name key, label) of the one clearly best near name of `text`, else None.

    Near: the own-name keys (suggest.suggestion_keys, one per distinct GeoNames name) at the
    fewest edits from `text`'s key by optimal string alignment (rapidfuzz `OSA`: a dropped,
    doubled, replaced or swapped letter is one edit), at most MAX_EDITS (MAX_EDITS_LONG for
    keys of LONG_KEY letters or more). Of those, the most populous, unless another has
    RIVAL_SHARE of its people. Keys under 4 or over 64 characters are never guessed.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from world_timer.places.suggest import suggestion_keys

    key = normalize(text)
    if len(key) < 4 or len(key) > 64:
        return None
    edits = MAX_EDITS_LONG if len(key) >= LONG_KEY else MAX_EDITS
    keys = suggestion_keys()
    found = process.extract(key, keys, scorer=OSA.distance, score_cutoff=edits, limit=40)
    if not found:
        return None
    fewest = min(distance for _m, distance, _i in found)
    contenders = [index for _m, distance, index in found if distance == fewest]
    rows = gazetteer().suggestion_rows(contenders)
    people = sorted(
        ((pop, label, index) for index, (label, pop) in zip(contenders, rows, strict=True)),
        reverse=True,
    )
    if len(people) > 1 and people[1][0] >= RIVAL_SHARE * people[0][0]:
        return None
    return keys[people[0][2]], typeable(people[0][1])


def yields_to_bigger(text: str, ranked: list[Candidate]) -> Candidate | None:
    """For a pick by a CLDR name only, the most populous candidate when it is a major city
    (MAJOR_CITY people, rank.YIELD_RATIO times the pick's) whose own name `text` spells closely
    (fuzz.ratio >= GUESS_SCORE, above the pick's own name), else None: `Dehli` → Delhi, not Dili
    (a Balochi CLDR name). Minor locales' names one letter from a smaller city stay CLDR's
    (`Norfolkas`: Norfolk Island, not Norfolk, Virginia; `Gvadalupe`, `Kanton`). None in strict
    mode."""
    from rapidfuzz import fuzz

    from world_timer.places.rank import YIELD_RATIO

    if strict() or len(ranked) < 2 or ranked[0].kind != CLDR:
        return None
    key, pick = normalize(text), ranked[0].place
    bigger = max(ranked[1:], key=lambda c: c.place.population)
    people = bigger.place.population
    if people < MAJOR_CITY or people < YIELD_RATIO * max(pick.population, 1):
        return None
    score = fuzz.ratio(key, normalize(bigger.place.name))
    closer = score > fuzz.ratio(key, normalize(pick.name))
    return bigger if score >= GUESS_SCORE and closer else None


def near_own_name(text: str, ranked: list[Candidate]) -> tuple[str, str] | None:
    """For a name matched only as GeoNames alternate names (`Marid`: Myeik, Myanmar), the
    (name key, label) of a far bigger place whose own name is one edit away (OSA), else None:
    `Marid` → Madrid, `Parsi` → Paris, `Semara` → Samara. Bigger: ALT_YIELD_RATIO times the
    people of every place the alternate name matched, and MAJOR_CITY / 2 people. None in strict
    mode and for keys under 4 letters (`Lon`, `Cix`: IATA codes among the alternate names)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from world_timer.places.gazetteer import ALTERNATE
    from world_timer.places.suggest import suggestion_keys

    key = normalize(text)
    if strict() or not ranked or ranked[0].kind != ALTERNATE or not 4 <= len(key) <= 64:
        return None
    keys = suggestion_keys()
    found = [
        index
        for _m, distance, index in process.extract(
            key, keys, scorer=OSA.distance, score_cutoff=1, limit=20
        )
        if distance == 1
    ]
    if not found:
        return None
    rows = gazetteer().suggestion_rows(found)
    people, label, index = max(
        (pop, label, index) for index, (label, pop) in zip(found, rows, strict=True)
    )
    matched = max(c.place.population for c in ranked)
    if people < MAJOR_CITY / 2 or people < ALT_YIELD_RATIO * max(matched, 1):
        return None
    return keys[index], typeable(label)


def capital_area(
    query: str, code: str, name: str, zones: list[str], now: datetime
) -> tuple[str, str]:
    """(zone, note) of the capital (GeoNames) of country `code`, whose `zones` keep several UTC
    offsets; the note is `capital_note`. Raises RegionError naming how to choose in strict mode
    or when the country has no capital (`Antarctica`)."""
    db = gazetteer()
    row = db.connection.execute(
        "SELECT name, timezone FROM places WHERE country_code = ? AND capital = 1"
        " ORDER BY population DESC LIMIT 1",
        (code,),
    ).fetchone()
    if strict() or row is None:
        example = db.largest_place(code)
        hint = f" (e.g. '{example}')" if example else ""
        raise RegionError(
            query,
            f"{name} spans {len(zones)} zones: name a city{hint}, or list them with "
            f"`world-timer zones --country {code}`",
        )
    return str(row[1]), capital_note(query, name, str(row[0]), str(row[1]), zones, now)


def capital_note(
    query: str, name: str, capital: str, zone: str, zones: list[str], now: datetime
) -> str:
    """`'Brazil' is Brazil: showing its capital Brasília (America/Sao_Paulo); also +1h, −1h to
    −2h: America/Noronha, America/Manaus, …: name a city for another`; offsets at `now`."""
    from world_timer.timekeeping.zones import load_zone

    def offset(key: str) -> timedelta:
        return now.astimezone(load_zone(key)).utcoffset() or timedelta(0)

    base = offset(zone)
    others = sorted(
        ((offset(key) - base, key) for key in zones if offset(key) != base),
        key=lambda pair: (pair[0] < timedelta(0), abs(pair[0])),
    )
    deltas = sorted({delta for delta, _key in others}, key=lambda d: (d < timedelta(0), abs(d)))
    shown = ", ".join(dict.fromkeys(key for _d, key in others[:3]))
    more = ", …" if len(others) > 3 else ""
    return (
        f"'{query.strip()}' is {name}, which spans {len(deltas) + 1} UTC offsets: showing its "
        f"capital {capital} ({zone}); also {_ranges(deltas)}: {shown}{more}; name a city for "
        "another, or use --strict to be asked"
    )


def _ranges(deltas: list[timedelta]) -> str:
    """`+1h, −1h to −5h, −9:30h`: whole hours in a row joined into ranges."""
    parts: list[list[timedelta]] = []
    for delta in deltas:
        hour = timedelta(hours=1)
        last = parts[-1][-1] if parts else None
        whole = delta % hour == timedelta(0)
        if last is not None and whole and last % hour == timedelta(0) and abs(delta - last) == hour:
            parts[-1].append(delta)
        else:
            parts.append([delta])
    return ", ".join(
        _hours(run[0]) if len(run) == 1 else f"{_hours(run[0])} to {_hours(run[-1])}"
        for run in parts
    )


def _hours(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}h" if not rest else f"{sign}{hours}:{rest:02d}h"
