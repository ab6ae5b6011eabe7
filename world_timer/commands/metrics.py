"""`--metrics-textfile PATH` / `--pushgateway URL`: run metrics from `now` (options of `now`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from world_timer.commands.context import CliEnv
    from world_timer.ops.config import Settings
    from world_timer.reading.readings import Reading

F = TypeVar("F", bound=Callable[..., Any])


def _gateway_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from urllib.parse import urlsplit

    text = value.strip()
    try:
        # `host:port` alone is allowed, as push_to_gateway reads it: plain http.
        parts = urlsplit(text if "://" in text else f"http://{text}")
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise click.BadParameter(f"{value[:80]!r} is not an http:// or https:// URL")
    return value.strip()


def _textfile(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and not str(value).strip():
        raise click.BadParameter("an empty path")
    return value


def metrics_options(func: F) -> F:
    """--metrics-textfile PATH and --pushgateway URL (as `metrics_textfile`, `pushgateway`)."""
    func = click.option(
        "--pushgateway",
        metavar="URL",
        callback=_gateway_url,
        help="Push the run metrics to this Prometheus Pushgateway (job world_timer, "
        "instance = host name), e.g. http://127.0.0.1:9091.",
    )(func)
    return click.option(
        "--metrics-textfile",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_textfile,
        metavar="PATH",
        help="Write the run metrics to PATH (a .prom file in node_exporter's textfile "
        "collector folder), atomically; counters carry on from the file's previous values.",
    )(func)


def record_metrics(
    env: CliEnv,
    settings: Settings,
    readings: Sequence[Reading],
    requests: Sequence[tuple[str, float]],
    textfile: Path | None,
    gateway: str | None,
) -> None:
    """Write or push the run metrics when asked; a problem is one warning line on stderr and
    does not change the exit code (the times were printed). `requests` are the API requests'
    (outcome, seconds). prometheus_client is imported only here, only then."""
    if textfile is None and gateway is None:
        return
    from world_timer.ops.metrics import RequestSample, record_run

    problems = record_run(
        readings,
        textfile=textfile,
        gateway=gateway,
        requests=[RequestSample(outcome, seconds) for outcome, seconds in requests],
        now=env.now(),
        timeout=settings.timeout,
    )
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
