"""Checking one worldtimeapi answer and turning it into a ZoneTime, or a one-line reason why not.

The schema is worldtimeapi.org's (`GET /api/timezone/{zone}`; see
world_timer.timekeeping.zonetime and the answers recorded in
tests/data/worldtimeapi-2025-10-01.tsv). Nothing here does I/O except reading the tzdata package's
TZif files to decide whether two zone keys are aliases.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from world_timer.timekeeping.zones import TZDATA_DIR, canonical_key
from world_timer.timekeeping.zonetime import ZoneTime

_OFFSET_RE = re.compile(r"^([+-])(\d{2}):(\d{2})$")
_STRINGS = ("timezone", "datetime", "utc_datetime", "utc_offset", "abbreviation")
_INTEGERS = ("dst_offset", "raw_offset", "unixtime")
_NULLABLE_DATETIMES = ("dst_from", "dst_until")
# The instants `--at` accepts (world_timer.commands.at): a year inside datetime's range either
# side, so that showing the instant in any zone cannot overflow.
_EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
_LATEST = datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)


class AnswerError(ValueError):
    """The server's answer is not a usable worldtimeapi answer; str() is a one-line reason."""


class UnknownLocationError(AnswerError):
    """The server does not know the zone (HTTP 404 or `{"error": "unknown location"}`)."""


def _json_value_error(exc: ValueError) -> str:
    """The reason json.loads gave up with a bare ValueError, in one line."""
    import sys

    if "integer string conversion" in str(exc):
        return f"bad JSON: an integer of more than {sys.get_int_max_str_digits()} digits"
    return f"bad JSON ({str(exc).splitlines()[0][:80]})"


def parse_answer(asked: str, status: int, content_type: str, body: bytes) -> ZoneTime:
    """Check an answer to `GET {base}/timezone/{asked}` and return it as a ZoneTime.

    `status` is the HTTP status, `content_type` the Content-Type header ("" when missing), `body`
    the raw bytes. The ZoneTime keeps the asked key as `timezone` (the answer may name an alias,
    see `same_zone`) and the answer's instant and offsets. Raises UnknownLocationError for a 404 or
    an `{"error": ...}` object, AnswerError for anything else that is wrong: status, content
    type, JSON, a missing or mistyped field, fields that contradict each other, another zone.
    """
    data = _json_object(status, content_type, body)
    if "error" in data:
        raise UnknownLocationError(_printable(str(data["error"])) or "unknown location")
    for name in _STRINGS:
        _require(data, name, str)
    for name in _INTEGERS:
        _require(data, name, int)
    _require(data, "dst", bool)
    answered = data["timezone"]
    if not same_zone(asked, answered):
        raise AnswerError(f"answered zone {_printable(answered)!r} for {asked}")
    local = _datetime(data, "datetime")
    utc = _datetime(data, "utc_datetime")
    if not _EARLIEST <= utc <= _LATEST:
        raise AnswerError("bad answer: utc_datetime is outside the years 2 to 9998")
    offset = _offset_seconds(data["utc_offset"])
    if local.utcoffset() != timedelta(seconds=offset) or local != utc:
        raise AnswerError("datetime, utc_datetime and utc_offset disagree")
    if data["raw_offset"] + data["dst_offset"] != offset:
        raise AnswerError("raw_offset + dst_offset is not utc_offset")
    # An integer past 2**53 would not even convert to float (OverflowError from 2**1024).
    if abs(data["unixtime"]) > 2**53 or abs(data["unixtime"] - utc.timestamp()) >= 1:
        raise AnswerError("unixtime and utc_datetime disagree")
    if not re.fullmatch(r"[A-Za-z]{2,6}|[+-]\d{2,4}", data["abbreviation"]):
        # tz abbreviations are letters (`JST`) or a numeric offset (`+0545`), nothing else: a
        # control character here would reach the terminal.
        raise AnswerError(f"bad abbreviation {_printable(data['abbreviation'])!r}")
    return ZoneTime(
        timezone=asked,
        local=local,
        utc_offset_seconds=offset,
        dst_offset=data["dst_offset"],
        abbreviation=data["abbreviation"],
        dst_from=_nullable_datetime(data, "dst_from"),
        dst_until=_nullable_datetime(data, "dst_until"),
    )


def same_zone(asked: str, answered: str) -> bool:
    """True when `answered` is `asked` or an alias of it.

    The tzdata package ships no link table, but it writes each `backward` link (Asia/Calcutta →
    Asia/Kolkata) and each merged zone (Europe/Amsterdam → Europe/Brussels) as a copy of its
    target's TZif file. Two keys whose TZif files are byte-identical have the same offsets,
    abbreviations and transitions at every instant, so either answer is right for the other.
    A key missing from the pinned tzdata is never an alias.
    """
    if asked == answered:
        return True
    a, b = canonical_key(asked), canonical_key(answered)
    if a is None or b is None or a != asked or b != answered:
        return False
    return _tzif_bytes(a) == _tzif_bytes(b)


@cache
def _tzif_bytes(key: str) -> bytes:
    return (TZDATA_DIR / key).read_bytes()


def _json_object(status: int, content_type: str, body: bytes) -> dict[str, Any]:
    media_type = content_type.split(";", 1)[0].strip().lower()
    is_json = media_type == "application/json" or media_type.endswith("+json")
    data: object = None
    if is_json:
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            if status == 200:
                raise AnswerError(f"bad JSON ({exc.msg}, byte {exc.pos})") from None
        except UnicodeDecodeError:
            if status == 200:
                raise AnswerError("bad JSON: not UTF-8 text") from None
        except ValueError as exc:  # int() refuses a number past sys.get_int_max_str_digits()
            if status == 200:
                raise AnswerError(_json_value_error(exc)) from None
    if status == 404:
        error = data.get("error") if isinstance(data, dict) else None
        raise UnknownLocationError(_printable(str(error)) if error else "unknown location")
    if status != 200:
        raise AnswerError(f"HTTP {status}")
    if not is_json:
        raise AnswerError(f"not JSON: content type {_printable(media_type) or 'missing'!r}")
    if not isinstance(data, dict):
        raise AnswerError("bad JSON (not an object)")
    return data


def _require(data: dict[str, Any], name: str, kind: type) -> None:
    value = data.get(name)
    # bool is an int in Python, but not in JSON: `"unixtime": true` is wrong.
    if value is None or not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        shown = "missing" if name not in data else f"not a {kind.__name__}"
        raise AnswerError(f"bad answer: {name} {shown}")


def _datetime(data: dict[str, Any], name: str) -> datetime:
    try:
        value = datetime.fromisoformat(data[name])
    except ValueError:
        raise AnswerError(f"bad answer: {name} is not ISO 8601") from None
    if value.utcoffset() is None:
        raise AnswerError(f"bad answer: {name} has no UTC offset")
    return value


def _nullable_datetime(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise AnswerError(f"bad answer: {name} not a str")
    return _datetime(data, name)


def _offset_seconds(text: str) -> int:
    match = _OFFSET_RE.match(text)
    if not match:
        raise AnswerError(f"bad answer: utc_offset {_printable(text)!r} is not ±HH:MM")
    seconds = int(match[2]) * 3600 + int(match[3]) * 60
    return -seconds if match[1] == "-" else seconds


def _printable(text: str, limit: int = 60) -> str:
    """A server's text as it may appear in a one-line message: no control characters, cut."""
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text[:limit] + "…" if len(text) > limit else text
