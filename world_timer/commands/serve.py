"""`world-timer serve`: the worldtimeapi-compatible time API with Prometheus metrics."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from world_timer.commands.context import log_dir_option
from world_timer.errors import ExitCode

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv


def _address(value: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise click.BadParameter(f"{value[:60]!r} is not an IP address") from None


def _zone_key(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    from world_timer.timekeeping.zones import canonical_key

    key = canonical_key(value)
    if key is None:
        raise click.BadParameter(f"{value!r} is not an IANA zone key (e.g. Europe/Paris, UTC)")
    return key


def _networks(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    import ipaddress

    for item in value:
        try:
            ipaddress.ip_network(item.strip(), strict=False)
        except ValueError:
            raise click.BadParameter(f"{item!r} is not an IP address or network") from None
    return value


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=lambda _c, _p, value: _address(value),
    help="IP address to listen on (127.0.0.1, ::1, or 0.0.0.0 to open it to the network).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (metrics add up over all of them).",
)
@click.option(
    "--default-zone",
    default="UTC",
    show_default=True,
    callback=_zone_key,
    help="IANA zone key that /api/ip answers with when the caller's address is not placed.",
)
@click.option(
    "--geoip-db",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="MaxMind DB file (GeoLite2-City, DB-IP City Lite) placing /api/ip callers in their "
    "zone [config geoip_db, env WORLD_TIMER_GEOIP_DB].",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    callback=_networks,
    metavar="ADDRESS",
    help="Believe X-Forwarded-For from this address or network (repeatable).",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="One log line per request (costs throughput).",
)
@log_dir_option
@click.pass_obj
def serve_command(
    env: CliEnv,
    host: str,
    port: int,
    workers: int,
    default_zone: str,
    trusted_proxies: tuple[str, ...],
    access_log: bool,
    geoip_db: Path | None,
    log_dir: Path | None,
) -> None:
    """Serve the worldtimeapi-compatible time API until SIGTERM or Ctrl-C.

    Routes: `/api/timezone[/AREA[/LOCATION[/REGION]]][.txt]`, `/api/ip[.txt]`,
    `/api/ip/ADDRESS[.txt]`, `/api/city/QUERY`, `/healthz`, `/metrics` (Prometheus),
    `/openapi.json`. Binds the loopback address unless told. A geo-IP database that cannot be
    read stops it at once (exit 1).

    \b
    Example:
      world-timer serve --port 8080 --workers 2
      curl http://127.0.0.1:8080/api/timezone/Asia/Tokyo
    """
    import gc

    from world_timer.commands.context import setup_logging
    from world_timer.server.run import ServeError, ServeSettings, serve

    gc.enable()  # world_timer/console.py paused the collector; a server runs until stopped

    effective = env.settings().override("command line", log_dir=log_dir, geoip_db=geoip_db)
    folder = setup_logging(env, effective)
    settings = ServeSettings(
        host=host,
        port=port,
        workers=workers,
        default_zone=default_zone,
        trusted_proxies=trusted_proxies,
        log_dir=str(folder),
        access_log=access_log,
        geoip_db=str(effective.geoip_db) if effective.geoip_db else None,
    )
    try:
        serve(settings)
    except ServeError as exc:
        click.echo(f"error: {exc}", err=True)
        click.get_current_context().exit(ExitCode.NOT_RESOLVED)
