"""Guesses the resolver makes, each said in a note, and `strict` mode that refuses them all.

Two guesses (issue 19):

1. **A misspelling with one clear best suggestion** (`Sydeny` → Sydney, `Torronto` → Toronto):
   the near names of places/suggest.py, scored by rapidfuzz's normalised Indel similarity
   (`fuzz.ratio`, 0-100). The names scoring within MARGIN of the best are the contenders; the
   most populous of them is read, unless another contender has RIVAL_SHARE of its people (then
   the query is refused with the suggestions, as before). A best score below GUESS_SCORE is never
   read. One edit of a 6-letter name scores 83-91 (a swap or a replaced letter 83, a dropped or
   doubled one 91). A misspelling that is a minor locale's CLDR name of a small place yields to a
   far bigger place (rank.YIELD_RATIO) whose own name it spells more closely (`Dehli`: Delhi,
   not Dili by a Balochi name).
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
"""rapidfuzz `fuzz.ratio` (0-100) a misspelling must reach to be read as a name."""
MARGIN = 4.0
"""Names scoring within this many points of the best are contenders for a misspelling."""
RIVAL_SHARE = 0.2
"""A contender with this share of the best contender's people makes the guess unclear."""

MAJOR_CITY = 1_000_000
"""A CLDR-name pick yields to a near spelling of a bigger place only when it has these people."""

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


def misspelling(query: str, text: str, lookup: Callable[[str], T | None]) -> tuple[T, str]:
    """Read `text` as the one clearly best near name: (what `lookup(name_key)` returns, note).

    Raises PlaceNotFoundError with up to three suggestions when no name is near enough, two are
    close (MARGIN, RIVAL_SHARE), or in strict mode.
    """
    from world_timer.places.suggest import suggest

    best = None if strict() else clear_best(text)
    found = lookup(best[0]) if best else None
    if best is None or found is None:
        raise PlaceNotFoundError(query, suggest(text))
    return found, f"read '{query.strip()}' as {best[1]}, a near name (--strict refuses guesses)"


def clear_best(text: str) -> tuple[str, str] | None:
    """The (name key, label) of the one clearly best near name of `text`, else None."""
    from rapidfuzz import fuzz, process

    from world_timer.places.suggest import suggestion_keys

    key = normalize(text)
    if len(key) < 4 or len(key) > 64:
        return None
    keys = suggestion_keys()
    found = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=GUESS_SCORE, limit=12)
    if not found:
        return None
    top = found[0][1]
    contenders = [(index, score) for _m, score, index in found if score >= top - MARGIN]
    rows = gazetteer().suggestion_rows([index for index, _score in contenders])
    people = sorted(
        ((pop, label, index) for (index, _s), (label, pop) in zip(contenders, rows, strict=True)),
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
