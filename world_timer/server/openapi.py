"""The OpenAPI 3.1 document of the time API, served at `/openapi.json`: a contract a fuzzer checks.

One table, ROUTES, lists every route `api.Api` and the app answer: its template, summary, what
a 200 holds and whether it can be busy (503). Every operation documents every answer it can give
(`tests/test_server_contract.py` runs schemathesis with all its checks against a real server):

- 200, and for HEAD the same headers without a body;
- 400: a path the server refuses (a JSON error) or an HTTP/1.1 request without a Host header
  line (JSON), or a request the HTTP layer cannot parse (Granian, no body);
- 404 (templated routes only): an unknown zone, area or place, a JSON error;
- 405 for any other method than GET and HEAD, with `Allow: GET, HEAD`;
- 414 and 431 from Granian (a request line over 64 KiB, over 100 header lines), no body;
- 503 with `Retry-After: 1` where a place search can be refused for being one too many.

The path parameter patterns are written from the constants `api.Api` refuses with (every
control character, the backslash and U+FFFD, the `.` and `..` segments, whitespace-only queries,
MAX_PATH_LENGTH characters in all), so a value the document allows is never refused with 400;
the last segment of a JSON route cannot end in `.txt` (that is the `.txt` route). Each
parameter's `maxLength` is its share of MAX_PATH_LENGTH: a per-parameter schema cannot say
"these add up to at most N".
Examples are real zones and places (Europe/London, Asia/Tokyo), so a fuzzer reaches real answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from world_timer.server.api import DOT_SEGMENTS, MAX_PATH_LENGTH, METHODS, REFUSED_CHARACTERS

BLANKS = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""The characters `str.strip()` removes that are not control characters (those are refused
anyway): a query of nothing else is empty (400). tests/test_server_contract.py checks the set."""

_SEGMENT = f"[^{REFUSED_CHARACTERS}/]"
_NOT_DOTS = "(?!(?:" + "|".join(re.escape(dots) for dots in DOT_SEGMENTS) + ")$)"
PATTERNS = {
    "segment": f"^{_NOT_DOTS}{_SEGMENT}+$",
    "last": f"^{_NOT_DOTS}(?!.*\\.txt$){_SEGMENT}+$",
    "query": f"^{_NOT_DOTS}{_SEGMENT}*[^{REFUSED_CHARACTERS}/{BLANKS}]{_SEGMENT}*$",
}
"""Path parameter patterns (ECMA-262 and Python alike): any path segment the server does not
refuse; the same not ending in `.txt`; a place query with something besides blanks."""


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_DATETIME = {"type": "string", "format": "date-time"}
_INSTANT_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
ZONE_TIME: dict[str, Any] = {
    "abbreviation": {"type": "string", "minLength": 1, "example": "JST"},
    "client_ip": {"type": "string", "example": "127.0.0.1"},
    "datetime": {**_DATETIME, "description": "local time, ISO 8601 with offset"},
    "day_of_week": {"type": "integer", "minimum": 0, "maximum": 6, "description": "Sunday = 0"},
    "day_of_year": {"type": "integer", "minimum": 1, "maximum": 366},
    "dst": {"type": "boolean"},
    "dst_from": {**_INSTANT_OR_NULL, "description": "UTC instant DST began"},
    "dst_offset": {"type": "integer", "description": "seconds"},
    "dst_until": {**_INSTANT_OR_NULL, "description": "UTC instant DST ends"},
    "raw_offset": {"type": "integer", "description": "standard offset, seconds east of UTC"},
    "timezone": {"type": "string", "example": "Asia/Tokyo"},
    "unixtime": {"type": "integer"},
    "utc_datetime": _DATETIME,
    "utc_offset": {"type": "string", "pattern": "^[+-][0-9]{2}:[0-9]{2}$", "example": "+09:00"},
    "week_number": {"type": "integer", "minimum": 1, "maximum": 53, "description": "ISO 8601"},
}
"""The worldtimeapi object's fields (`ZoneTime.to_worldtimeapi()` plus `client_ip`)."""
PLACE: dict[str, Any] = {
    "name": {"type": "string", "example": "Tokyo"},
    "country": {"type": "string", "example": "Japan"},
    "country_code": {"type": "string", "example": "JP"},
    "admin1": {"type": ["string", "null"], "example": "Tokyo"},
    "population": {"type": "integer", "minimum": 0},
    "geonameid": {"type": ["integer", "null"], "description": "null for a zone's city only"},
    "timezone": {"type": "string", "example": "Asia/Tokyo"},
}
CITY: dict[str, Any] = {
    "query": {"type": "string"},
    "label": {"type": "string", "example": "Tokyo, Japan"},
    "place": {"oneOf": [_ref("Place"), {"type": "null"}]},
    "notes": {"type": "array", "items": {"type": "string"}},
    "alternatives": {"type": "array", "items": _ref("Place"), "maxItems": 5},
    "time": _ref("ZoneTime"),
}
ERROR: dict[str, Any] = {
    "error": {"type": "string", "example": "unknown location"},
    "limit": {"type": "integer", "description": "the longest path, for `request path too long`"},
    "allowed": {"type": "array", "items": {"enum": list(METHODS)}},
    "detail": {"type": "string", "description": "why a place query found nothing"},
    "suggestions": {"type": "array", "items": {"type": "string"}},
}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        "additionalProperties": False,
    }


