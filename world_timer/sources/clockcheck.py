"""Clock check: the local clock against a worldtimeapi server's, with the uncertainty of the wire.

Method (Cristian's algorithm, as NTP's simplest form): read the local clock just before sending,
measure the round trip on the monotonic clock, and compare the API's `utc_datetime` (microseconds)
with the local time at the middle of the round trip. The server read its clock somewhere within
the round trip, so the skew is known to ±half the round trip. Of several samples, the one with the
shortest round trip is kept (the least uncertain).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from world_timer.sources import ApiSettings

CLOCK_ZONE = "Etc/UTC"
"""The zone asked for the check (any zone would do: its utc_datetime is what is compared)."""


class ClockCheckError(Exception):
    """No sample of the API's time could be read; str() is the last one-line reason."""


@dataclass(frozen=True, slots=True)
class ClockSkew:
    """Local clock minus the API's clock, in seconds (positive: the local clock is ahead).

    `uncertainty` is ± seconds (half the round trip of the sample kept), `round_trip` seconds,
    `samples` how many answers were read.
    """

    skew: float
    uncertainty: float
    round_trip: float
    samples: int
    api_url: str

    def describe(self) -> str:
        """`local clock is 2.4 s ahead of the API, ±0.05 s` (or behind, or agrees)."""
        margin = f"±{max(self.uncertainty, 0.01):.2f} s"
        if abs(self.skew) <= self.uncertainty or round(abs(self.skew), 2) == 0:
            return f"local clock agrees with the API, {margin}"
        amount = f"{abs(self.skew):.1f}" if abs(self.skew) >= 1 else f"{abs(self.skew):.2f}"
        side = "ahead of" if self.skew > 0 else "behind"
        return f"local clock is {amount} s {side} the API, {margin}"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: skew_seconds, uncertainty_seconds, round_trip_seconds, samples, api_url."""
        return {
            "skew_seconds": round(self.skew, 6),
            "uncertainty_seconds": round(self.uncertainty, 6),
            "round_trip_seconds": round(self.round_trip, 6),
            "samples": self.samples,
            "api_url": self.api_url,
        }


def measure_clock_skew(
    settings: ApiSettings,
    now: Callable[[], datetime] | None = None,
    samples: int = 3,
) -> ClockSkew:
    """Ask the API for `CLOCK_ZONE` up to `samples` times, one after another, within
    `settings.timeout` seconds in all (whatever the server does), and return the skew of the
    local clock `now` (aware datetimes; default the system clock).

    Raises ClockCheckError when no answer could be read and checked.
    """
    from functools import partial

    from world_timer.sources.pool import Deadline, run_bounded
    from world_timer.sources.worldtimeapi import make_session, request_zone

    clock = now or (lambda: datetime.now(UTC))
    deadline = Deadline(settings.timeout)
    best: tuple[float, float] | None = None  # (round trip, skew)
    read = 0
    failure = "no answer"
    with make_session(settings, deadline) as session:
        for _ in range(samples):
            if deadline.expired:
                break
            sent_at = clock()
            started = time.monotonic()
            # On a daemon thread, waited for until the deadline: a server that trickles its
            # headers a byte at a time never lets a socket timeout fire, the deadline does.
            task = partial(request_zone, session, settings, CLOCK_ZONE, deadline)
            (future,) = run_bounded([task], 1, deadline)
            round_trip = time.monotonic() - started
            if not future.done() or future.cancelled() or future.exception() is not None:
                failure = f"timeout: no complete answer within {settings.timeout:g} s"
                break
            answer = future.result()
            answer.log()
            if answer.time is None:
                failure = answer.failure or failure
                continue
            read += 1
            local_mid = sent_at + timedelta(seconds=round_trip / 2)
            skew = (local_mid - answer.time.utc).total_seconds()
            if best is None or round_trip < best[0]:
                best = (round_trip, skew)
    if best is None:
        raise ClockCheckError(failure)
    round_trip, skew = best
    return ClockSkew(skew, round_trip / 2, round_trip, read, settings.base_url)
