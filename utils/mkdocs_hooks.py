"""MkDocs hooks (mkdocs.yml `hooks:`): write the server's OpenAPI document for the HTTP reference.

`docs/reference/http.md` renders `build/openapi.json` with neoteroi-mkdocs; the file is written
from `world_timer.server.openapi.openapi_document()` before each build, so the reference is the
document the server answers at `/openapi.json`, never a copy that could drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

OPENAPI = Path(__file__).resolve().parent.parent / "build" / "openapi.json"


def on_pre_build(config: Any) -> None:
    from world_timer.server.openapi import openapi_document

    OPENAPI.parent.mkdir(parents=True, exist_ok=True)
    OPENAPI.write_bytes(openapi_document())
