"""The worldtimeapi protocol, apart from any server: a request path in, a status and a body out.

`Api.answer(method, raw_path, client_ip)` routes one request; the ASGI adapter (`app.py`) only
moves bytes and counts metrics. Every time answer is `zone_time(zone, now).to_worldtimeapi()` plus
`client_ip`, the one model of the CLI's JSON output. Zone keys are only ever looked up through
`world_timer.timekeeping.zones.canonical_key` (the tzdata package's own list), so no path can
open a file.

Routes (GET and HEAD; any other method is 405):
- `/api/timezone[.txt]`: every zone key; `/api/timezone/{area}[.txt]`: the keys of an area.
- `/api/timezone/{area}/{location}[/{region}][.txt]`: the worldtimeapi object of that zone.
- `/api/ip[.txt]`: the object of the client's zone (its IP address looked up in the geo-IP
  database, `geoip.GeoIp`), else of the server's default zone; `/api/ip/{address}[.txt]`: the
  same for a given IPv4 or IPv6 address (a malformed one is 400). Both add `zone_source`
  (`geoip` or `default`) after the worldtimeapi fields, and the adapter sends it as the
  X-Zone-Source header.
- `/api/city/{query}`: our extension, the place a query resolves to (like the CLI) plus its zone.
- `/healthz`, `/openapi.json`; `/metrics` is answered by the adapter.
Errors are JSON: 404 `{"error": "unknown location"}`, 400 for malformed paths, never a 500.
What a path may hold is said once here (REFUSED_CHARACTERS, MAX_PATH_LENGTH, DOT_SEGMENTS) and
`world_timer.server.openapi` writes its parameter patterns from the same constants.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

import orjson

from world_timer.errors import EmptyQueryError, PlaceError
from world_timer.server.answers import TimeAnswers
from world_timer.server.geoip import GeoIp, parse_address
from world_timer.timekeeping.zones import (
    area_name,
    canonical_key,
    load_zone,
    zone_keys,
    zones_in_area,
)

MAX_REMEMBERED_PATHS = 8192
"""Routed zone paths remembered per process (each a few hundred bytes)."""
MAX_PATH_LENGTH = 256
"""Longest request path answered, in characters after percent-decoding (so a character counts
once however the client encoded it; Granian hands RSGI apps the path decoded anyway); longer
ones get 400. A percent-encoded path over 12 times as long (4 UTF-8 bytes as `%XX` each) is
refused before decoding."""
MAX_ENCODED_PATH_LENGTH = 12 * MAX_PATH_LENGTH
REFUSED_CHARACTERS = r"\u0000-\u001f\u007f-\u009f\\\ufffd"
"""The characters no path may hold once decoded, as the inside of a regular expression class
(the same text in Python and ECMA-262): every control character (Unicode category Cc, tabs and
line breaks included), the backslash, and U+FFFD (Granian hands bytes that were not UTF-8 to the
app as U+FFFD, so a path holding it is refused whichever server runs the app). Any gets 400."""
DOT_SEGMENTS = (".", "..")
"""Path segments refused with 400 (they would climb the path)."""
MAX_REMEMBERED_MISSES = 4096
"""`/api/city/` paths that found no place, remembered per process (least recently asked first
out): a miss costs a fuzzy search of the gazetteer, an answer from memory about a microsecond.
Each is its raw path and answer, at most about 3.5 KB (256 four-byte characters percent-encoded):
at most about 15 MB per worker, 3 MB for ASCII queries."""
CITY_ROUTE = "/api/city/{query}"
CITY_PREFIX = b"/api/city/"
IP_PATHS = {b"/api/ip": False, b"/api/ip.txt": True}
"""The paths of the caller's own zone → whether the answer is text."""
IP_ROUTES = ("/api/ip", "/api/ip.txt", "/api/ip/{address}", "/api/ip/{address}.txt")
ALTERNATIVES_SHOWN = 5
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
METHODS = ("GET", "HEAD")


