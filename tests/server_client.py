"""Calling the time API app in-process through its ASGI face (shared by the tests/test_server_*)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Answer:
    """What the app sent: status, headers (lower-case names) and body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    app: Any,
    method: str,
    path: bytes | str,
    headers: list[tuple[bytes, bytes]] | None = None,
    client: tuple[str, int] = ("127.0.0.1", 50000),
    host: bytes | None = b"127.0.0.1:8080",
    http_version: str = "1.1",
) -> Answer:
    """Send one HTTP request to the ASGI app; `path` is the raw (percent-encoded) path. A Host
    header line `host` comes first unless `host` is None."""
    raw = path.encode("latin-1") if isinstance(path, str) else path
    lines = [(b"host", host)] if host is not None else []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": http_version,
        "method": method,
        "scheme": "http",
        "path": raw.decode("latin-1"),
        "raw_path": raw,
        "query_string": b"",
        "headers": [*lines, *(headers or [])],
        "client": client,
        "server": ("127.0.0.1", 8080),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start, body = sent
    names = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return Answer(start["status"], names, body["body"])
