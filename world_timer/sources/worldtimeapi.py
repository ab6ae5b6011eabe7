"""The API time source: a worldtimeapi client over requests, parallel, bounded and deadline-true.

Protocol: `GET {base}/timezone/{IANA zone key}` answers one JSON object (the worldtimeapi.org
schema, checked by `sources.answer`). One call of `fetch_zone_times` makes one request per distinct
zone over one requests.Session, at most `concurrency` at once, and returns by its overall deadline
(`ApiSettings.timeout`) whatever the servers do:

- Retries are urllib3's `Retry` on the session's adapter (connection errors, 429, 502, 503, 504;
  exponential backoff with jitter; `Retry-After` honoured), held to the deadline: a wait is cut to
  the time left, and no retry starts with less than `MIN_ATTEMPT_SECONDS` left.
- Every connect and read timeout is the configured one cut to the time left when urllib3 asks for
  it, so a retried request cannot outlive the deadline either.
- Bodies are read with `stream=True`, one socket read at a time, checking the deadline between
  reads: a server that trickles bytes is cut off at the deadline.
- Requests run on daemon threads (`sources.pool`), so nothing keeps the process alive after it.
- Redirects are followed within the origin asked only, at most MAX_REDIRECTS, and a Location that
  cannot be parsed is a failed request (`sources.redirects`); any other failure of one request
  falls back for that zone alone.

Each request is logged (logger `world_timer`) by the calling thread: url, status, latency in ms,
retries, outcome.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ProtocolError
from urllib3.util import Retry, Timeout

from world_timer.ops.logs import log_event
from world_timer.sources import ApiSettings, ZoneTimes
from world_timer.sources.answer import AnswerError, UnknownLocationError, parse_answer
from world_timer.sources.pool import Deadline, run_bounded
from world_timer.sources.redirects import MAX_REDIRECTS, RedirectError, next_url
from world_timer.timekeeping.zonetime import ZoneTime

NAME = "api"
"""The value of `Reading.source` for times the API answered."""
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MIN_ATTEMPT_SECONDS = 0.1
"""No retry starts with less time than this left before the deadline."""
_READ_SIZE = 8192
_attempts = threading.local()  # retries of the request running on this thread


@dataclass(frozen=True, slots=True)
class ApiAnswer:
    """The outcome of asking the API for one zone.

    Exactly one of `time` (the checked answer) and `failure` (a one-line reason: "HTTP 503 after
    3 retries", "unknown location", "timeout: no answer within 5 s") is set. `status` is the last
    HTTP status (None when no response came), `latency_ms` the wall time of the whole request
    with its retries, `retries` how many times it was re-sent.
    """

    zone: str
    url: str
    time: ZoneTime | None
    failure: str | None
    status: int | None
    latency_ms: float
    retries: int

    @property
    def outcome(self) -> str:
        """A short label of how the request ended, for metrics: `ok`, `unknown_location`,
        `timeout`, `http_503`, `connection_error` or `invalid_answer`."""
        if self.failure is None:
            return "ok"
        if self.failure.startswith("unknown location"):
            return "unknown_location"
        if self.failure.startswith("timeout"):
            return "timeout"
        if self.status is not None and self.status >= 400:
            return f"http_{self.status}"
        return "invalid_answer" if self.status is not None else "connection_error"

    def log(self) -> None:
        """Log one line for this request on the `world_timer` logger (INFO, WARNING if failed)."""
        fields: dict[str, object] = {
            "url": self.url,
            "status": self.status,
            "latency_ms": round(self.latency_ms, 1),
            "retries": self.retries,
            "outcome": "ok" if self.failure is None else "error",
        }
        if self.failure is not None:
            fields["reason"] = self.failure
        log_event("request", logging.INFO if self.failure is None else logging.WARNING, **fields)


class _DeadlineRetry(Retry):
    """urllib3's Retry, held to a Deadline: waits cut to the time left, no retry without time."""

    deadline: Deadline | None = None

    def new(self, **kw: Any) -> _DeadlineRetry:
        retry = super().new(**kw)
        retry.deadline = self.deadline
        return retry

    def _left(self) -> float:
        return self.deadline.left() if self.deadline is not None else float("inf")

    def is_exhausted(self) -> bool:
        return super().is_exhausted() or self._left() < MIN_ATTEMPT_SECONDS

    def increment(self, *args: Any, **kwargs: Any) -> _DeadlineRetry:
        retry = super().increment(*args, **kwargs)  # raises MaxRetryError when exhausted
        _attempts.retries = getattr(_attempts, "retries", 0) + 1
        return retry

    def get_retry_after(self, response: urllib3.BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None:
            return None
        # Honour the server's wait, but never past the point where one more attempt still fits.
        return max(0.0, min(seconds, self._left() - MIN_ATTEMPT_SECONDS))

    def get_backoff_time(self) -> float:
        return max(0.0, min(super().get_backoff_time(), self._left() - MIN_ATTEMPT_SECONDS))


class _DeadlineTimeout(Timeout):
    """Connect and read timeouts cut to the time left each time urllib3 reads them.

    urllib3 reads `connect_timeout` before each connection and `read_timeout` after sending each
    request (retries included), so no socket wait reaches past the deadline.
    """

    def __init__(self, connect: float, read: float, deadline: Deadline) -> None:
        super().__init__(connect=connect, read=read)
        self.deadline = deadline

    def clone(self) -> _DeadlineTimeout:
        return _DeadlineTimeout(self._connect, self._read, self.deadline)  # type: ignore[arg-type]

    def _cut(self, seconds: Any) -> float:
        # Never 0: a zero socket timeout means non-blocking, not "already late".
        left = max(0.001, self.deadline.left())
        return min(float(seconds), left) if isinstance(seconds, int | float) else left

    @property
    def connect_timeout(self) -> float:
        return self._cut(super().connect_timeout)

    @property
    def read_timeout(self) -> float:
        return self._cut(super().read_timeout)


class _DeadlineExceededError(Exception):
    """The deadline passed while an answer was still arriving."""


class _NoRedirectSession(requests.Session):
    """A Session that never follows or even parses a redirect itself: even with
    allow_redirects=False, Session.send parses the Location to prepare `response.next`, and a
    malformed one raised a ValueError there. Redirects are `request_zone`'s (same origin only)."""

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


def make_session(settings: ApiSettings, deadline: Deadline) -> requests.Session:
    """Return a requests.Session for one call: a connection pool of `settings.concurrency`
    connections per host and deadline-bound retries on every http:// and https:// request."""
    retry = _DeadlineRetry(
        total=settings.retries,
        connect=settings.retries,
        read=1,  # a reset after the request was sent: once, GET is idempotent
        status=settings.retries,
        other=0,
        redirect=3,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff_factor,
        backoff_jitter=settings.backoff_factor,
        backoff_max=settings.timeout,
        respect_retry_after_header=True,
        raise_on_status=False,  # the last response comes back, so its status can be reported
    )
    retry.deadline = deadline
    adapter = HTTPAdapter(
        pool_connections=1, pool_maxsize=max(1, settings.concurrency), max_retries=retry
    )
    session = _NoRedirectSession()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["Accept"] = "application/json"
    return session


def request_zone(
    session: requests.Session, settings: ApiSettings, key: str, deadline: Deadline
) -> ApiAnswer:
    """Ask the API for one zone key; never raises for a network or protocol failure.

    Returns an ApiAnswer with the checked ZoneTime, or with the reason of the failure.
    """
    url = settings.zone_url(key)
    _attempts.retries = 0
    started = time.monotonic()
    status: int | None = None
    zone_time: ZoneTime | None = None
    failure: str | None = None
    timeout = _DeadlineTimeout(
        min(settings.connect_timeout, settings.timeout), settings.timeout, deadline
    )
    try:
        if deadline.expired:
            raise _DeadlineExceededError
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            if deadline.expired:
                raise _DeadlineExceededError
            # requests hands a urllib3 Timeout object through unchanged (HTTPAdapter.send);
            # redirects are followed here, within the origin only (`sources.redirects`).
            with session.get(
                current,
                timeout=timeout,  # type: ignore[arg-type]
                stream=True,
                allow_redirects=False,
            ) as response:
                status = response.status_code
                if response.is_redirect:
                    if hop == MAX_REDIRECTS:
                        raise RedirectError(f"too many redirects (more than {MAX_REDIRECTS})")
                    current = next_url(url, current, response.headers["Location"])
                    continue
                body = _read_body(response.raw, deadline, settings.max_body_bytes)
                content_type = response.headers.get("Content-Type", "")
                zone_time = parse_answer(key, status, content_type, body)
                break
    except UnknownLocationError as exc:
        failure = str(exc)
    except AnswerError as exc:
        failure = _with_retries(str(exc))
    except (
        requests.RequestException,
        urllib3.exceptions.HTTPError,
        http.client.HTTPException,
        OSError,
        ValueError,  # a URL or header that urllib3 or http.client cannot parse
        _DeadlineExceededError,
    ) as exc:
        failure = _with_retries(_describe(exc, deadline))
    return ApiAnswer(
        zone=key,
        url=url,
        time=zone_time,
        failure=failure,
        status=status,
        latency_ms=(time.monotonic() - started) * 1000,
        retries=getattr(_attempts, "retries", 0),
    )


def fetch_zone_times(keys: list[str], settings: ApiSettings) -> dict[str, ApiAnswer]:
    """Ask the API for each distinct zone key, in parallel, and return {key: ApiAnswer} by the
    deadline (`settings.timeout` seconds from now).

    A zone whose request has not finished at the deadline gets a "timeout" failure. One line per
    request is logged, in the order of `keys`.
    """
    distinct = list(dict.fromkeys(keys))
    deadline = Deadline(settings.timeout)
    started = time.monotonic()
    session = make_session(settings, deadline)
    tasks = [partial(request_zone, session, settings, key, deadline) for key in distinct]
    futures = run_bounded(tasks, settings.concurrency, deadline)
    answers: dict[str, ApiAnswer] = {}
    for key, future in zip(distinct, futures, strict=True):
        if future.done() and not future.cancelled() and future.exception() is None:
            answer = future.result()
        else:
            # Not done by the deadline, or a failure request_zone did not foresee: either way a
            # failed request, so this row falls back and no other row is lost.
            error = future.exception() if future.done() and not future.cancelled() else None
            answer = ApiAnswer(
                zone=key,
                url=settings.zone_url(key),
                time=None,
                failure=_deadline_text(deadline) if error is None else _describe(error, deadline),
                status=None,
                latency_ms=(time.monotonic() - started) * 1000,
                retries=0,
            )
        answer.log()
        answers[key] = answer
    if all(future.done() for future in futures):
        session.close()  # else a straggler still uses it; it goes with the daemon thread
    return answers


class ApiSource:
    """The `TimeSource` of a worldtimeapi server: each `read_zones` is one `fetch_zone_times`
    call (parallel, held to `settings.timeout`), its requests reported for the run metrics."""

    name = NAME

    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings

    def read_zones(self, keys: Sequence[str], now: datetime) -> ZoneTimes:
        """{key: ApiAnswer} for `keys`; `now` is not used: the server answers its own instant."""
        answers = fetch_zone_times(list(keys), self.settings)
        return ZoneTimes(answers, [(a.outcome, a.latency_ms / 1000) for a in answers.values()])


def _read_body(raw: Any, deadline: Deadline, limit: int) -> bytes:
    """Read a streamed body one socket read at a time, giving up at the deadline or past `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if deadline.expired:
            raise _DeadlineExceededError
        chunk = raw.read1(_READ_SIZE, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise AnswerError(f"answer larger than {limit} bytes")
        chunks.append(chunk)


def _deadline_text(deadline: Deadline) -> str:
    return f"timeout: no complete answer within {deadline.seconds:g} s"


_CAUSES: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (ConnectionRefusedError, "connection refused"),
    ((ConnectionResetError, BrokenPipeError), "connection reset"),
    ((socket.gaierror, urllib3.exceptions.NameResolutionError), "host not found"),
    (http.client.IncompleteRead, "truncated answer"),
    (http.client.RemoteDisconnected, "connection closed without an answer"),
)


def _describe(exc: BaseException, deadline: Deadline) -> str:
    """A one-line reason for a network failure, from the innermost cause urllib3 wrapped."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10 and current not in chain:
        chain.append(current)
        inner = getattr(current, "reason", None)  # MaxRetryError
        if not isinstance(inner, BaseException):
            inner = next((a for a in current.args if isinstance(a, BaseException)), None)
        current = inner or current.__cause__ or current.__context__
    timeouts = (TimeoutError, urllib3.exceptions.TimeoutError, _DeadlineExceededError)
    for cause in reversed(chain):
        text = next((text for kind, text in _CAUSES if isinstance(cause, kind)), None)
        if text is not None:
            return text
        if isinstance(cause, urllib3.exceptions.ConnectTimeoutError) and not deadline.expired:
            return "timeout while connecting"
        if isinstance(cause, timeouts):
            return _deadline_text(deadline)
    if any(isinstance(cause, ProtocolError) for cause in chain):
        return "connection broken"
    return f"request failed ({type(exc).__name__})"


def _with_retries(text: str) -> str:
    retries = getattr(_attempts, "retries", 0)
    if not retries:
        return text
    return f"{text} after {retries} retr{'y' if retries == 1 else 'ies'}"
