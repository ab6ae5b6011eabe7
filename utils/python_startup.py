"""World Timer helpers for the Python REPL: `PYTHONSTARTUP=utils/python_startup.py python`.

    >>> now("Tokyo", "Lima")            # the time there (the CLI's plain lines)
    >>> zones("Asia")                   # IANA zone keys of an area, UTC offset, abbreviation
    >>> place("Paris, TX")              # what a query resolves to: the Resolution
    >>> at("2026-03-08 02:30 Lima", "Tokyo")   # the places at an instant (--at syntax)
    >>> wt.timekeeping.zonetime         # the package; its modules import on first use

World Timer is imported on first use, not here, so the REPL starts as fast as without this file
(`make bench` measures it).
"""

from __future__ import annotations

from types import ModuleType as _ModuleType

# No `typing` here: it is not loaded at REPL start, and importing it would cost milliseconds.


class _LazyPackage(_ModuleType):
    """`wt`: `wt.places.resolve` imports world_timer.places.resolve the first time it is used.

    A subpackage (`wt.places`, `wt.timekeeping`, ...) is lazy in turn; a module's names come
    straight from the module (`wt.timekeeping.zonetime.zone_time`).
    """

    def __getattr__(self, name: str) -> object:
        import importlib

        if name.startswith("__"):
            raise AttributeError(name)
        module = importlib.import_module(f"{self.__name__}.{name}")
        value = _LazyPackage(module.__name__) if hasattr(module, "__path__") else module
        setattr(self, name, value)
        return value


wt = _LazyPackage("world_timer")


def _show(queries: tuple[str, ...], when: str | None = None) -> None:
    """Print the queries' times now, or at `when` (the --at syntax), as the CLI's plain lines."""
    import os
    from datetime import UTC, datetime

    from world_timer.commands.context import local_zone
    from world_timer.reading.readings import read_clocks
    from world_timer.render import Style, render_plain

    local, instant = local_zone(os.environ), datetime.now(UTC)
    if when is not None:
        from world_timer.reading.instants import parse_instant

        parsed = parse_instant(when, instant, local)
        for note in parsed.notes:
            print(f"note: {note}")
        instant = parsed.utc
    readings = read_clocks(queries or ("UTC",), instant)
    print(render_plain(readings, local, Style(seconds=True)), end="")
    for reading in readings:
        if reading.error is not None:
            print(f"error: {reading.error}")


def now(*places: str) -> None:
    """Print the time now in each place (default UTC), as `world-timer --format plain` does."""
    _show(places)


def at(when: str, *places: str) -> None:
    """Print each place at the instant `when`: ISO 8601, @UNIXTIME or '[DATE] TIME [PLACE]'."""
    _show(places, when)


def zones(area: str | None = None, country: str | None = None) -> None:
    """Print the IANA zone keys of an area (`Asia`) or ISO country code, with offset now."""
    from datetime import UTC, datetime

    from world_timer.listings import list_zones

    print("\n".join(list_zones(area, country, datetime.now(UTC))))


def place(query: str) -> object:
    """Resolve a query as the CLI does; returns the Resolution (or raises the PlaceError)."""
    from world_timer.places.resolve import resolve

    return resolve(query)


print("world-timer helpers: now(*places), at(when, *places), zones(area), place(query), wt")
del annotations  # the __future__ feature: not a helper
