"""Check a running compose stack (compose.yaml) from the host: `make stack-test`, and the tests.

Every check polls with one deadline (no single sleep): Prometheus' HTTP API must report every
World Timer replica `up` (one target per replica, job world-timer-serve) and the rules of
misc/world-timer.rules.yml loaded; the proxy must answer /api/timezone/Asia/Tokyo from more than
one replica (nginx's X-Upstream header); the Pushgateway must hold a scheduled run's metrics
(job world_timer). Only loopback URLs are asked.

Usage: python utils/stack_check.py [--proxy URL] [--prometheus URL] [--pushgateway URL]
       [--replicas 2] [--seconds 60]
Exit 0 with one line per check, 1 with the failing check's reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
SERVE_JOB = "world-timer-serve"
RUN_JOB = "world_timer"


class CheckError(Exception):
    """A check did not pass before its deadline; str() is the last reason seen."""


def fail(reason: str) -> NoReturn:
    """Raise CheckError(reason): for a check written as one expression (`ok or fail(...)`)."""
    raise CheckError(reason)


def get(url: str, timeout: float = 3.0) -> tuple[int, dict[str, str], bytes]:
    """GET `url`: (status, headers with lower-case names, body). Raises OSError when unreachable."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            headers = {name.lower(): value for name, value in response.headers.items()}
            return response.status, headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {}, exc.read()


def poll(check: Callable[[], T], seconds: float, interval: float = 0.5) -> T:
    """Call `check` until it returns without raising CheckError/OSError, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return check()
        except (CheckError, OSError, ValueError) as exc:
            if time.monotonic() >= deadline:
                raise CheckError(str(exc) or type(exc).__name__) from None
        time.sleep(interval)


def prometheus_query(prometheus: str, query: str) -> list[dict[str, Any]]:
    """Instant query through Prometheus' HTTP API (/api/v1/query): the result vector."""
    status, _, body = get(f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": query}))
    answer = json.loads(body)
    if status != 200 or answer.get("status") != "success":
        raise CheckError(f"prometheus query {query!r}: HTTP {status} {body[:200]!r}")
    return list(answer["data"]["result"])


def replicas_up(prometheus: str, replicas: int) -> list[str]:
    """The instances of job world-timer-serve whose `up` is 1; CheckError unless `replicas`."""
    vector = prometheus_query(prometheus, f'up{{job="{SERVE_JOB}"}}')
    up = sorted(item["metric"]["instance"] for item in vector if item["value"][1] == "1")
    if len(up) != replicas or len(vector) != replicas:
        raise CheckError(f"{len(up)} of {len(vector)} targets up, want {replicas}: {up}")
    return up


def rules_loaded(prometheus: str) -> list[str]:
    """Names of the alerting rules Prometheus loaded; CheckError when there are none."""
    status, _, body = get(f"{prometheus}/api/v1/rules")
    groups = json.loads(body)["data"]["groups"] if status == 200 else []
    names = [rule["name"] for group in groups for rule in group["rules"]]
    if not names:
        raise CheckError("no rules loaded")
    return names


def proxied_upstreams(proxy: str, replicas: int) -> set[str]:
    """Replicas (nginx's X-Upstream) that answered Asia/Tokyo right, over 4 x `replicas` GETs."""
    seen: set[str] = set()
    for _ in range(4 * replicas):
        status, headers, body = get(f"{proxy}/api/timezone/Asia/Tokyo")
        if status != 200 or json.loads(body)["timezone"] != "Asia/Tokyo":
            raise CheckError(f"proxy answered HTTP {status}: {body[:200]!r}")
        seen.add(headers.get("x-upstream", "?"))
    if len(seen) < min(replicas, 2):
        raise CheckError(f"the proxy used only {sorted(seen)}")
    return seen


def pushed_run(pushgateway: str) -> dict[str, float]:
    """The pushed run metrics of job world_timer (name{labels} -> value); CheckError if none."""
    status, _, body = get(f"{pushgateway}/metrics")
    found = {}
    for line in body.decode().splitlines():
        if line.startswith("world_timer_") and f'job="{RUN_JOB}"' in line:
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    if status != 200 or not any(name.startswith("world_timer_runs_total") for name in found):
        raise CheckError(f"no world_timer run metrics on the Pushgateway (HTTP {status})")
    return found


def main(argv: list[str] | None = None) -> int:
    """Run every check against the stack; one line each on stdout, the failure on stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proxy", default="http://127.0.0.1:8080")
    parser.add_argument("--prometheus", default="http://127.0.0.1:9090")
    parser.add_argument("--pushgateway", default="http://127.0.0.1:9091")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0, help="deadline of each check")
    args = parser.parse_args(argv)
    checks: list[tuple[str, Callable[[], object]]] = [
        ("replicas up in Prometheus", lambda: replicas_up(args.prometheus, args.replicas)),
        ("rules loaded", lambda: rules_loaded(args.prometheus)),
        ("proxy spreads over", lambda: sorted(proxied_upstreams(args.proxy, args.replicas))),
        ("scheduled run on the Pushgateway", lambda: len(pushed_run(args.pushgateway))),
    ]
    for label, check in checks:
        try:
            print(f"stack-test: {label}: {poll(check, args.seconds)}")
        except CheckError as exc:
            print(f"stack-test: {label}: failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