SCHEMAS: dict[str, Any] = {
    "ZoneTime": _object(ZONE_TIME),
    # /api/ip answers: the worldtimeapi object and where its zone came from (also the
    # X-Zone-Source header): the geo-IP database, or the server's default zone.
    "IpZoneTime": _object({**ZONE_TIME, "zone_source": {"enum": ["geoip", "default"]}}),
    "ZoneKeys": {
        "type": "array",
        "items": {"type": "string"},
        "example": ["Europe/Amsterdam", "Europe/Andorra"],
    },
    "Place": _object(PLACE),
    "City": _object(CITY),
    "Error": _object(ERROR, ["error"]),
}

# What a 200 holds, by media type.
JSON = "application/json"
TEXT = "text/plain"
_KEYS = {JSON: _ref("ZoneKeys")}
_TIME = {JSON: _ref("ZoneTime")}
_IP_TIME = {JSON: _ref("IpZoneTime")}
_TIME_OR_KEYS = {JSON: {"oneOf": [_ref("ZoneTime"), _ref("ZoneKeys")]}}
_TEXT = {TEXT: {"type": "string", "description": "`key: value` lines, or one zone key a line"}}


@dataclass(frozen=True)
class Route:
    """One route of the API: `template` (OpenAPI path), `summary`, the 200's `ok` content (media
    type → schema), `examples` (parameter → a value that exists) and `busy` (can answer 503)."""

    template: str
    summary: str
    ok: dict[str, Any]
    examples: tuple[tuple[str, str], ...] = ()
    busy: bool = False

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.template)


_LONDON = (("area", "Europe"), ("location", "London"))
_BUENOS_AIRES = (("area", "America"), ("location", "Argentina"), ("region", "Buenos_Aires"))
ROUTES = (
    Route("/api/timezone", "Every IANA zone key", _KEYS),
    Route("/api/timezone.txt", "Every IANA zone key, one a line", _TEXT),
    Route(
        "/api/timezone/{area}",
        "The zone keys of an area (`Europe`), or a one-part zone now (`UTC`)",
        _TIME_OR_KEYS,
        (("area", "Europe"),),
    ),
    Route("/api/timezone/{area}.txt", "The same as text", _TEXT, (("area", "Asia"),)),
    Route(
        "/api/timezone/{area}/{location}",
        "A zone now (`Europe/London`), or the keys under it (`America/Argentina`)",
        _TIME_OR_KEYS,
        _LONDON,
    ),
    Route(
        "/api/timezone/{area}/{location}.txt",
        "The same as text",
        _TEXT,
        (("area", "Asia"), ("location", "Tokyo")),
    ),
    Route("/api/timezone/{area}/{location}/{region}", "A zone now", _TIME, _BUENOS_AIRES),
    Route("/api/timezone/{area}/{location}/{region}.txt", "The same as text", _TEXT, _BUENOS_AIRES),
    Route("/api/ip", "The client's zone now (geo-IP database, else the default zone)", _IP_TIME),
    Route("/api/ip.txt", "The same as text", _TEXT),
    Route(
        "/api/ip/{address}",
        "The zone of an IPv4 or IPv6 address now (geo-IP database, else the default zone)",
        _IP_TIME,
        (("address", "203.0.113.7"),),
    ),
    Route("/api/ip/{address}.txt", "The same as text", _TEXT, (("address", "2001:db8::1"),)),
    Route(
        "/api/city/{query}",
        "The place a query resolves to (as the CLI resolves it), its namesakes and its zone now",
        {JSON: _ref("City")},
        (("query", "Tokyo"),),
        busy=True,
    ),
    Route("/healthz", "Liveness", {JSON: _object({"status": {"const": "ok"}})}),
    Route("/openapi.json", "This document", {JSON: {"type": "object"}}),
    Route("/metrics", "Prometheus metrics (text exposition format)", {TEXT: {"type": "string"}}),
)
"""Every route, in the order the reference shows them."""

