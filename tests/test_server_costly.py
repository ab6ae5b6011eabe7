"""Costly requests (place searches) in the app itself: remembered misses, a bounded queue."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from prometheus_client import CollectorRegistry

from world_timer.server import api as api_module
from world_timer.server.app import MAX_COSTLY_WAITING, make_app

PINNED = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)


def test_misses_are_remembered_least_recently_asked_first_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(api_module, "MAX_REMEMBERED_MISSES", 2)
    app = make_app(registry=CollectorRegistry(), now=lambda: PINNED)
    api = app.api
    paths = [b"/api/city/Qzzqxa", b"/api/city/Qzzqxb", b"/api/city/Qzzqxc"]
    assert all(api.costly("GET", path) for path in paths)
    first = api.answer("GET", paths[0], "127.0.0.1")
    assert first.status == 404 and not api.costly("GET", paths[0])
    assert api.answer("GET", paths[0], "127.0.0.1") is first  # from memory
    api.answer("GET", paths[1], "127.0.0.1")
    api.answer("GET", paths[0], "127.0.0.1")  # asked again: now the most recent
    api.answer("GET", paths[2], "127.0.0.1")  # evicts paths[1], the least recently asked
    assert [api.costly("GET", path) for path in paths] == [False, True, False]
    # A place found is never remembered (its answer holds the current time).
    assert api.answer("GET", b"/api/city/Tokyo", "127.0.0.1").status == 200
    assert api.costly("GET", b"/api/city/Tokyo")
    assert not api.costly("GET", b"/api/timezone/Asia/Tokyo")


def test_a_flood_of_place_searches_is_refused_beyond_the_queue() -> None:
    app = make_app(registry=CollectorRegistry(), now=lambda: PINNED)
    count = MAX_COSTLY_WAITING + 8
    paths = [
        f"/api/city/Qzzqx{'bcdfghjklm'[i % 10]}{'bcdfghjklm'[i // 10]}".encode()
        for i in range(count)
    ]

    async def flood() -> list[int]:
        replies = await asyncio.gather(
            *(app.reply("GET", path, "127.0.0.1", None) for path in paths),
            app.reply("GET", b"/api/timezone/Asia/Tokyo", "127.0.0.1", None),
        )
        return [reply.status for reply in replies]

    statuses = asyncio.run(flood())
    assert statuses[-1] == 200
    assert statuses[:-1].count(404) == MAX_COSTLY_WAITING
    assert statuses[:-1].count(503) == count - MAX_COSTLY_WAITING
