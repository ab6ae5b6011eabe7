"""FastAPI app for `make bench-server` only: the seed's stack serving the same worldtimeapi object.

Run with `uvicorn --app-dir utils fastapi_seed_app:app`. The object comes from the same model
(`Api.time_object`), so the comparison measures the stack, not the time arithmetic.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request

from world_timer.server.api import Api
from world_timer.timekeeping.zones import canonical_key, load_zone

app = FastAPI()
_api = Api()


@app.get("/api/timezone/{area}/{location}")
def zone(area: str, location: str, request: Request) -> dict[str, Any]:
    """The worldtimeapi object of `area/location`, or 404."""
    key = canonical_key(f"{area}/{location}")
    if key is None:
        raise HTTPException(status_code=404, detail="unknown location")
    client = request.client.host if request.client else "-"
    return _api.time_object(load_zone(key), client)
