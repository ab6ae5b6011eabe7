"""Benchmark `world-timer serve` against nginx (static file) and FastAPI + uvicorn, on one CPU.

Each server is pinned with taskset to CPU 0 and wrk to CPU 1; wrk runs 50 connections for 10 s on
/api/timezone/Asia/Tokyo. nginx serves the same JSON object as a static file, FastAPI + uvicorn
(the seed's stack) builds the same object with the same model. All loopback, all stopped at the
end. `--candidates` adds the other server/framework pairings that were measured to pick Granian
with the RSGI face. Figures go to stdout and to .bench/server.json.

Two more lines load `/api/ip` on `world-timer serve --geoip-db` (a test database of 16,391
networks, utils/geoip_test_db.py), wrk being a trusted proxy that sends X-Forwarded-For: one
client (the same address each time, answered from the LRU), and distinct clients (a random
address of 4 million for each request, so nearly every one is a database lookup). The goal:
within 10 % of /api/timezone/Asia/Tokyo.

Then the hostile mixes of utils/bench_hostile.py (p99 of the same request during a flood of
/api/city/ misses, and with 5,000 idle connections open); `--no-hostile` skips them.

Usage: python utils/bench_server.py [--seconds 10] [--connections 50] [--rounds 1] [--candidates]
                                    [--no-hostile]
Needs wrk, nginx and taskset (make bench-server installs the Debian packages when missing).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# utils/ is on the path when a script in it runs
from loadserver import LOAD_CPU, PATH, SERVER_CPU, free_port, parse_wrk, stop_process, wait_ready

OURS = "world-timer serve (granian, RSGI)"
GEOIP_ONE = "  /api/ip --geoip-db, one client (LRU)"
GEOIP_MANY = "  /api/ip --geoip-db, distinct clients"
GEOIP_NETWORKS = 16384
"""Extra /24 networks of the bench's geo-IP database (100.0.0.0 to 100.63.255.0)."""
# wrk's request function: a new client address each request, one of the extra networks' 4M.
DISTINCT_CLIENTS_LUA = """math.randomseed(1)
request = function()
  local address = string.format("100.%d.%d.%d", math.random(0, 63), math.random(0, 255),
                                math.random(1, 254))
  return wrk.format(nil, nil, {["X-Forwarded-For"] = address})
end
"""

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

NGINX_CONF = """daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}; proxy_temp_path {dir}; fastcgi_temp_path {dir};
  uwsgi_temp_path {dir}; scgi_temp_path {dir};
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    default_type application/json;
    add_header Cache-Control no-store;
  }}
}}
"""


def commands(port: int, work: Path, candidates: bool) -> dict[str, list[str]]:
    """The server command lines to compare, by name (each listens on 127.0.0.1:`port`)."""
    host = ["--host", "127.0.0.1", "--port", str(port)]
    ours = [str(BIN / "world-timer"), "serve", *host, "--workers", "1"]
    ours += ["--log-dir", str(work / "logs")]
    geoip = [*ours, "--geoip-db", str(work / "geoip.mmdb"), "--trusted-proxy", "127.0.0.1"]
    servers = {
        OURS: ours,
        GEOIP_ONE: geoip,
        GEOIP_MANY: geoip,
        "nginx static file": ["nginx", "-c", str(work / "nginx.conf"), "-e", str(work / "err.log")],
        "FastAPI + uvicorn (seed stack)": [
            str(BIN / "uvicorn"),
            *host,
            "--no-access-log",
            "--app-dir",
            str(ROOT / "utils"),
            "fastapi_seed_app:app",
        ],
    }
    if candidates:
        factory = "world_timer.server.app:make_app"
        granian = [str(BIN / "granian"), *host, "--factory", "--no-ws", "--runtime-threads", "1"]
        servers["granian, ASGI face"] = [*granian, "--interface", "asgi", factory]
        servers["granian, fixed bytes (floor)"] = [
            *granian,
            "--interface",
            "rsgi",
            "--working-dir",
            str(ROOT / "utils"),
            "--no-factory",
            "granian_floor_app:app",
        ]
        servers["uvicorn (httptools, uvloop), ASGI face"] = [
            str(BIN / "uvicorn"),
            *host,
            "--no-access-log",
            "--factory",
            factory,
        ]
    return servers


