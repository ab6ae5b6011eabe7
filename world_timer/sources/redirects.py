"""Redirects from a time API: followed only within the origin asked, checked before any request.

requests would follow a redirect anywhere (another host, another scheme) and raise an exception
that is not a RequestException for a Location it cannot parse (`http://[::1`). The client asks
with `allow_redirects=False` and calls `next_url` for each 3xx answer with a Location: the new URL
must parse, be UTF-8 text, and have the same origin (scheme, host, port: RFC 6454) as the URL
first asked, else the request fails with a one-line reason and the caller falls back.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urljoin, urlsplit

from world_timer.sources.answer import AnswerError

MAX_REDIRECTS = 3
"""Redirects followed for one request; one more is the failure "too many redirects"."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


class RedirectError(AnswerError):
    """A redirect that is not followed; str() is the one-line reason."""


def origin(url: str) -> str:
    """`scheme://host:port` of `url` (the port made explicit); ValueError when it has none."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in _DEFAULT_PORTS or not host:
        raise ValueError("not an http(s) URL with a host")
    if "[" in parts.netloc:
        ipaddress.IPv6Address(host.split("%", 1)[0])  # ValueError for `[x]`
    port = parts.port or _DEFAULT_PORTS[parts.scheme]  # ValueError for `:99999`
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port}"


def next_url(first: str, current: str, location: str) -> str:
    """The absolute URL a redirect from `current` points to, when it stays in the origin of
    `first` (the URL first asked). `location` is the header as http.client decoded it
    (ISO-8859-1). Raises RedirectError: "malformed redirect (...)" when it cannot be parsed or
    is not UTF-8 text, "redirect to another origin not followed (ORIGIN)" otherwise."""
    raw = location.encode("iso-8859-1", "replace")
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise RedirectError("malformed redirect (Location is not UTF-8 text)") from None
    shown = text if len(text) <= 60 else text[:57] + "..."
    if not text or not text.isprintable() or " " in text:
        raise RedirectError(f"malformed redirect (Location {shown!r})")
    try:
        target = urljoin(current, text)
        target_origin = origin(target)
    except ValueError:
        raise RedirectError(f"malformed redirect (Location {shown!r})") from None
    if target_origin != origin(first):
        raise RedirectError(f"redirect to another origin not followed ({target_origin})")
    return target
