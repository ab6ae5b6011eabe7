"""The app factory: `make_app(...)` returns the time API as a plain ASGI application.

No web framework: the routes are a handful of fixed paths (`api.Api`), so the app is the ASGI
callable itself, which measured fastest (see README, `make bench-server`). The app moves bytes,
picks the client's IP address, counts metrics and logs; `Api` decides every answer.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from prometheus_client import CollectorRegistry

from world_timer.server.api import CITY_ROUTE, JSON, TEXT, Api, Reply, error
from world_timer.server.geoip import address_value, open_geoip
from world_timer.server.metrics import CONTENT_TYPE, Metrics, make_metrics
from world_timer.server.openapi import openapi_document

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

ACCESS_LOGGER = "world_timer.access"
# The RSGI response headers by media type and zone source (/api/ip answers), built once:
# Granian copies them out per response.
_RSGI_HEADERS = {
    (kind, source): [("content-type", kind), ("cache-control", "no-store")]
    + ([("x-zone-source", source)] if source else [])
    for kind in (JSON, TEXT, CONTENT_TYPE)
    for source in (None, "geoip", "default")
}
ERROR_LOGGER = "world_timer.server"
MAX_REMEMBERED_HOPS = 4096
"""X-Forwarded-For entries whose trust is remembered per worker (`trust_checker`)."""
MAX_ADDRESS_LENGTH = 45
"""The longest text of an IP address (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`)."""
TrustCheck = Callable[[str], bool | None]
MAX_COSTLY_WAITING = 32
"""Costly requests (place searches, `Api.costly`) queued or running at once per worker; more get
503 with Retry-After: 1 at once, so a flood of them costs bounded memory and cannot delay the rest.
"""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Parse trusted proxies given as addresses or CIDR networks (`127.0.0.1`, `10.0.0.0/8`).

    Raises ValueError on a malformed one.
    """
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def client_ip(peer: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's IP address: the socket peer, unless the peer is a trusted proxy; then the
    right-most address of X-Forwarded-For that is not itself a trusted proxy."""
    return forwarded_client(peer, forwarded_for, trust_checker(trusted)) if trusted else peer


def forwarded_client(peer: str, forwarded_for: str | None, check: TrustCheck) -> str:
    """`client_ip` with the trusted networks as a `trust_checker` (built once per app)."""
    if not forwarded_for or not check(peer):
        return peer
    for entry in reversed(forwarded_for.split(",")):
        hop = entry.strip()
        trusted = check(hop)
        if trusted is None:
            return peer  # a forged or garbled header: believe only the socket
        if not trusted:
            return hop
    return peer


def trust_checker(trusted: tuple[Network, ...]) -> TrustCheck:
    """A function of an address string: True when it is in a `trusted` network, False for any
    other address, None for text that is no IP address. It remembers the last
    MAX_REMEMBERED_HOPS strings: a proxy's own address comes with every request. Addresses are
    read by `geoip.address_value` (inet_pton), five times cheaper than `ipaddress`."""
    spans = [(n.version, int(n.network_address), int(n.broadcast_address)) for n in trusted]

    @lru_cache(maxsize=MAX_REMEMBERED_HOPS)
    def remembered(address: str) -> bool | None:
        try:
            version, value = address_value(address)
        except (OSError, ValueError):
            return None
        return any(v == version and low <= value <= high for v, low, high in spans)

    def check(address: str) -> bool | None:
        # no address is longer (IPv4-mapped IPv6): longer text is not remembered
        return remembered(address) if len(address) <= MAX_ADDRESS_LENGTH else None

    return check


class TimeApp:
    """The time API as one object that speaks both ASGI 3 (`__call__`) and RSGI (`__rsgi__`).

    Granian serves it through RSGI, which measured fastest; the ASGI face lets tests and any
    ASGI server (uvicorn) run the very same routes. Build it with `make_app`.
    """

    def __init__(
        self,
        api: Api,
        metrics: Metrics,
        trusted: tuple[Network, ...],
        access_log: bool,
    ) -> None:
        self.api = api
        self.metrics = metrics
        self.trusted = trusted
        self._trust = trust_checker(trusted) if trusted else None
        self.access_log = access_log
        self._access = logging.getLogger(ACCESS_LOGGER)
        self._errors = logging.getLogger(ERROR_LOGGER)
        # One thread for the costly requests: the event loop keeps answering the cheap ones
        # while it works (they take the GIL at each switch interval), and at most one CPU's
        # worth of a worker goes to place searches.
        self._costly_pool: ThreadPoolExecutor | None = None
        self._costly_waiting = 0

    async def reply(self, method: str, raw_path: bytes, peer: str, forwarded: str | None) -> Reply:
        """`answer`, with costly requests run on the costly-request thread (at most
        MAX_COSTLY_WAITING at once; beyond that a 503 answer at once)."""
        if not self.api.costly(method, raw_path):
            return self.answer(method, raw_path, peer, forwarded)
        if self._costly_waiting >= MAX_COSTLY_WAITING:
            return error(503, "busy: too many place searches at once, retry later", CITY_ROUTE)
        if self._costly_pool is None:
            self._costly_pool = ThreadPoolExecutor(1, thread_name_prefix="world-timer-search")
        self._costly_waiting += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._costly_pool, self.answer, method, raw_path, peer, forwarded
            )
        finally:
            self._costly_waiting -= 1

    def answer(self, method: str, raw_path: bytes, peer: str, forwarded: str | None) -> Reply:
        """Answer one request (never raises: a bug of ours becomes a logged 500)."""
        try:
            if raw_path == b"/metrics":
                return _metrics_reply(method, self.metrics)
            client = forwarded_client(peer, forwarded, self._trust) if self._trust else peer
            return self.api.answer(method, raw_path, client)
        except Exception:
            self._errors.exception("error answering %s %r", method, raw_path)
            return error(500, "internal error", "unmatched")

    def done(self, method: str, raw_path: bytes, peer: str, reply: Reply, started: float) -> None:
        """Count a sent answer in the metrics and, when enabled, the access log."""
        seconds = time.perf_counter() - started
        self.metrics.observe(reply.route, method, reply.status, seconds)
        if reply.status == 200 and reply.zone is not None:
            # a ZoneInfo's key; the fixed UTC of a `--default-zone UTC` has none: "UTC"
            self.metrics.zone(getattr(reply.zone, "key", None) or str(reply.zone))
        if self.access_log:
            self._access.info(
                "%s %s %r %d %d %.3fms",
                peer,
                method,
                raw_path.decode("latin-1"),
                reply.status,
                0 if method == "HEAD" else len(reply.body),
                seconds * 1000,
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":
            return  # websockets are not served: returning closes them
        started = time.perf_counter()
        method: str = scope["method"]
        raw_path: bytes = (scope.get("raw_path") or scope["path"].encode()).partition(b"?")[0]
        peer = scope["client"][0] if scope.get("client") else "-"
        forwarded = _header(scope, b"x-forwarded-for") if self.trusted else None
        hosts = sum(1 for key, _ in scope["headers"] if key.lower() == b"host")
        metrics = self.metrics
        metrics.started()
        try:
            reply = host_refusal(scope.get("http_version"), hosts) or await self.reply(
                method, raw_path, peer, forwarded
            )
            headers = [
                (b"content-type", reply.content_type.encode()),
                (b"content-length", str(len(reply.body)).encode()),
                (b"cache-control", b"no-store"),
            ]
            if reply.zone_source is not None:
                headers.append((b"x-zone-source", reply.zone_source.encode()))
            if reply.status == 405:
                headers.append((b"allow", b"GET, HEAD"))
            elif reply.status == 503:
                headers.append((b"retry-after", b"1"))
            await send({"type": "http.response.start", "status": reply.status, "headers": headers})
            body = b"" if method == "HEAD" else reply.body
            await send({"type": "http.response.body", "body": body})
        finally:
            metrics.finished()
        self.done(method, raw_path, peer, reply, started)

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        started = time.perf_counter()
        method: str = scope.method
        raw_path = _rsgi_raw_path(scope.path)
        peer = scope.client.rpartition(":")[0].strip("[]")
        forwarded = None
        if self.trusted:  # every X-Forwarded-For line, as the ASGI face joins them
            forwarded = ",".join(scope.headers.get_all("x-forwarded-for")) or None
        refused = None
        if scope.http_version == "1.1":
            refused = host_refusal("1.1", len(scope.headers.get_all("host")))
        metrics = self.metrics
        metrics.started()
        try:
            reply = refused or await self.reply(method, raw_path, peer, forwarded)
            headers = _RSGI_HEADERS.get((reply.content_type, reply.zone_source)) or [
                ("content-type", reply.content_type),
                ("cache-control", "no-store"),
            ]
            if reply.status == 405:
                headers = [*headers, ("allow", "GET, HEAD")]
            elif reply.status == 503:
                headers = [*headers, ("retry-after", "1")]
            if method == "HEAD":
                headers = [*headers, ("content-length", str(len(reply.body)))]
                proto.response_empty(reply.status, headers)
            else:
                proto.response_bytes(reply.status, headers, reply.body)
        finally:
            metrics.finished()
        self.done(method, raw_path, peer, reply, started)


def make_app(
    registry: CollectorRegistry | None = None,
    default_zone: tzinfo | None = None,
    trusted_proxies: Iterable[str] = (),
    now: Callable[[], datetime] = _utc_now,
    access_log: bool = False,
    shared_metrics: bool | None = None,
    geoip_db: str | Path | None = None,
) -> TimeApp:
    """Return the time API app (ASGI 3 and RSGI; HTTP only, lifespan messages acknowledged).

    `registry` receives the metrics (default: a new CollectorRegistry); `default_zone` answers
    `/api/ip` (default UTC); `trusted_proxies` are addresses or CIDR networks whose
    X-Forwarded-For is believed; `now` returns the current instant (aware datetime); with
    `access_log`, one INFO line per request goes to the `world_timer.access` logger;
    `shared_metrics` picks prometheus_client's metric objects over plain numbers (default: when
    PROMETHEUS_MULTIPROC_DIR is set; see `world_timer.server.metrics`); `geoip_db` is a MaxMind
    DB file that places `/api/ip` callers (opened here, once per worker; None: every caller gets
    the default zone).
    Raises ValueError for a malformed trusted proxy, GeoIpError for a database it cannot use.
    """
    geoip = open_geoip(Path(geoip_db)) if geoip_db else None
    api = Api(default_zone, now, openapi_document(), geoip)
    metrics = make_metrics(
        registry if registry is not None else CollectorRegistry(), shared_metrics
    )
    return TimeApp(api, metrics, parse_networks(trusted_proxies), access_log)


def host_refusal(http_version: str | None, hosts: int) -> Reply | None:
    """The 400 answer RFC 9112 §3.2 requires for an HTTP/1.1 request with no Host header line or
    with several (`hosts` is how many it had); None when the request may be answered. HTTP/1.0
    needs none; HTTP/2 and later carry the authority otherwise."""
    if http_version != "1.1" or hosts == 1:
        return None
    message = "missing Host header" if hosts == 0 else "more than one Host header"
    return error(400, message, "unmatched")


def _metrics_reply(method: str, metrics: Metrics) -> Reply:
    if method not in ("GET", "HEAD"):
        return error(405, "method not allowed", "/metrics", allowed=["GET", "HEAD"])
    return Reply(200, metrics.exposition(), CONTENT_TYPE, "/metrics")


def _rsgi_raw_path(path: str) -> bytes:
    """Granian hands RSGI apps the path already percent-decoded (bad UTF-8 as U+FFFD); encode it
    again so `Api.answer` sees what an ASGI server passes as `raw_path`."""
    if path.isascii() and "%" not in path:
        return path.encode("ascii")  # nothing that unquoting could change: the common case
    if "\ufffd" in path:
        return b"/%FF"  # the bytes were not UTF-8: answered 400 "malformed path: not UTF-8"
    return quote(path, safe="/").encode("ascii")


def _header(scope: Scope, name: bytes) -> str | None:
    values = [value for key, value in scope["headers"] if key.lower() == name]
    return b",".join(values).decode("latin-1") if values else None


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