def prepare_nginx(work: Path, port: int) -> None:
    """Write the static copy of the JSON answer and nginx's configuration under `work`."""
    from world_timer.server.api import Api, to_json
    from world_timer.timekeeping.zones import load_zone

    target = work / "www" / PATH.lstrip("/")
    target.parent.mkdir(parents=True)
    target.write_bytes(to_json(Api().time_object(load_zone("Asia/Tokyo"), "127.0.0.1")))
    (work / "nginx.conf").write_text(NGINX_CONF.format(dir=work, port=port), encoding="utf-8")


def wrk_load(name: str, work: Path) -> list[str]:
    """wrk's arguments beyond the common ones for the line `name`: the path and, for the geo-IP
    lines, the X-Forwarded-For header (or the script that makes a new one each request)."""
    if name == GEOIP_ONE:
        return ["-H", "X-Forwarded-For: 100.0.0.9", "/api/ip"]
    if name == GEOIP_MANY:
        script = work / "distinct-clients.lua"
        script.write_text(DISTINCT_CLIENTS_LUA, encoding="utf-8")
        return ["-s", str(script), "/api/ip"]
    return [PATH]


def run_one(
    command: list[str], port: int, seconds: int, connections: int, load: list[str]
) -> dict[str, float]:
    """Start one pinned server, load it with pinned wrk (`load`: its extra options, then the
    path), stop it; return wrk's figures."""
    server = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port)
        wrk = subprocess.run(
            [
                *("taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"),
                *("--latency", "--timeout", "2s", *load[:-1], f"http://127.0.0.1:{port}{load[-1]}"),
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        )
        return parse_wrk(wrk.stdout)
    finally:
        stop_process(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="median over this many rounds")
    parser.add_argument("--candidates", action="store_true", help="also the other pairings")
    parser.add_argument("--no-hostile", action="store_true", help="skip the attack mixes")
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "taskset"):
        if shutil.which(tool) is None:
            print(f"error: {tool} not found (make bench-server installs it)", file=sys.stderr)
            return 2
    results: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="wt-bench-") as scratch:
        work = Path(scratch)
        port = free_port()
        prepare_nginx(work, port)
        from geoip_test_db import write_test_db

        write_test_db(work / "geoip.mmdb", extra_networks=GEOIP_NETWORKS)
        servers = commands(port, work, args.candidates)
        for _ in range(args.rounds):  # rounds interleave the servers so drift hits all alike
            for name, command in servers.items():
                load = wrk_load(name, work)
                results.setdefault(name, []).append(
                    run_one(command, port, args.seconds, args.connections, load)
                )
    summary = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    ours = summary[OURS]
    nginx = summary["nginx static file"]
    seed = summary["FastAPI + uvicorn (seed stack)"]
    print(f"wrk -t1 -c{args.connections} -d{args.seconds}s {PATH}, server on CPU 0, wrk on CPU 1")
    print(f"{'server':42} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for name, row in summary.items():
        print(
            f"{name:42} {row['rps']:9.0f} {row['p50_ms']:7.2f} {row['p99_ms']:7.2f}"
            f" {row['errors']:6.0f}"
        )
    ratios = {
        "vs_nginx": ours["rps"] / nginx["rps"] if nginx["rps"] else 0.0,
        "vs_fastapi": ours["rps"] / seed["rps"] if seed["rps"] else 0.0,
        "geoip_one_vs_timezone": summary[GEOIP_ONE]["rps"] / ours["rps"] if ours["rps"] else 0.0,
        "geoip_many_vs_timezone": summary[GEOIP_MANY]["rps"] / ours["rps"] if ours["rps"] else 0.0,
    }
    print(
        f"world-timer / nginx = {ratios['vs_nginx']:.2f} (goal >= 0.40); "
        f"world-timer / FastAPI = {ratios['vs_fastapi']:.1f}x (goal >= 8x); "
        f"p99 {ours['p99_ms']:.2f} ms (goal <= 10); errors {ours['errors']:.0f} (goal 0)"
    )
    print(
        f"/api/ip with geo-IP / /api/timezone: one client {ratios['geoip_one_vs_timezone']:.2f}, "
        f"distinct clients {ratios['geoip_many_vs_timezone']:.2f} (goal >= 0.90)"
    )
    out = ROOT / ".bench" / "server.json"
    out.parent.mkdir(exist_ok=True)
    hostile = {}
    if not args.no_hostile:
        from bench_hostile import run_all

        print()
        hostile = run_all(args.seconds)
    report = {"summary": summary, "ratios": ratios, "hostile": hostile}
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
