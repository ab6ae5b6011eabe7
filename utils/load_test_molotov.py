"""Load-test `world-timer serve` with molotov's weighted scenarios (utils/molotov_scenarios.py).

Starts the server, runs molotov for a bounded time and number of runs, stops the server and prints
one summary line. molotov itself exits 0 when scenarios fail, so this passes `--fail 1` and also
checks its counts: exit 1 on any failure.

Usage: python utils/load_test_molotov.py [--seconds 10] [--workers 10] [--max-runs 0]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadserver import BIN, running_server, summary

SCENARIOS = Path(__file__).with_name("molotov_scenarios.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=10, help="molotov workers (coroutines)")
    parser.add_argument("--max-runs", type=int, default=0, help="per worker; 0 = until --seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wt-molotov-") as scratch, running_server() as base:
        stats = Path(scratch) / "latencies.json"
        env = {**os.environ, "WORLD_TIMER_URL": base, "WORLD_TIMER_MOLOTOV_STATS": str(stats)}
        command = [str(BIN / "molotov"), "--fail", "1", "--force-shutdown", "--console"]
        command += ["-w", str(args.workers), "-d", str(args.seconds)]
        if args.max_runs:
            command += ["--max-runs", str(args.max_runs)]
        started = time.monotonic()
        result = subprocess.run(
            [*command, str(SCENARIOS)],
            capture_output=True,
            text=True,
            env=env,
            timeout=args.seconds + 60,
            check=False,
        )
        elapsed = time.monotonic() - started
        latencies = json.loads(stats.read_text()) if stats.exists() else []
    counts = re.search(r"SUCCESSES: (\d+) \| FAILURES: (\d+)", result.stdout)
    if counts is None:
        print(f"error: molotov gave no counts:\n{result.stdout}{result.stderr}", file=sys.stderr)
        return 1
    ok, failed = int(counts[1]), int(counts[2])
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(summary("molotov", ok + failed, failed, (ok + failed) / elapsed, cuts[49], cuts[98]))
    return 1 if failed or result.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
