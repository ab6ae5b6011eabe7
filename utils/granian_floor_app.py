"""A do-nothing RSGI app: Granian's own cost per request, the floor under `world-timer serve`.

`python utils/bench_server.py --candidates` serves it with the same Granian settings; its
requests/s is what our server would reach if answering took no time at all.
"""

from typing import Any

# The same size as the Asia/Tokyo answer, made once.
BODY = (
    b'{"abbreviation":"JST","client_ip":"127.0.0.1","datetime":"2026-11-30T22:05:00.250000+09:00",'
    b'"day_of_week":1,"day_of_year":334,"dst":false,"dst_from":null,"dst_offset":0,'
    b'"dst_until":null,"raw_offset":32400,"timezone":"Asia/Tokyo","unixtime":1796043900,'
    b'"utc_datetime":"2026-11-30T13:05:00.250000+00:00","utc_offset":"+09:00","week_number":49}'
)
HEADERS = [("content-type", "application/json; charset=utf-8"), ("cache-control", "no-store")]


class FixedAnswer:
    """Answers every request with BODY."""

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        proto.response_bytes(200, HEADERS, BODY)


app = FixedAnswer()
