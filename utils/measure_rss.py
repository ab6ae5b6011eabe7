"""Memory of one `world-timer serve` worker under a flood of `/api/city/` misses, for sizing the
Kubernetes Deployment's memory request and limit (deploy/k8s/base/deployment.yaml).

Starts `world-timer serve --workers 1` on a free 127.0.0.1 port, as the Deployment runs it (one
worker per pod), sends a bounded number of `/api/city/<made-up name>` requests (each a new
name, so no cache absorbs them; keep-alive connections, several threads), and reads VmRSS,
VmHWM (the peak) and RssAnon of the server and its worker process from /proc/PID/status, and
their Pss (shared pages counted once, as the container's memory cgroup counts them) at
checkpoints. The server gets SIGTERM at the end.

Usage: python utils/measure_rss.py [--requests 40000] [--threads 8]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import random
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from loadserver import free_port, stop_process, wait_ready

BIN = Path(sys.executable).parent
FIELDS = ("VmRSS", "VmHWM", "RssAnon", "RssFile")


def tree(pid: int) -> list[int]:
    """`pid` and every process below it (Granian's workers are children of the server)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").iterdir():
            children = (task / "children").read_text().split()
            queue.extend(int(child) for child in children)
    return found


def memory(pid: int) -> dict[str, int]:
    """The FIELDS of /proc/PID/status and Pss of /proc/PID/smaps_rollup, in kB."""
    values = {}
    for path in (f"/proc/{pid}/status", f"/proc/{pid}/smaps_rollup"):
        for line in Path(path).read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in (*FIELDS, "Pss"):
                values[name] = int(rest.split()[0])
    return values


def report(label: str, root: int) -> None:
    """One line per process, then the sum of their Pss (shared pages counted once, as the
    container's cgroup counts them)."""
    total = 0
    for pid in tree(root):
        values = memory(pid)
        total += values.get("Pss", 0)
        role = "server" if pid == root else "worker"
        shown = "  ".join(f"{name} {values.get(name, 0) / 1024:5.1f}" for name in (*FIELDS, "Pss"))
        print(f"{label:>15}  {role} {pid:>7}  {shown} MiB", flush=True)
    print(f"{label:>15}  Pss of all: {total / 1024:.1f} MiB", flush=True)


def flood(port: int, names: list[str], errors: list[str]) -> None:
    """GET /api/city/NAME for every name on one keep-alive connection (reconnecting if closed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for name in names:
        try:
            connection.request("GET", f"/api/city/{name}")
            answer = connection.getresponse()
            answer.read()
            # 404: the miss; 503: the search queue was full; 200: a made-up name that reads as
            # a real place (a misspelling guess: `Qosen`), rare and just as costly to find.
            if answer.status not in (200, 404, 503):
                errors.append(f"{name}: {answer.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{name}: {exc!r}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4, help="checkpoints (RSS read after each)")
    args = parser.parse_args()
    rng = random.Random(21)
    letters = string.ascii_lowercase
    # Made-up names of 5 to 40 letters: longer queries cost the fuzzy search (and its memory) more.
    names = [
        "Q" + "".join(rng.choices(letters, k=rng.randint(4, 39))) for _ in range(args.requests)
    ]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="wt-rss-") as logs:
        command = [str(BIN / "world-timer"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--log-dir", logs]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port)
            report("idle", server.pid)
            per_round = len(names) // args.rounds
            started = time.monotonic()
            errors: list[str] = []
            for index in range(args.rounds):
                batch = names[index * per_round : (index + 1) * per_round]
                threads = [
                    threading.Thread(target=flood, args=(port, batch[n :: args.threads], errors))
                    for n in range(args.threads)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                done = (index + 1) * per_round
                report(f"{done:,} misses", server.pid)
            took = time.monotonic() - started
            print(f"{args.rounds * per_round:,} requests in {took:.1f} s, {len(errors)} errors")
            for error in itertools.islice(errors, 5):
                print(f"  {error}")
        finally:
            stop_process(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
