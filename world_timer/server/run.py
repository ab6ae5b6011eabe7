"""Starting the time API: Granian worker processes serving `make_app` through RSGI.

Why Granian, RSGI and uvloop: measured on one pinned CPU (README, `make bench-server`), Granian
with uvloop and the app's RSGI face answered more requests per second than Granian's ASGI face,
Granian on asyncio's loop or uvicorn (httptools + uvloop), and several times more than FastAPI on
uvicorn; a framework would only add a layer over six fixed routes.

Granian forks its workers and loads the app in each (`load_app`), so the settings travel in one
environment variable as JSON. With several workers, Prometheus multiprocess mode is switched on
(PROMETHEUS_MULTIPROC_DIR, a temporary folder made here and removed at shutdown) before
prometheus_client is first imported, so `/metrics` adds up every worker.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import socket
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SETTINGS_ENV = "WORLD_TIMER_SERVE_SETTINGS"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
SHUTDOWN_SECONDS = 10
"""How long a worker may take to finish its requests at shutdown before it is killed."""
HEADER_SECONDS = 5
"""How long a connection may take to send a complete request head (hyper's header_read_timeout),
counted from the connection's start or from the end of its previous answer: so a connection that
sends nothing, trickles its head (slowloris) or stays idle between keep-alive requests is closed
after this many seconds."""
RESERVED_FILES = 64
"""Descriptors of a worker kept back from connections: the app's own files, sockets and pipes."""
LISTEN_BACKLOG = 4096
"""The listening socket's queue of connections not yet accepted (capped by net.core.somaxconn)."""


class ServeError(Exception):
    """The server cannot start (address in use, bad settings); str() is a one-line reason."""


@dataclass(frozen=True)
class ServeSettings:
    """What `world-timer serve` was asked for: bind address, worker count, app settings.

    `default_zone` is an IANA zone key (answers `/api/ip`); `trusted_proxies` are addresses or
    CIDR networks whose X-Forwarded-For is believed; `log_dir` is the folder of world-timer.log;
    `geoip_db` is the MaxMind DB file that places `/api/ip` callers (None: none).
    """

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    default_zone: str = "UTC"
    trusted_proxies: tuple[str, ...] = ()
    log_dir: str | None = None
    access_log: bool = False
    geoip_db: str | None = None


def load_app(_target: str) -> Any:
    """Build the app in a Granian worker from the settings in $WORLD_TIMER_SERVE_SETTINGS."""
    from world_timer.server.app import make_app
    from world_timer.timekeeping.zones import load_zone

    raw = json.loads(os.environ[SETTINGS_ENV])
    settings = ServeSettings(**{**raw, "trusted_proxies": tuple(raw["trusted_proxies"])})
    if settings.log_dir:
        from world_timer.ops.logs import configure_logging

        configure_logging(Path(settings.log_dir))
    app = make_app(
        default_zone=load_zone(settings.default_zone),
        trusted_proxies=settings.trusted_proxies,
        access_log=settings.access_log,
        geoip_db=settings.geoip_db,
    )
    # Everything built so far lives as long as the worker: keep it out of the collector's scans
    # (switched on, whatever the parent process did: see world_timer.console).
    gc.freeze()
    gc.enable()
    return app


def check_address(host: str, port: int) -> None:
    """Raise ServeError when `host:port` cannot be bound (in use, not an address of this host)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def check_geoip_db(path: str | None) -> str:
    """Open and close the geo-IP database once, before any worker starts, so that a bad file
    stops `serve` with one line rather than every worker with a traceback. Return what it is
    for the start-up log line (`GeoLite2-City /data/GeoLite2-City.mmdb`, or `none`). Raises
    ServeError (the reason of `world_timer.server.geoip.GeoIpError`)."""
    if not path:
        return "none"
    from world_timer.server.geoip import GeoIpError, open_geoip

    try:
        geoip = open_geoip(Path(path))
    except GeoIpError as exc:
        raise ServeError(str(exc)) from None
    geoip.close()
    return f"{geoip.database_type} {path}"


def _granian_logging() -> dict[str, Any]:
    """Granian's own start/stop lines on stderr (stdout is for data), its access log off."""
    return {
        "handlers": {
            "console": {
                "formatter": "generic",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
            },
            "access": {"class": "logging.NullHandler"},
        },
    }


def raise_open_file_limit() -> int:
    """Raise this process's soft RLIMIT_NOFILE to its hard limit (workers inherit it); return
    the soft limit now in force (a count of descriptors). Each connection holds a descriptor, and
    many systems start programs with a soft limit of 1,024 while allowing far more."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        # RLIM_INFINITY is refused as a soft limit on Linux above fs.nr_open: keep a finite one.
        wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft


def connection_limit(open_files: int) -> int:
    """Connections one worker serves at once (Granian's `backpressure`): what its descriptors
    allow, less RESERVED_FILES. Granian's default is backlog / workers (1,024 for one worker),
    which 1,100 idle connections used up: new ones then waited in the backlog, unanswered."""
    return max(128, open_files - RESERVED_FILES)


def serve(settings: ServeSettings) -> None:
    """Serve until SIGTERM or SIGINT, then let workers finish (at most SHUTDOWN_SECONDS) and
    return. Raises ServeError when the address cannot be bound or the geo-IP database cannot be
    used."""
    geoip = check_geoip_db(settings.geoip_db)
    check_address(settings.host, settings.port)
    log = logging.getLogger("world_timer.server")
    metrics_dir = None
    if settings.workers > 1 and not os.environ.get(MULTIPROC_ENV):
        metrics_dir = tempfile.mkdtemp(prefix="world-timer-metrics-")
        os.environ[MULTIPROC_ENV] = metrics_dir
    os.environ[SETTINGS_ENV] = json.dumps(asdict(settings))
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.http import HTTP1Settings
    from granian.server import Server

    open_files = raise_open_file_limit()

    server = Server(
        target="world_timer.server.app:make_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.RSGI,
        workers=settings.workers,
        runtime_threads=1,
        loop=Loops.auto,
        websockets=False,
        # HTTP/1.1 only: hyper's header_read_timeout bounds HTTP/1 connections, while an idle
        # HTTP/2 connection (prior knowledge) would stay open as long as it answers pings.
        http=HTTPModes.http1,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_SECONDS * 1000),
        backlog=LISTEN_BACKLOG,
        backpressure=connection_limit(open_files),
        log_dictconfig=_granian_logging(),
        workers_kill_timeout=SHUTDOWN_SECONDS,
    )
    log.info(
        "serving http://%s:%d workers=%d default_zone=%s geoip=%s",
        settings.host,
        settings.port,
        settings.workers,
        settings.default_zone,
        geoip,
    )
    try:
        server.serve(target_loader=load_app)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
            os.environ.pop(MULTIPROC_ENV, None)
        log.info("stopped http://%s:%d", settings.host, settings.port)
