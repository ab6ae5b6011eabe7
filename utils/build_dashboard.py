"""Build the Grafana dashboard deploy/grafana/dashboards/world-timer.json from Python.

The dashboard is written with grafana-foundation-sdk, Grafana's SDK generated from the schema of
its dashboards (the CUE kinds of Grafana 11.6 in the pinned build): every panel, query and
option is a typed builder, so the JSON has the shape Grafana's schema gives. The JSON file is
committed (Grafana provisions it from compose.grafana.yaml); tests/test_deploy_files.py checks
that it is what this script builds, that it round-trips through the SDK's models (Grafana's
schema) unchanged, and that promtool parses every query.

Panels, on the metrics of `world-timer serve` (world_timer/server/metrics.py) and of the
scheduled runs (world_timer/ops/metrics.py, through the Pushgateway):
request rate by replica and by status, latency quantiles from the histogram, error ratio,
replicas up, top-N zones asked, run results and the age of the last success.

Usage: python utils/build_dashboard.py [--check]   (--check: exit 1 if the file is stale)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from grafana_foundation_sdk.builders import (
    bargauge,
    common,
    dashboard,
    prometheus,
    stat,
    timeseries,
)
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common as common_models
from grafana_foundation_sdk.models.dashboard import DataSourceRef

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "deploy" / "grafana" / "dashboards" / "world-timer.json"
# The data source provisioned beside the dashboard (deploy/grafana/provisioning/datasources).
DATASOURCE = DataSourceRef(type_val="prometheus", uid="world-timer-prometheus")
SERVE = 'job="world-timer-serve"'
RUNS = 'job="world_timer"'


def query(expr: str, legend: str = "", ref: str = "A") -> prometheus.Dataquery:
    """One PromQL query of a panel (range query, legend template `legend`)."""
    built = prometheus.Dataquery().expr(expr).ref_id(ref).datasource(DATASOURCE)
    return built.legend_format(legend) if legend else built


def series(title: str, unit: str, *queries: prometheus.Dataquery) -> timeseries.Panel:
    """A time series panel, 12 columns wide, 8 rows high."""
    panel = timeseries.Panel().title(title).unit(unit).datasource(DATASOURCE)
    panel = panel.span(12).height(8).fill_opacity(10)
    for item in queries:
        panel = panel.with_target(item)
    return panel


def single(title: str, unit: str, expr: str) -> stat.Panel:
    """A single-value panel (last value), 6 columns wide, 4 rows high."""
    reduce = common.ReduceDataOptions().calcs(["lastNotNull"])
    panel = stat.Panel().title(title).unit(unit).datasource(DATASOURCE).reduce_options(reduce)
    return panel.span(6).height(4).with_target(query(expr))


def by(labels: str, expr: str) -> prometheus.Dataquery:
    """`sum by (labels) (expr)`, one series per value of `labels`, named after it."""
    return query(f"sum by ({labels}) ({expr})", "{{%s}}" % labels)  # noqa: UP031 (PromQL braces)


def build() -> dict[str, Any]:
    """The dashboard as the JSON object Grafana reads (keys sorted, as committed)."""
    window = "[$__rate_interval]"
    rate = f"rate(world_timer_http_requests_total{{{SERVE}}}{window})"
    bucket = f"rate(world_timer_http_request_duration_seconds_bucket{{{SERVE}}}{window})"
    latency = [
        query(f"histogram_quantile({q}, sum by (le) ({bucket}))", f"p{round(q * 100)}", ref)
        for q, ref in ((0.5, "A"), (0.9, "B"), (0.99, "C"))
    ]
    server_errors = f'rate(world_timer_http_requests_total{{{SERVE},status=~"5.."}}{window})'
    zones = f"rate(world_timer_zone_answers_total{{{SERVE}}}[$__range])"
    top_zones = (
        bargauge.Panel()
        .title("Top 10 zones asked (over the time range)")
        .description("Answers by IANA zone key, all replicas added up.")
        .unit("reqps")
        .datasource(DATASOURCE)
        .display_mode(common_models.BarGaugeDisplayMode.BASIC)
        .orientation(common_models.VizOrientation.HORIZONTAL)
        .span(12)
        .height(8)
        .with_target(query(f"topk(10, sum by (zone) ({zones}))", "{{zone}}").instant())
    )
    in_flight = f"sum(world_timer_http_requests_in_flight{{{SERVE}}})"
    last_success = f"time() - max(world_timer_last_success_timestamp_seconds{{{RUNS}}})"
    built = (
        dashboard.Dashboard("World Timer")
        .uid("world-timer")
        .description("worldtimeapi-compatible API replicas and scheduled runs (World Timer)")
        .tags(["world-timer", "prometheus"])
        .refresh("30s")
        .time("now-1h", "now")
        .timezone("utc")
        .with_row(dashboard.Row("Service"))
        .with_panel(single("Replicas up", "short", f"sum(up{{{SERVE}}})"))
        .with_panel(single("Requests/s (all replicas)", "reqps", f"sum({rate})"))
        .with_panel(single("5xx ratio", "percentunit", f"sum({server_errors}) / sum({rate})"))
        .with_panel(single("In flight", "short", in_flight))
        .with_panel(series("Requests/s by replica", "reqps", by("instance", rate)))
        .with_panel(series("Requests/s by status", "reqps", by("status", rate)))
        .with_panel(series("Latency in the app (quantiles of the histogram)", "s", *latency))
        .with_panel(top_zones)
        .with_row(dashboard.Row("Scheduled runs (Pushgateway)"))
        .with_panel(
            series("Runs by result", "short", by("result", f"world_timer_runs_total{{{RUNS}}}"))
        )
        .with_panel(
            series(
                "Places in the last run",
                "short",
                by("result", f"world_timer_last_run_places{{{RUNS}}}"),
            )
        )
        .with_panel(single("Since the last successful run", "s", last_success))
        .with_panel(
            single(
                "Places failed (total)", "short", f"sum(world_timer_places_failed_total{{{RUNS}}})"
            )
        )
    )
    board = dict(json.loads(JSONEncoder(sort_keys=True).encode(built.build())))
    # The builders leave every panel's id at 0; Grafana wants them unique within the dashboard.
    for number, panel in enumerate(board["panels"], start=1):
        panel["id"] = number
    return board


def expressions(board: dict[str, Any]) -> list[str]:
    """Every PromQL expression of the dashboard's panels, in order."""
    return [t["expr"] for p in board.get("panels", []) for t in p.get("targets", [])]


def render(board: dict[str, Any]) -> str:
    """The committed text: two-space indent, sorted keys, one final newline."""
    return json.dumps(board, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the JSON file, or with --check tell whether it is up to date (exit 1 when not)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(
                f"{OUTPUT.relative_to(ROOT)} is stale: run utils/build_dashboard.py",
                file=sys.stderr,
            )
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(expressions(json.loads(text)))} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
