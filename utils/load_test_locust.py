"""Load-test `world-timer serve` with locust, headless, for a bounded time (utils/locustfile.py).

Starts the server, runs `locust --headless` with CSV output, stops the server and prints one summary
line from the aggregated CSV row. Exit 1 on any failure (locust's own exit code included).

Usage: python utils/load_test_locust.py [--seconds 10] [--users 20] [--csv .bench/locust]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

from loadserver import BIN, running_server, summary

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _ms(cell: str) -> float:
    """A latency cell of locust's CSV in ms (`N/A` when nothing was answered: 0)."""
    return float(cell) if cell not in ("", "N/A") else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--csv", type=Path, default=Path(".bench/locust"), help="CSV prefix")
    args = parser.parse_args()
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with running_server() as base:
        result = subprocess.run(
            [
                *(str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary"),
                *("-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s"),
                *("--host", base, "--csv", str(args.csv), "--stop-timeout", "5"),
                *("--exit-code-on-error", "1", "--loglevel", "WARNING"),
            ],
            capture_output=True,
            text=True,
            timeout=args.seconds + 60,
            check=False,
        )
    stats = Path(f"{args.csv}_stats.csv")
    if not stats.exists():
        print(f"error: locust wrote no stats:\n{result.stderr[-2000:]}", file=sys.stderr)
        return 1
    with stats.open(encoding="utf-8", newline="") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    print(
        summary(
            "locust",
            int(total["Request Count"]),
            failures,
            float(total["Requests/s"]),
            _ms(total["50%"]),
            _ms(total["99%"]),
        )
    )
    return 1 if failures or result.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
