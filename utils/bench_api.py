"""Benchmark of the API source: 20 distinct zones against a loopback server answering in 100 ms.

Measured in one run, each figure the median of several rounds:
- one request: one `requests.get` of one zone (the latency floor of any client);
- the seed's way: one `requests.get` after another for the 20 zones;
- ours: `fetch_zone_times` for the 20 zones, at --concurrency 20 and at the default 8.
Goals (issue 3): ours <= 1.5x one request, and >= 10x faster than the seed's way. With the default
cap of 8 the 20 requests go in three waves, so that figure is ~3 requests' latency by design.

Usage: python utils/bench_api.py [--latency 0.1] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from world_timer.sources import ApiSettings
from world_timer.sources.worldtimeapi import fetch_zone_times

ZONES = [
    "Africa/Cairo", "Africa/Lagos", "America/Bogota", "America/Chicago", "America/Lima",
    "America/New_York", "America/Sao_Paulo", "Asia/Dubai", "Asia/Kolkata", "Asia/Seoul",
    "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Europe/Berlin",
    "Europe/London", "Europe/Madrid", "Europe/Moscow", "Europe/Paris", "Pacific/Auckland",
]  # fmt: skip


@contextmanager
def loopback_server(latency: float) -> Iterator[str]:
    """Run utils/fake_worldtimeapi.py in its own process (as a real server is: no GIL shared with
    the client); yield its base URL; stop it by closing its stdin."""
    script = Path(__file__).with_name("fake_worldtimeapi.py")
    args = [sys.executable, str(script), "--latency", str(latency), "--seconds", "300"]
    with subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            yield server.stdout.readline().strip()
        finally:
            assert server.stdin is not None
            server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def median_seconds(action: Callable[[], object], rounds: int) -> float:
    """Median wall time of `action` over `rounds` runs, in seconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="server latency, seconds")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with loopback_server(options.latency) as base_url:
        url = base_url + "/timezone/"

        def one_request() -> None:
            requests.get(url + "Asia/Tokyo", timeout=10).raise_for_status()

        def seed_way() -> None:
            for zone in ZONES:
                requests.get(url + zone, timeout=10).json()

        def ours(concurrency: int) -> Callable[[], None]:
            settings = ApiSettings(base_url=base_url, timeout=10, concurrency=concurrency)

            def run() -> None:
                answers = fetch_zone_times(ZONES, settings)
                failed = [key for key, answer in answers.items() if answer.failure]
                if failed:
                    raise SystemExit(f"bench_api: requests failed: {failed}")

            return run

        ours(20)()  # warm-up: imports, first connections
        single = median_seconds(one_request, options.rounds)
        seed = median_seconds(seed_way, max(1, options.rounds // 2))
        wide = median_seconds(ours(20), options.rounds)
        default = median_seconds(ours(8), options.rounds)

    print(f"20 distinct zones, loopback server answering in {options.latency * 1000:.0f} ms")
    print(f"  one request (requests.get)        {single * 1000:8.1f} ms")
    print(f"  seed: 20 requests.get in a row    {seed * 1000:8.1f} ms")
    ratio_wide, ratio_default = wide / single, default / single
    goal_latency = "goal <= 1.5x: " + ("met" if ratio_wide <= 1.5 else "MISSED")
    goal_seed = "goal >= 10x: " + ("met" if seed / wide >= 10 else "MISSED")
    print(
        f"  ours, --concurrency 20            {wide * 1000:8.1f} ms  = {ratio_wide:.2f}x one "
        f"request ({goal_latency}), {seed / wide:.1f}x faster than the seed ({goal_seed})"
    )
    print(
        f"  ours, --concurrency 8 (default)   {default * 1000:8.1f} ms  = {ratio_default:.2f}x one "
        f"request (3 waves of 8), {seed / default:.1f}x faster than the seed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