class Reply(NamedTuple):
    """One answer: HTTP status, body bytes, its media type, and the route template it matched
    (`/api/timezone/{area}/{location}`, or `unmatched`), which labels the metrics."""

    status: int
    body: bytes
    content_type: str
    route: str
    zone: tzinfo | None = None  # the zone a time answer is for (routing memo)
    txt: bool = False
    zone_source: str | None = None  # /api/ip answers: "geoip" or "default" (X-Zone-Source)


def _utc_now() -> datetime:
    return datetime.now(UTC)


# One encoder for every answer: json.dumps would build a new one per call.
def to_json(obj: Any) -> bytes:
    """Compact UTF-8 JSON, as worldtimeapi.org sends it (orjson: keys in insertion order)."""
    return orjson.dumps(obj)


def to_text(obj: Any) -> bytes:
    """The `.txt` form: `key: value` lines (null as empty, booleans as true/false) for an
    object, one item a line for a list."""
    if isinstance(obj, list):
        return "".join(f"{item}\n" for item in obj).encode()
    lines = []
    for key, value in obj.items():
        shown = "" if value is None else json.dumps(value) if isinstance(value, bool) else value
        lines.append(f"{key}: {shown}\n")
    return "".join(lines).encode()


_REFUSED = re.compile(f"[{REFUSED_CHARACTERS}]")


def _decoded_path(raw_path: bytes) -> str | Reply:
    """The percent-decoded path, or the 400 answer refusing it: too long, not UTF-8, or holding
    one of REFUSED_CHARACTERS."""
    too_long = len(raw_path) > MAX_ENCODED_PATH_LENGTH
    if not too_long:
        try:
            path = unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            return error(400, "malformed path: not UTF-8", "unmatched")
        too_long = len(path) > MAX_PATH_LENGTH
    if too_long:
        return error(400, "request path too long", "unmatched", limit=MAX_PATH_LENGTH)
    if _REFUSED.search(path):
        return error(400, "malformed path: control characters", "unmatched")
    return path


def error(status: int, message: str, route: str, **extra: Any) -> Reply:
    """A JSON error answer `{"error": message, ...extra}`."""
    return Reply(status, to_json({"error": message, **extra}), JSON, route)


