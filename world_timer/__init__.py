"""World Timer: the current time in any place you name, from GeoNames and the IANA tz database.

The public Python API (documented in docs/python-api.md; the CLI is a thin layer over the same
library):

    >>> import world_timer
    >>> world_timer.resolve("Bombay").zone_key
    'Asia/Kolkata'

Names are imported lazily (PEP 562 `__getattr__`): `import world_timer` costs nothing, and the
command line, which imports `world_timer.cli`, loads only what each run uses.
"""

# Not `typing.TYPE_CHECKING`: importing typing here would widen the moment before the console's
# Ctrl-C handler is installed (tests/test_security_cli.py); mypy reads this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from world_timer.api import parse_instant, plan, read, resolve, zone_time
    from world_timer.errors import (
        EmptyQueryError,
        PlaceError,
        PlaceNotFoundError,
        RegionError,
        WorldTimerError,
    )
    from world_timer.places.gazetteer import Place
    from world_timer.places.resolve import Resolution
    from world_timer.planning.model import Plan, Slot
    from world_timer.reading.readings import Reading
    from world_timer.timekeeping.instants import Instant, NonexistentTimeError
    from world_timer.timekeeping.timewords import InstantSyntaxError
    from world_timer.timekeeping.zonetime import ZoneTime

_HOMES = {
    "resolve": "world_timer.api",
    "zone_time": "world_timer.api",
    "read": "world_timer.api",
    "parse_instant": "world_timer.api",
    "plan": "world_timer.api",
    "Resolution": "world_timer.places.resolve",
    "Place": "world_timer.places.gazetteer",
    "ZoneTime": "world_timer.timekeeping.zonetime",
    "Reading": "world_timer.reading.readings",
    "Instant": "world_timer.timekeeping.instants",
    "Plan": "world_timer.planning.model",
    "Slot": "world_timer.planning.model",
    "WorldTimerError": "world_timer.errors",
    "PlaceError": "world_timer.errors",
    "EmptyQueryError": "world_timer.errors",
    "PlaceNotFoundError": "world_timer.errors",
    "RegionError": "world_timer.errors",
    "InstantSyntaxError": "world_timer.timekeeping.timewords",
    "NonexistentTimeError": "world_timer.timekeeping.instants",
}

__all__ = [
    "EmptyQueryError",
    "Instant",
    "InstantSyntaxError",
    "NonexistentTimeError",
    "Place",
    "PlaceError",
    "PlaceNotFoundError",
    "Plan",
    "Reading",
    "RegionError",
    "Resolution",
    "Slot",
    "WorldTimerError",
    "ZoneTime",
    "__version__",
    "parse_instant",
    "plan",
    "read",
    "resolve",
    "zone_time",
]


def __getattr__(name: str) -> "Any":
    """Import a public name on first use (PEP 562); `__version__` from the installed metadata."""
    if name == "__version__":
        from importlib.metadata import version

        return version("world-timer")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'world_timer' has no attribute {name!r}")
    value = getattr(__import__(home, fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
