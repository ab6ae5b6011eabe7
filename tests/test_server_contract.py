"""The HTTP contract of `world-timer serve`: its OpenAPI document checked by schemathesis against a
real server process, the document's path patterns against the server's own refusals, and the Host
header line RFC 9112 §3.2 requires of HTTP/1.1 requests, over raw sockets on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import subprocess
import sys
import time
import unicodedata
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.processes import free_port, running
from tests.server_client import call
from world_timer.server.api import Api
from world_timer.server.app import make_app
from world_timer.server.openapi import BLANKS, PATTERNS, ROUTES, openapi_document

BIN = Path(sys.executable).parent
SEED = 2117
MAX_EXAMPLES = 40
"""Cases per operation and phase: 27 operations, about 2,000 cases in about 6 s on 2 cores."""
SCHEMATHESIS_SECONDS = 60


def _serve(port: int, log: Path) -> AbstractContextManager[None]:
    command = [str(BIN / "world-timer"), "serve", "--port", str(port)]
    return running(command, f"http://127.0.0.1:{port}/healthz", log)


def test_schemathesis_finds_the_document_and_server_agree(tmp_path: Path) -> None:
    """Every check schemathesis has, every phase, a fixed seed; its warnings (such as "every
    case was a 404": examples that do not exist) fail the run too."""
    port = free_port()
    config = tmp_path / "schemathesis.toml"
    config.write_text("[warnings]\nfail-on = true\n")
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"http://127.0.0.1:{port}/openapi.json",
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "5",
        "--no-color",
    ]
    with _serve(port, tmp_path / "serve.log"):
        started = time.monotonic()
        done = subprocess.run(
            command,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=SCHEMATHESIS_SECONDS,
            check=False,
        )
        seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "No issues found" in output, output[-3000:]
    # GET and HEAD of every route, less GET /openapi.json, which schemathesis does not fuzz
    operations = re.search(r"Operations: +(\d+) selected / (\d+) total", output)
    assert operations and operations.groups() == (str(2 * len(ROUTES) - 1),) * 2, output[:2000]
    counts = re.search(r"(\d+) generated, (\d+) passed", output)
    assert counts and counts[1] == counts[2] and int(counts[1]) > 1000, output[-2000:]
    assert seconds < SCHEMATHESIS_SECONDS


def test_blanks_are_what_strip_removes_besides_control_characters() -> None:
    """BLANKS, the characters a query cannot be made of alone, is exactly `str.strip()`'s set
    less the control characters (refused anyway)."""
    blanks = re.compile(f"[{BLANKS}]")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        wanted = ch.isspace() and unicodedata.category(ch) != "Cc"
        assert bool(blanks.fullmatch(ch)) == wanted, hex(code)


API = Api()
# Any character, a slash apart (the pattern says a parameter holds none), dots more often.
SEGMENT_TEXT = st.text(
    st.one_of(st.characters(exclude_characters="/", codec="utf-8"), st.sampled_from(". \\\t")),
    min_size=1,
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(SEGMENT_TEXT)
def test_the_patterns_allow_exactly_what_the_server_does_not_refuse(text: str) -> None:
    """A zone segment or place query the document's pattern allows is never answered 400, and
    one it forbids always is (outside the `.txt` rule, which picks a media type, not a 400)."""
    from urllib.parse import quote

    encoded = quote(text, safe="").encode()
    zone = API.answer("GET", b"/api/timezone/Europe/" + encoded, "127.0.0.1").status
    assert (zone != 400) == bool(re.fullmatch(PATTERNS["segment"], text)), text
    city = API.answer("GET", b"/api/city/" + encoded, "127.0.0.1").status
    assert (city != 400) == bool(re.fullmatch(PATTERNS["query"], text)), text


@pytest.mark.parametrize(
    ("text", "segment", "query"),
    [
        ("London", True, True),
        ("Zürich", True, True),
        ("東京", True, True),
        (".", False, False),
        ("..", False, False),
        ("...", True, True),
        (" ", True, False),
        ("\u3000\u00a0", True, False),
        ("\ufeff", True, True),  # a format character, not a blank: 404, not 400
        ("a\x1cb", False, False),
        ("a\x85b", False, False),
        ("a\\b", False, False),
        ("a\ufffdb", False, False),  # Granian's stand-in for bytes that were not UTF-8
    ],
)
def test_the_patterns_on_edge_cases(text: str, segment: bool, query: bool) -> None:
    assert bool(re.fullmatch(PATTERNS["segment"], text)) == segment
    assert bool(re.fullmatch(PATTERNS["query"], text)) == query


def test_every_example_exists_and_other_methods_get_the_documented_405() -> None:
    """Each route's examples give a 200 (so a fuzzer reaches real zones and places) with the
    documented media type; DELETE gives the documented 405 and Allow header (schemathesis sends
    undocumented methods but does not read their answers against the document)."""
    app = make_app()
    document = json.loads(openapi_document())
    assert list(document["paths"]) == [route.template for route in ROUTES]
    for template, item in document["paths"].items():
        assert set(item) <= {"parameters", "get", "head"}
        path = template
        for parameter in item.get("parameters", []):
            schema = parameter["schema"]
            if "pattern" in schema:
                assert re.fullmatch(schema["pattern"], schema["example"])
            else:  # /api/ip/{address}: an IPv4 or IPv6 address
                assert ipaddress.ip_address(schema["example"])
            path = path.replace("{" + parameter["name"] + "}", schema["example"])
        answers = item["get"]["responses"]
        got = call(app, "GET", path)
        media = got.headers["content-type"].partition(";")[0]
        assert (got.status, media in answers["200"]["content"]) == (200, True), path
        refused = call(app, "DELETE", path)
        assert refused.status == 405, path
        assert refused.headers["allow"] == answers["405"]["headers"]["Allow"]["schema"]["const"]


def _exchange(port: int, request: bytes) -> tuple[str, bytes]:
    """Send raw request bytes; return the status line and the body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


HOST_CASES = [
    (b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "missing Host header"),
    (b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400, "more"),
    (b"GET http://127.0.0.1/healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "missing"),
    (b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 200, "ok"),
    (b"GET /healthz HTTP/1.0\r\n\r\n", 200, "ok"),
    (b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", 200, "ok"),
]


@pytest.mark.parametrize("server", ["granian", "uvicorn"])
def test_http11_without_one_host_line_is_400(tmp_path: Path, server: str) -> None:
    """RFC 9112 §3.2: an HTTP/1.1 request with no Host line, or several, gets 400; HTTP/1.0 needs
    none. `world-timer serve` (Granian, the RSGI face) and uvicorn with httptools (the ASGI
    face, which h11 would have refused before the app)."""
    port = free_port()
    context: AbstractContextManager[None]
    if server == "granian":
        context = _serve(port, tmp_path / "serve.log")
    else:
        command = [str(BIN / "python"), "-m", "uvicorn", "--factory", "--http", "httptools"]
        command += ["world_timer.server.app:make_app", "--port", str(port)]
        context = running(command, f"http://127.0.0.1:{port}/healthz", tmp_path / "uvicorn.log")
    with context:
        for request, status, words in HOST_CASES:
            line, body = _exchange(port, request)
            assert line.split(" ")[1] == str(status), (request, line)
            answer = json.loads(body)
            assert words in (answer.get("error") or answer["status"]), (request, answer)