_NO_STORE = {"Cache-Control": {"required": True, "schema": {"const": "no-store"}}}


def _error(example: dict[str, Any]) -> dict[str, Any]:
    return {JSON: {"schema": _ref("Error"), "example": example}}


def _answers(route: Route) -> dict[str, Any]:
    """Status code → OpenAPI response of every answer `route` can give."""
    ok = {name: {"schema": schema} for name, schema in route.ok.items()}
    answers: dict[str, Any] = {
        "200": {"description": "OK", "headers": _NO_STORE, "content": ok},
        "400": {
            "description": "A path the server refuses (control characters, a backslash, U+FFFD, "
            f"a `.` or `..` segment, not UTF-8, over {MAX_PATH_LENGTH} characters decoded; an "
            "empty query), an HTTP/1.1 request without one Host header line (JSON); or a "
            "request the HTTP layer cannot parse (no body)",
            "content": _error({"error": "malformed path: control characters"}),
        },
    }
    if route.parameters:
        answers["404"] = {
            "description": "Unknown zone, area or place (a place query adds `detail` and "
            "`suggestions`)",
            "content": _error({"error": "unknown location"}),
        }
    answers["405"] = {
        "description": "Any method but GET and HEAD",
        "headers": {"Allow": {"required": True, "schema": {"const": ", ".join(METHODS)}}},
        "content": _error({"error": "method not allowed", "allowed": list(METHODS)}),
    }
    answers["414"] = {"description": "A request line over 64 KiB (Granian; no body)"}
    answers["431"] = {"description": "Over 100 header lines (Granian; no body)"}
    if route.busy:
        answers["503"] = {
            "description": "Too many place searches at once in this worker: retry later",
            "headers": {"Retry-After": {"required": True, "schema": {"const": "1"}}},
            "content": _error({"error": "busy: too many place searches at once, retry later"}),
        }
    return answers


def _parameter(route: Route, name: str) -> dict[str, Any]:
    names = route.parameters
    if name == "address":  # what inet_pton reads; anything else is 400 "malformed IP address"
        address = {"anyOf": [{"format": "ipv4"}, {"format": "ipv6"}], "type": "string"}
        address["example"] = dict(route.examples)[name]
        return {"name": name, "in": "path", "required": True, "schema": address}
    fixed = len(re.sub(r"\{\w+\}", "", route.template))
    if route.template.startswith("/api/city/"):
        kind = "query"
    elif name == names[-1] and route.template.endswith("}"):
        kind = "last"
    else:
        kind = "segment"
    schema = {
        "type": "string",
        "minLength": 1,
        "maxLength": (MAX_PATH_LENGTH - fixed) // len(names),
        "pattern": PATTERNS[kind],
        "example": dict(route.examples)[name],
    }
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _head(get: dict[str, Any]) -> dict[str, Any]:
    """The HEAD operation of a GET: the same answers and headers, no body."""
    return {code: {k: v for k, v in r.items() if k != "content"} for code, r in get.items()}


def path_item(route: Route) -> dict[str, Any]:
    """The OpenAPI path item of `route`: its parameters, GET and HEAD."""
    name = re.sub(r"\W+", " ", route.template).title().replace(" ", "")
    answers = _answers(route)
    item: dict[str, Any] = {}
    if route.parameters:
        item["parameters"] = [_parameter(route, name) for name in route.parameters]
    item["get"] = {"operationId": f"get{name}", "summary": route.summary, "responses": answers}
    item["head"] = {
        "operationId": f"head{name}",
        "summary": f"{route.summary} (headers only)",
        "responses": _head(answers),
    }
    return item


@cache
def openapi_document() -> bytes:
    """Return the OpenAPI document as UTF-8 JSON bytes."""
    from world_timer.server.api import to_json

    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "World Timer time API (worldtimeapi-compatible)",
            "version": "1",
            "description": "Every answer is `Cache-Control: no-store`; errors are JSON "
            '`{"error": ...}`. The whole path is at most '
            f"{MAX_PATH_LENGTH} characters once percent-decoded.",
        },
        "paths": {route.template: path_item(route) for route in ROUTES},
        "components": {"schemas": SCHEMAS},
    }
    return to_json(document)
