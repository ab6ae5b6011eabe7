"""Labels on places: `Tokyo office=Asia/Tokyo` shows as "Tokyo office" and reads Asia/Tokyo.

A label is everything before the first `=`; no place name, zone key or UTC offset holds one.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_LABEL_LENGTH = 80


def split_label(query: str) -> tuple[str | None, str]:
    """`"Tokyo office=Asia/Tokyo"` → `("Tokyo office", "Asia/Tokyo")`; `"Tokyo"` → `(None,
    "Tokyo")`. Blanks around both parts are dropped; an empty label (`=Tokyo`) is no label, and
    an empty place (`HQ=`) is left to the resolver, which says the name is empty."""
    label, equals, place = query.partition("=")
    if not equals or not label.strip():
        return None, query.lstrip("=") if equals else query
    return label.strip()[:MAX_LABEL_LENGTH], place.strip()


def split_labels(queries: Iterable[str]) -> tuple[list[str], list[str | None]]:
    """`split_label` of each query: (the places, their labels), in the same order."""
    pairs = [split_label(query) for query in queries]
    return [place for _label, place in pairs], [label for label, _place in pairs]
