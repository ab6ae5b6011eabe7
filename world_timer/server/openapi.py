"""The OpenAPI 3.1 document of the time API, served at `/openapi.json`."""

from __future__ import annotations

from functools import cache
from typing import Any

_TIME_FIELDS: dict[str, Any] = {
    "abbreviation": {"type": "string", "example": "JST"},
    "client_ip": {"type": "string", "example": "127.0.0.1"},
    "datetime": {"type": "string", "description": "local time, ISO 8601 with offset"},
    "day_of_week": {"type": "integer", "minimum": 0, "maximum": 6, "description": "Sunday = 0"},
    "day_of_year": {"type": "integer", "minimum": 1, "maximum": 366},
    "dst": {"type": "boolean"},
    "dst_from": {"type": ["string", "null"], "description": "UTC instant DST began"},
    "dst_offset": {"type": "integer", "description": "seconds"},
    "dst_until": {"type": ["string", "null"], "description": "UTC instant DST ends"},
    "raw_offset": {"type": "integer", "description": "standard offset, seconds east of UTC"},
    "timezone": {"type": "string", "example": "Asia/Tokyo"},
    "unixtime": {"type": "integer"},
    "utc_datetime": {"type": "string"},
    "utc_offset": {"type": "string", "example": "+09:00"},
    "week_number": {"type": "integer", "minimum": 1, "maximum": 53, "description": "ISO 8601"},
}
_ERROR: dict[str, Any] = {
    "description": "error",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            }
        }
    },
}


def _ok(schema: dict[str, Any], text: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if text:
        content = {"text/plain": {"schema": {"type": "string"}}}
    return {"description": "OK", "content": content}


def _get(summary: str, ok: dict[str, Any], params: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in params
            ],
            "responses": {"200": ok, "400": _ERROR, "404": _ERROR, "405": _ERROR},
        }
    }


@cache
def openapi_document() -> bytes:
    """Return the OpenAPI document as UTF-8 JSON bytes."""
    from world_timer.server.api import to_json

    time_ref = {"$ref": "#/components/schemas/ZoneTime"}
    keys = {"type": "array", "items": {"type": "string"}}
    zone = ("area", "location")
    region = ("area", "location", "region")
    ip = ("address",)
    # /api/ip answers: the worldtimeapi object and where its zone came from (also the
    # X-Zone-Source header): the geo-IP database, or the server's default zone.
    ip_time = {
        "allOf": [
            time_ref,
            {
                "type": "object",
                "required": ["zone_source"],
                "properties": {"zone_source": {"enum": ["geoip", "default"]}},
            },
        ]
    }
    paths = {
        "/api/timezone": _get("Every IANA zone key", _ok(keys)),
        "/api/timezone.txt": _get("Every IANA zone key, one a line", _ok({}, text=True)),
        "/api/timezone/{area}": _get("The zone keys of an area", _ok(keys), ("area",)),
        "/api/timezone/{area}/{location}": _get("A zone now", _ok(time_ref), zone),
        "/api/timezone/{area}/{location}.txt": _get("A zone now", _ok({}, True), zone),
        "/api/timezone/{area}/{location}/{region}": _get("A zone now", _ok(time_ref), region),
        "/api/ip": _get("The client's zone now (geo-IP, else the default)", _ok(ip_time)),
        "/api/ip.txt": _get("The same as text", _ok({}, text=True)),
        "/api/ip/{address}": _get("The zone of an IPv4 or IPv6 address now", _ok(ip_time), ip),
        "/api/ip/{address}.txt": _get("The same as text", _ok({}, text=True), ip),
        "/api/city/{query}": _get(
            "The place a query resolves to and its zone now", _ok({"type": "object"}), ("query",)
        ),
        "/healthz": _get("Liveness", _ok({"type": "object"})),
        "/metrics": _get("Prometheus metrics (text format)", _ok({}, text=True)),
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "World Timer time API (worldtimeapi-compatible)", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {
                "ZoneTime": {
                    "type": "object",
                    "required": list(_TIME_FIELDS),
                    "properties": _TIME_FIELDS,
                }
            }
        },
    }
    return to_json(document)
