"""Time sources: where a zone's current time comes from, and the settings of the API source.

Two sources answer "what time is it in this IANA zone?":

- `embedded` (the default, offline): zoneinfo over the pinned tzdata package (`sources.embedded`).
- `api`: a worldtimeapi-compatible server over HTTP (`sources.worldtimeapi`, which imports
  requests). Importing this package imports no HTTP stack, so the offline path stays light.

Both answer the same small interface, `TimeSource`: IANA zone keys in, one `ZoneAnswer` per key
out (a ZoneTime, or the one-line reason there is none), plus the requests the answer took for the
run metrics. Resolving what people typed is not theirs (`world_timer.reading` does it first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from world_timer.timekeeping.zonetime import ZoneTime

SOURCES = ("embedded", "api")
"""The names `--source` accepts."""

DEFAULT_API_URL = "http://worldtimeapi.org/api"
"""Base URL of the worldtimeapi protocol: the API is asked `GET {base}/timezone/{zone key}`."""


class ApiSettings(NamedTuple):
    """How the API source is asked.

    `base_url` is the protocol's base (no trailing `/timezone`); `timeout` is the overall deadline
    of one call in seconds (every request, retry and wait included); `concurrency` caps the
    requests in flight; `connect_timeout` caps each connection attempt (seconds, also held to the
    deadline); `retries` caps the retries of one request (connection errors, 429, 502, 503, 504).
    """

    base_url: str = DEFAULT_API_URL
    timeout: float = 5.0
    concurrency: int = 8
    connect_timeout: float = 3.05
    retries: int = 3
    backoff_factor: float = 0.2
    """Seconds; the n-th consecutive retry waits backoff_factor × 2^(n−1) + jitter (urllib3)."""
    max_body_bytes: int = 64 * 1024
    """A worldtimeapi answer is ~500 bytes; anything past this is not one."""

    def zone_url(self, key: str) -> str:
        """Return the URL of one zone: `{base_url}/timezone/{key}`."""
        from urllib.parse import quote

        return f"{self.base_url.rstrip('/')}/timezone/{quote(key, safe='/+')}"


def check_api_url(url: str) -> str:
    """Return `url` when it can be a worldtimeapi base URL (http or https, with a host).

    Raises ValueError with a one-line reason otherwise.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"{url!r} is not an http:// or https:// URL, e.g. {DEFAULT_API_URL}")
    return url.strip()


class ZoneAnswer(Protocol):
    """What a source says of one IANA zone: exactly one of `time` (a ZoneTime) and `failure` (a
    one-line reason: "HTTP 503 after 3 retries", "unknown location") is set."""

    @property
    def zone(self) -> str: ...

    @property
    def time(self) -> ZoneTime | None: ...

    @property
    def failure(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ZoneTimes:
    """One source's answer for a set of zones: {IANA key: ZoneAnswer}, and how each request it
    made ended, as (outcome label, seconds) pairs for the run metrics (none for the embedded
    source, which makes no requests)."""

    answers: Mapping[str, ZoneAnswer]
    requests: Sequence[tuple[str, float]] = ()


class TimeSource(Protocol):
    """Where the time of a zone comes from (`sources.embedded.EMBEDDED`, `sources.worldtimeapi.
    ApiSource`). `name` is the value of `Reading.source` for its answers."""

    @property
    def name(self) -> str: ...

    def read_zones(self, keys: Sequence[str], now: datetime) -> ZoneTimes:
        """Answer every key of `keys` (distinct IANA keys). `now` (aware) is the instant asked
        for; a source with its own clock (an API) answers its own current instant instead.
        Never raises for a failure of one zone: that zone's answer says it."""
        ...
