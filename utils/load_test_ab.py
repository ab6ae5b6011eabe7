"""Load-test `world-timer serve` with ApacheBench (ab): a bounded number of requests, loopback.

Starts the server, runs `ab -n N -c C` on one zone answer, stops the server and prints one summary
line (requests, failures, req/s, p50, p99). Exit 1 when any request failed or was not 2xx.

Usage: python utils/load_test_ab.py [--requests 20000] [--concurrency 50] [--workers 1]
Needs ab (Debian package apache2-utils; `make loadtest-ab` installs it when missing).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

from loadserver import running_server, summary

PATH = "/api/timezone/Asia/Tokyo"


def parse_ab(text: str) -> dict[str, float]:
    """Figures of ab's report: complete, failed (incl. non-2xx), req/s, p50/p99 (ms)."""

    def number(pattern: str) -> float:
        match = re.search(pattern, text, re.M)
        return float(match[1]) if match else 0.0

    return {
        "requests": number(r"^Complete requests:\s+(\d+)"),
        "failures": number(r"^Failed requests:\s+(\d+)") + number(r"^Non-2xx responses:\s+(\d+)"),
        "rps": number(r"^Requests per second:\s+([\d.]+)"),
        "p50": number(r"^\s+50%\s+(\d+)"),
        "p99": number(r"^\s+99%\s+(\d+)"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("ab") is None:
        print("error: ab not found (apt-get install apache2-utils)", file=sys.stderr)
        return 2
    with running_server(args.workers) as base:
        result = subprocess.run(
            [
                "ab",
                "-q",
                "-n",
                str(args.requests),
                "-c",
                str(args.concurrency),
                "-s",
                "10",
                base + PATH,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if result.returncode != 0:
        print(f"error: ab failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    figures = parse_ab(result.stdout)
    print(
        summary(
            "ab",
            int(figures["requests"]),
            int(figures["failures"]),
            figures["rps"],
            figures["p50"],
            figures["p99"],
        )
    )
    return 1 if figures["failures"] or figures["requests"] < args.requests else 0


if __name__ == "__main__":
    sys.exit(main())
