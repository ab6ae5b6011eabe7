"""Molotov scenarios against `world-timer serve` (run by utils/load_test_molotov.py).

Weighted like real use: mostly zone answers, then city look-ups, listings and unknown zones, which
must answer 404 with the JSON error. Any other answer raises, which molotov counts as a failure.
The server's base URL comes from $WORLD_TIMER_URL; request latencies (ms) are written as JSON to
$WORLD_TIMER_MOLOTOV_STATS when the run ends.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import molotov

BASE = os.environ.get("WORLD_TIMER_URL", "http://127.0.0.1:8080")
LATENCIES_MS: list[float] = []


async def _get(session: Any, path: str, status: int) -> Any:
    started = time.perf_counter()
    async with session.get(BASE + path) as answer:
        body = await answer.json(content_type=None)
        LATENCIES_MS.append((time.perf_counter() - started) * 1000)
        assert answer.status == status, f"{path}: {answer.status}"
        assert answer.headers["Cache-Control"] == "no-store"
        return body


@molotov.scenario(weight=60)
async def zone(session: Any) -> None:
    body = await _get(session, "/api/timezone/Asia/Tokyo", 200)
    assert body["timezone"] == "Asia/Tokyo" and body["utc_offset"] == "+09:00"


@molotov.scenario(weight=20)
async def city(session: Any) -> None:
    body = await _get(session, "/api/city/Lima", 200)
    assert body["place"]["country_code"] == "PE" and body["time"]["timezone"] == "America/Lima"


@molotov.scenario(weight=10)
async def listing(session: Any) -> None:
    body = await _get(session, "/api/timezone/Europe", 200)
    assert "Europe/Paris" in body


@molotov.scenario(weight=10)
async def unknown_zone(session: Any) -> None:
    body = await _get(session, "/api/timezone/Mars/Olympus_Mons", 404)
    assert body == {"error": "unknown location"}


@molotov.global_teardown()
def write_latencies() -> None:
    path = os.environ.get("WORLD_TIMER_MOLOTOV_STATS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(LATENCIES_MS, out)
