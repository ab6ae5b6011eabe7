"""`world-timer serve` under hostile load: p99 of an ordinary request while it is attacked.

Three mixes, each on a fresh server pinned to CPU 0 (wrk on CPU 1), all on loopback:
- `quiet`: wrk -c10 on /api/timezone/Asia/Tokyo alone (the reference);
- `miss flood`: the same, while a second wrk (-c50) asks /api/city/ for a place that does not
  exist: the same miss over and over (`same miss`), or a new made-up name each time
  (`distinct misses`, a wrk Lua script), which no cache can absorb;
- `5,000 idle`: the same, while 5,000 connections are open and send nothing (issue 14).
Figures are wrk's `--latency` p99 of the Tokyo requests, its request rate, and errors (socket
errors, timeouts and non-2xx). Called by utils/bench_server.py (`make bench-server`), or alone:

Usage: python utils/bench_hostile.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from loadserver import LOAD_CPU, PATH, SERVER_CPU, free_port, parse_wrk, stop_process, wait_ready

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MISS = "/api/city/Qzzqx"
IDLE = 5000
# A new name of five to seven letters per request: no two requests miss the same way.
DISTINCT_LUA = """
counter = 0
local letters = "bcdfghjklmnpqrstvwxz"
request = function()
  counter = counter + 1
  local n, name = counter, "Q"
  while n > 0 do
    local i = n % 20
    name = name .. letters:sub(i + 1, i + 1)
    n = (n - i) / 20
  end
  return wrk.format("GET", "/api/city/" .. name .. "zzq")
end
"""


def _wrk(
    port: int, connections: int, seconds: int, path: str, script: Path | None = None
) -> subprocess.Popen[str]:
    command = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "5s"]
    if script is not None:
        command += ["-s", str(script)]
    return subprocess.Popen(
        [*command, f"http://127.0.0.1:{port}{path}"], stdout=subprocess.PIPE, text=True
    )


def _hold_idle(
    port: int, count: int, stop: threading.Event, opened: threading.Event, held: list[int]
) -> None:
    sockets = []
    try:
        for _ in range(count):
            try:
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break  # the server's queue is full: keep the ones it took
        held.append(len(sockets))
        opened.set()
        while not stop.wait(0.5):
            # The server closes idle connections after its header timeout; reopen them, as an
            # attacker would, so the 5,000 stay open for the whole run.
            for index, sock in enumerate(sockets):
                sock.setblocking(False)
                try:
                    if sock.recv(1) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    continue
                except OSError:
                    sock.close()
                    with contextlib.suppress(OSError):
                        sockets[index] = socket.create_connection(("127.0.0.1", port), timeout=2)
    finally:
        opened.set()
        for sock in sockets:
            sock.close()


def run_mix(mix: str, seconds: int, work: Path) -> dict[str, float]:
    """Start a pinned server, run one mix, stop it; wrk's figures for the Tokyo requests."""
    port = free_port()
    command = [str(BIN / "world-timer"), "serve", "--port", str(port)]
    command += ["--log-dir", str(work / "logs")]
    server = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stop, opened = threading.Event(), threading.Event()
    holder = None
    attack = None
    held: list[int] = []
    try:
        wait_ready(port)
        if mix == "5,000 idle":
            holder = threading.Thread(target=_hold_idle, args=(port, IDLE, stop, opened, held))
            holder.start()
            opened.wait(60)
            time.sleep(0.5)
        elif mix == "same miss":
            attack = _wrk(port, 50, seconds + 1, MISS)
        elif mix == "distinct misses":
            script = work / "distinct.lua"
            script.write_text(DISTINCT_LUA, encoding="utf-8")
            attack = _wrk(port, 50, seconds + 1, "/", script)
        if attack is not None:
            time.sleep(0.5)  # the flood is on before the measured requests start
        measured = _wrk(port, 10, seconds, PATH)
        try:
            out, _ = measured.communicate(timeout=seconds + 20)
        except subprocess.TimeoutExpired:  # wrk could not even connect: nothing was answered
            measured.kill()
            measured.communicate()
            out = ""
        result = parse_wrk(out)
        if held:
            result["idle_held"] = float(held[0])
        if attack is not None:
            attack_out, _ = attack.communicate(timeout=seconds + 60)
            result["attack_rps"] = parse_wrk(attack_out)["rps"]
        return result
    finally:
        stop.set()
        if holder is not None:
            holder.join(timeout=30)
        for process in (attack, server):
            if process is not None and process.poll() is None:
                stop_process(process)


MIXES = ("quiet", "same miss", "distinct misses", "5,000 idle")


def run_all(seconds: int, mixes: tuple[str, ...] = MIXES) -> dict[str, dict[str, float]]:
    """Every mix in turn; print a table and return the figures by mix."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # this process holds the 5,000
    results = {}
    with tempfile.TemporaryDirectory(prefix="wt-hostile-") as scratch:
        for mix in mixes:
            results[mix] = run_mix(mix, seconds, Path(scratch))
    print(f"wrk -t1 -c10 -d{seconds}s {PATH} while attacked; server on CPU 0, wrk on CPU 1")
    print(f"{'mix':18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'attack req/s':>13}")
    for mix, row in results.items():
        attack = f"{row['attack_rps']:13.0f}" if "attack_rps" in row else f"{'-':>13}"
        print(
            f"{mix:18} {row['rps']:8.0f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f}"
            f" {row['errors']:7.0f} {attack}"
        )
        if "idle_held" in row:
            print(f"  (idle connections the server took: {row['idle_held']:.0f} of {IDLE})")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--mix", action="append", choices=MIXES, help="only these mixes")
    args = parser.parse_args()
    results = run_all(args.seconds, tuple(args.mix or MIXES))
    out = ROOT / ".bench" / "hostile.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