class Api:
    """The routes of the time API, configured once per process (see module docstring).

    `default_zone` answers `/api/ip` for an address that `geoip` (an open database, or None for
    none) does not place; `now` returns the current instant as an aware datetime (tests inject
    a fixed one).
    """

    def __init__(
        self,
        default_zone: tzinfo | None = None,
        now: Callable[[], datetime] = _utc_now,
        openapi: bytes = b"{}",
        geoip: GeoIp | None = None,
    ) -> None:
        self.default_zone = default_zone or load_zone("UTC")
        self.geoip = geoip
        self.now = now
        self.openapi = openapi
        self._all_keys = sorted(zone_keys().values())
        self._answers = TimeAnswers()
        # raw path → (zone, route, .txt) for paths already routed to a zone: a time API is asked
        # for the same few zones again and again. Bounded by the number of distinct good paths.
        self._zone_paths: dict[tuple[str, bytes], tuple[tzinfo, str, bool]] = {}
        # (method, raw path) → the 4xx answer of an /api/city/ query that found nothing: a miss
        # does not depend on the instant, and the gazetteer does not change while we run. The
        # lock is there because costly requests are answered on another thread (app.py).
        self._misses: OrderedDict[tuple[str, bytes], Reply] = OrderedDict()
        self._misses_lock = threading.Lock()

    def answer(self, method: str, raw_path: bytes, client_ip: str) -> Reply:
        """Answer one request. `raw_path` is the percent-encoded path without the query string."""
        known = self._zone_paths.get((method, raw_path))
        if known is not None:
            return self._time(known[0], client_ip, known[1], known[2])
        txt = IP_PATHS.get(raw_path)
        if txt is not None and method in METHODS:
            return self._ip(client_ip, client_ip, txt, IP_ROUTES[txt])
        if raw_path.startswith(CITY_PREFIX):
            return self._city_answer(method, raw_path, client_ip)
        reply = self._answer(method, raw_path, client_ip)
        # The zone of an /api/ip answer depends on the caller, or on an address: never a memo.
        if (
            reply.zone is not None
            and reply.zone_source is None
            and len(self._zone_paths) < MAX_REMEMBERED_PATHS
        ):
            self._zone_paths[method, raw_path] = (reply.zone, reply.route, reply.txt)
        return reply

    def costly(self, method: str, raw_path: bytes) -> bool:
        """True when answering would search the gazetteer (an /api/city/ path not remembered as
        a miss): up to tens of milliseconds of CPU, so the server answers it off its event loop
        (`world_timer.server.app`). Everything else costs microseconds."""
        if not raw_path.startswith(CITY_PREFIX):
            return False
        with self._misses_lock:
            return (method, raw_path) not in self._misses

    def _city_answer(self, method: str, raw_path: bytes, client_ip: str) -> Reply:
        key = (method, raw_path)
        with self._misses_lock:
            remembered = self._misses.get(key)
            if remembered is not None:
                self._misses.move_to_end(key)
                return remembered
        reply = self._answer(method, raw_path, client_ip)
        if 400 <= reply.status < 500:
            with self._misses_lock:
                self._misses[key] = reply
                if len(self._misses) > MAX_REMEMBERED_MISSES:
                    self._misses.popitem(last=False)
        return reply

    def _answer(self, method: str, raw_path: bytes, client_ip: str) -> Reply:
        path = _decoded_path(raw_path)
        if isinstance(path, Reply):
            return path
        parts = path.strip("/").split("/") if path != "/" else [""]
        if any(part in DOT_SEGMENTS for part in parts):
            return error(400, "malformed path: dot segments", "unmatched")
        reply = self._route(parts, client_ip)
        if method not in METHODS and reply.status != 404:
            return error(405, "method not allowed", reply.route, allowed=list(METHODS))
        return reply

    def _route(self, parts: list[str], client_ip: str) -> Reply:
        head = parts[0]
        if head == "api" and len(parts) > 1:
            kind = parts[1]
            if kind in ("timezone", "timezone.txt"):
                return self._timezone(parts[2:], kind.endswith(".txt"), client_ip)
            if kind in ("ip", "ip.txt") and len(parts) <= 3:
                return self._ip_route(kind, parts[2:], client_ip)
            if kind == "city" and len(parts) >= 3:
                return self._city("/".join(parts[2:]), client_ip)
        elif len(parts) == 1:
            if head == "healthz":
                return Reply(200, b'{"status":"ok"}', JSON, "/healthz")
            if head == "openapi.json":
                return Reply(200, self.openapi, JSON, "/openapi.json")
        return error(404, "not found", "unmatched")

    def _timezone(self, parts: list[str], txt: bool, client_ip: str) -> Reply:
        if txt and parts:  # `.txt` belongs on the last segment only
            return error(404, "not found", "unmatched")
        if parts and parts[-1].endswith(".txt"):
            txt = True
            parts = [*parts[:-1], parts[-1].removesuffix(".txt")]
        suffix = ".txt" if txt else ""
        if not parts:
            return self._listing(self._all_keys, "/api/timezone" + suffix, txt)
        templates = ("/{area}", "/{area}/{location}", "/{area}/{location}/{region}")
        if len(parts) > len(templates) or not all(parts):
            return error(404, "unknown location", "unmatched")
        route = "/api/timezone" + templates[len(parts) - 1] + suffix
        text = "/".join(parts)
        key = canonical_key(text)
        if key is not None:
            return self._time(load_zone(key), client_ip, route, txt)
        if area_name(parts[0]) is not None:
            keys = zones_in_area(text)
            if keys:  # `Europe`, `America/Argentina`: list the keys under it
                return self._listing(keys, route, txt)
        return error(404, "unknown location", route)

    def _listing(self, keys: list[str], route: str, txt: bool) -> Reply:
        if txt:
            return Reply(200, to_text(keys), TEXT, route)
        return Reply(200, to_json(keys), JSON, route)

    def time_object(self, zone: tzinfo, client_ip: str) -> dict[str, Any]:
        """The worldtimeapi object of `zone` now, `client_ip` in its alphabetical place: the
        fields of `zone_time(zone, now).to_worldtimeapi()`, made fast by `TimeAnswers`."""
        return self._answers.object(zone, self.now(), client_ip)

    def _time(self, zone: tzinfo, client_ip: str, route: str, txt: bool) -> Reply:
        obj = self.time_object(zone, client_ip)
        if txt:
            return Reply(200, to_text(obj), TEXT, route, zone, txt)
        return Reply(200, to_json(obj), JSON, route, zone, txt)

    def _ip_route(self, kind: str, rest: list[str], client_ip: str) -> Reply:
        """`/api/ip[.txt]`: the caller's zone; `/api/ip/{address}[.txt]`: the zone of a given
        address (`client_ip` stays the caller's, as in every answer)."""
        if not rest:
            txt = kind.endswith(".txt")
            return self._ip(client_ip, client_ip, txt, IP_ROUTES[txt])
        text = rest[0]
        if kind != "ip" or not text:
            return error(404, "not found", "unmatched")
        txt = text.endswith(".txt")
        route = IP_ROUTES[2 + txt]
        address = text.removesuffix(".txt")
        try:
            parse_address(address)
        except ValueError as exc:
            return error(400, "malformed IP address", route, detail=str(exc))
        return self._ip(address, client_ip, txt, route)

    def _ip(self, address: str, client_ip: str, txt: bool, route: str) -> Reply:
        """The time answer of the zone `address` is in (the geo-IP database's, or the default
        zone), with `zone_source` saying which."""
        key = self.geoip.zone_key(address) if self.geoip is not None else None
        zone, source = (self.default_zone, "default") if key is None else (load_zone(key), "geoip")
        obj = self.time_object(zone, client_ip)
        obj["zone_source"] = source
        if txt:
            return Reply(200, to_text(obj), TEXT, route, zone, txt, source)
        return Reply(200, to_json(obj), JSON, route, zone, txt, source)

    def _city(self, query: str, client_ip: str) -> Reply:
        from world_timer.places.gazetteer import gazetteer
        from world_timer.places.resolve import resolve

        route = CITY_ROUTE
        now = self.now()
        try:
            found = resolve(query, now)
        except EmptyQueryError:
            return error(400, "empty query", route)
        except PlaceError as exc:
            return error(
                404, "unknown location", route, detail=str(exc), suggestions=_suggestions(exc)
            )
        place = found.place
        alternatives = []
        if place is not None:
            from world_timer.places.normalize import normalize

            others = gazetteer().by_name(normalize(place.name), official_only=True)
            alternatives = [
                _place_summary(o.to_dict()) for o in others if o.geonameid != place.geonameid
            ][:ALTERNATIVES_SHOWN]
        body = {
            "query": query,
            "label": found.label,
            "place": _place_summary(place.to_dict()) if place else None,
            "notes": list(found.notes),
            "alternatives": alternatives,
            "time": self.time_object(found.zone, client_ip),
        }
        return Reply(200, to_json(body), JSON, route)


def _place_summary(place: dict[str, object]) -> dict[str, object]:
    keys = ("name", "country", "country_code", "admin1", "population", "geonameid", "timezone")
    return {key: place[key] for key in keys}


def _suggestions(exc: PlaceError) -> list[str]:
    return list(getattr(exc, "suggestions", ()))
