"""Exceptions of the World Timer library and the exit codes of the CLI, in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of `world-timer` (documented in README)."""

    OK = 0
    """Every place resolved and printed."""
    NOT_RESOLVED = 1
    """At least one place could not be resolved (the others are still printed)."""
    USAGE = 2
    """Bad command line: unknown option, missing place, bad option value."""
    INTERRUPTED = 130
    """Ctrl-C (128 + SIGINT), as shells report it."""


class WorldTimerError(Exception):
    """Base class of the errors the library raises on bad input; str() is a one-line message."""


class PlaceError(WorldTimerError):
    """A query could not be turned into a zone. `query` is what was typed."""

    def __init__(self, query: str, message: str) -> None:
        super().__init__(message)
        self.query = query
        self.reason = "error"


class EmptyQueryError(PlaceError):
    """The query is empty or only blanks."""

    def __init__(self, query: str) -> None:
        super().__init__(query, "empty city name")
        self.reason = "empty"


class PlaceNotFoundError(PlaceError):
    """No place, zone key or UTC offset matches. `suggestions` are near names (at most 3)."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = (), detail: str = "") -> None:
        shown = _shown(query)
        message = f"{shown}: not found" + (f" ({detail})" if detail else "")
        if suggestions:
            message += "; did you mean " + ", ".join(f"'{s}'" for s in suggestions) + "?"
        super().__init__(query, message)
        self.suggestions = suggestions
        self.reason = "not found"


class RegionError(PlaceError):
    """The query names a tz database area (`Europe`) or a multi-zone country, not a place."""

    def __init__(self, query: str, message: str) -> None:
        super().__init__(query, message)
        self.reason = "region"


class TimeSourceError(PlaceError):
    """The time source could not give the time of a resolved place (`--source api
    --no-fallback`). `reason` is the source's one-line reason ("unknown location", "HTTP 503")."""

    def __init__(self, query: str, reason: str) -> None:
        super().__init__(query, f"{_shown(query)}: time API: {reason}")
        self.reason = reason


def _shown(query: str, limit: int = 40) -> str:
    """Quote a query for a message: control characters escaped (repr), long ones cut."""
    return repr(query[:limit] + "…") if len(query) > limit else repr(query)
