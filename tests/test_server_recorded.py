"""The server at the instants of tests/data/worldtimeapi-2025-10-01.tsv answers those rows."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from tests.server_client import call
from world_timer.server.app import make_app

DATA = Path(__file__).parent / "data" / "worldtimeapi-2025-10-01.tsv"
with DATA.open(encoding="utf-8", newline="") as handle:
    _lines = [line for line in handle if not line.startswith("#")]
HEADER, *ROWS = list(csv.reader(_lines, delimiter="\t", quoting=csv.QUOTE_NONE))
# Rows the file's header documents as worldtimeapi.org quirks we do not copy.
QUIRK_FIELDS = {"dst_from", "dst_until"}
STALE = {"America/Asuncion"}


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("row", [r for r in ROWS if r[0] not in STALE], ids=lambda r: r[0])
def test_answer_equals_the_recorded_row(row: list[str]) -> None:
    expected = dict(zip(HEADER, row, strict=True))
    instant = datetime.fromisoformat(expected["utc_datetime"])
    app = make_app(registry=CollectorRegistry(), now=lambda: instant)
    answer = call(app, "GET", f"/api/timezone/{expected['timezone']}", client=("198.51.100.4", 1))
    assert answer.status == 200
    ours = answer.json()
    assert ours["client_ip"] == "198.51.100.4"
    fields = [key for key in HEADER if key not in QUIRK_FIELDS]
    assert {key: _text(ours[key]) for key in fields} == {key: expected[key] for key in fields}
    if ours["dst"]:
        assert (ours["dst_from"], ours["dst_until"]) == (
            expected["dst_from"],
            expected["dst_until"],
        )
    text = call(app, "GET", f"/api/timezone/{expected['timezone']}.txt").body.decode()
    assert f"utc_offset: {expected['utc_offset']}\n" in text
    assert f"datetime: {expected['datetime']}\n" in text
