"""Run metrics: the values, the node_exporter textfile, and pushes to a real Pushgateway."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import prometheus_client
import pytest
from click.testing import CliRunner, Result
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import PINNED
from tests.processes import free_port, running
from world_timer.cli import CliEnv, cli
from world_timer.ops.metrics import (
    JOB,
    RequestSample,
    build_registry,
    grouping_key,
    read_totals,
    record_run,
)
from world_timer.reading.readings import read_clocks

HOST = socket.gethostname()


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default config file is found through platformdirs (the real environment): point it at
    an empty folder so a config file of the person running the tests does not count."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def _samples(text: str, **labels: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels without job/instance): value} of an exposition text,
    keeping the samples whose labels include `labels`."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if all(sample.labels.get(k) == v for k, v in labels.items()):
                rest = {k: v for k, v in sample.labels.items() if k not in ("job", "instance")}
                found[(sample.name, tuple(sorted(rest.items())))] = sample.value
    return found


def test_counts_places_by_source_and_reason_and_the_run_by_result() -> None:
    readings = read_clocks(["Tokyo", "Lima", "Qzzqx", "Europe", " "], PINNED)
    registry = build_registry(readings, now=PINNED)
    value = registry.get_sample_value
    assert value("world_timer_runs_total", {"result": "failure"}) == 1
    assert value("world_timer_runs_total", {"result": "success"}) is None
    assert value("world_timer_places_resolved_total", {"source": "embedded"}) == 2
    assert value("world_timer_places_failed_total", {"reason": "not_found"}) == 1
    assert value("world_timer_places_failed_total", {"reason": "region"}) == 1
    assert value("world_timer_places_failed_total", {"reason": "empty"}) == 1
    assert value("world_timer_last_run_places", {"result": "resolved"}) == 2
    assert value("world_timer_last_run_places", {"result": "failed"}) == 3
    assert value("world_timer_last_run_timestamp_seconds") == PINNED.timestamp()
    assert value("world_timer_last_success_timestamp_seconds") is None
    # The embedded source makes no API request: the counter has no samples, no histogram.
    assert value("world_timer_api_requests_total", {"outcome": "ok"}) is None
    assert value("world_timer_api_request_duration_seconds_count") is None


def test_api_requests_and_their_latency_histogram_carry_over_runs() -> None:
    readings = read_clocks(["Tokyo"], PINNED)
    requests = [RequestSample("ok", 0.03), RequestSample("ok", 0.2), RequestSample("timeout", 5.0)]
    first = build_registry(readings, requests, now=PINNED)
    value = first.get_sample_value
    assert value("world_timer_api_requests_total", {"outcome": "ok"}) == 2
    assert value("world_timer_api_requests_total", {"outcome": "timeout"}) == 1
    bucket = "world_timer_api_request_duration_seconds_bucket"
    counts = [value(bucket, {"le": le}) for le in ("0.025", "0.05", "0.25", "2.5", "5.0", "+Inf")]
    assert counts == [0, 1, 2, 2, 3, 3]
    assert value("world_timer_api_request_duration_seconds_sum") == pytest.approx(5.23)
    assert value("world_timer_api_request_duration_seconds_count") == 3
    assert value("world_timer_last_success_timestamp_seconds") == PINNED.timestamp()

    later = PINNED + timedelta(minutes=5)
    text = prometheus_client.generate_latest(first).decode()
    second = build_registry(readings, [RequestSample("ok", 0.01)], later, read_totals(text))
    value = second.get_sample_value
    assert value("world_timer_api_requests_total", {"outcome": "ok"}) == 3
    assert value(bucket, {"le": "0.025"}) == 1
    assert value(bucket, {"le": "+Inf"}) == 4
    assert value("world_timer_api_request_duration_seconds_sum") == pytest.approx(5.24)
    assert value("world_timer_runs_total", {"result": "success"}) == 2
    assert value("world_timer_last_success_timestamp_seconds") == later.timestamp()


def test_a_failed_run_keeps_the_last_success_time() -> None:
    ok = build_registry(read_clocks(["Tokyo"], PINNED), now=PINNED)
    previous = read_totals(prometheus_client.generate_latest(ok).decode())
    later = PINNED + timedelta(hours=1)
    failed = build_registry(read_clocks(["Qzzqx"], later), now=later, previous=previous)
    assert failed.get_sample_value("world_timer_last_success_timestamp_seconds") == (
        PINNED.timestamp()
    )
    assert failed.get_sample_value("world_timer_last_run_timestamp_seconds") == later.timestamp()


def _now(args: list[str], log_dir: Path, at: float = 0) -> Result:
    env = CliEnv(
        now=lambda: PINNED + timedelta(seconds=at),
        environ={"TZ": "UTC", "WORLD_TIMER_LOG_DIR": str(log_dir)},
    )
    return CliRunner().invoke(cli, args, obj=env, catch_exceptions=False)


def test_textfile_is_rewritten_whole_each_run_with_running_totals(tmp_path: Path) -> None:
    prom = tmp_path / "textfile" / "world_timer.prom"
    prom.parent.mkdir()  # node_exporter's collector folder exists before World Timer writes there
    logs = tmp_path / "logs"
    assert _now(["Tokyo", "--metrics-textfile", str(prom)], logs).exit_code == 0
    assert _now(["Tokyo", "Qzzqx", "--metrics-textfile", str(prom)], logs, 60).exit_code == 1
    shown = _now(["Lima", "--metrics-textfile", str(prom)], logs, 120)
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Lima, Peru\t")
    assert shown.stderr == ""
    samples = _samples(prom.read_text())
    assert samples[("world_timer_runs_total", (("result", "success"),))] == 2
    assert samples[("world_timer_runs_total", (("result", "failure"),))] == 1
    assert samples[("world_timer_places_resolved_total", (("source", "embedded"),))] == 3
    assert samples[("world_timer_places_failed_total", (("reason", "not_found"),))] == 1
    assert samples[("world_timer_last_run_places", (("result", "resolved"),))] == 1
    assert samples[("world_timer_last_success_timestamp_seconds", ())] == PINNED.timestamp() + 120
    # The collector reads *.prom only; the lock file is not one, and no temporary file is left.
    assert sorted(p.name for p in prom.parent.iterdir()) == [
        "world_timer.prom",
        "world_timer.prom.lock",
    ]


def test_concurrent_runs_count_every_run(tmp_path: Path) -> None:
    """Runs started together (real processes) share the textfile: none of them is lost."""
    prom = tmp_path / "world_timer.prom"
    command = [sys.executable, "-m", "world_timer", "Tokyo", "--metrics-textfile", str(prom)]
    environ = {**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path / "logs"), "TZ": "UTC"}
    runs = [
        subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(8)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
    samples = _samples(prom.read_text())
    assert samples[("world_timer_runs_total", (("result", "success"),))] == 8
    assert samples[("world_timer_places_resolved_total", (("source", "embedded"),))] == 8


def test_a_bad_textfile_is_a_warning_and_counting_restarts(tmp_path: Path) -> None:
    prom = tmp_path / "world_timer.prom"
    prom.write_text("this is { not the text format\n")
    shown = _now(["Tokyo", "--metrics-textfile", str(prom)], tmp_path / "logs")
    assert shown.exit_code == 0
    assert shown.stderr == (
        f"warning: {prom}: not in the Prometheus text format; counting from 0\n"
    )
    assert _samples(prom.read_text())[("world_timer_runs_total", (("result", "success"),))] == 1


def test_a_missing_textfile_folder_is_a_warning_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "wt.prom"
    shown = _now(["Tokyo", "--metrics-textfile", str(missing)], tmp_path / "logs")
    assert shown.exit_code == 0 and shown.stdout.startswith("Tokyo, Japan\t")
    assert shown.stderr == (f"warning: cannot write the metrics file {missing}: no such folder\n")
    assert not (tmp_path / "no").exists()


def test_an_unwritable_textfile_is_a_warning_and_the_times_are_printed(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    shown = _now(["Tokyo", "--metrics-textfile", str(blocker / "wt.prom")], tmp_path / "logs")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Tokyo, Japan\t")
    assert shown.stderr.startswith(
        f"warning: cannot write the metrics file {blocker / 'wt.prom'}: "
    )
    assert shown.stderr.count("\n") == 1


PUSHGATEWAY = shutil.which("prometheus-pushgateway") or shutil.which("pushgateway")


@pytest.fixture
def pushgateway(tmp_path: Path) -> Iterator[str]:
    """A real Pushgateway on a free loopback port, stopped after the test."""
    if PUSHGATEWAY is None:
        pytest.skip(
            "prometheus-pushgateway is not installed (Debian: apt-get install "
            "prometheus-pushgateway; .ci/run installs it); the loopback test still checks the push"
        )
    url = f"http://127.0.0.1:{free_port()}"
    command = [
        PUSHGATEWAY,
        f"--web.listen-address={url.removeprefix('http://')}",
        # Debian's build persists to /var/lib/prometheus by default: keep this one apart.
        f"--persistence.file={tmp_path / 'pushgateway.data'}",
    ]
    with running(command, url + "/-/ready", tmp_path / "pushgateway.log"):
        yield url


def test_push_to_a_real_pushgateway_carries_the_totals(pushgateway: str, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    assert _now(["Tokyo", "--pushgateway", pushgateway], logs).exit_code == 0
    second = _now(
        ["Tokyo", "Europe", "--pushgateway", pushgateway.removeprefix("http://")], logs, 60
    )
    assert second.exit_code == 1
    assert "warning" not in second.stderr
    with urllib.request.urlopen(pushgateway + "/metrics", timeout=5) as answer:
        text = answer.read().decode()
    mine = _samples(text, job=JOB, instance=HOST)
    assert mine[("world_timer_runs_total", (("result", "success"),))] == 1
    assert mine[("world_timer_runs_total", (("result", "failure"),))] == 1
    assert mine[("world_timer_places_resolved_total", (("source", "embedded"),))] == 2
    assert mine[("world_timer_places_failed_total", (("reason", "region"),))] == 1
    assert mine[("world_timer_last_success_timestamp_seconds", ())] == PINNED.timestamp()
    assert mine[("world_timer_last_run_timestamp_seconds", ())] == PINNED.timestamp() + 60
    # The gateway's own record of the push, for alerts on stale jobs.
    assert mine[("push_time_seconds", ())] > 0


class _Gateway(http.server.BaseHTTPRequestHandler):
    """A loopback stand-in that records pushes and serves nothing pushed yet."""

    pushes: list[tuple[str, str, str, bytes]]

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.pushes.append((self.command, self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def test_push_sends_the_text_exposition_format_over_http(tmp_path: Path) -> None:
    handler = type("Gateway", (_Gateway,), {"pushes": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        shown = _now(["Tokyo", "Lima", "--pushgateway", url], tmp_path / "logs")
    finally:
        server.shutdown()
        server.server_close()
    assert shown.exit_code == 0 and shown.stderr == ""
    [(method, path, content_type, body)] = handler.pushes
    assert method == "PUT"
    assert path == f"/metrics/job/{JOB}/instance/{grouping_key()['instance']}"
    assert content_type.startswith("text/plain; version=0.0.4")
    samples = _samples(body.decode())
    assert samples[("world_timer_runs_total", (("result", "success"),))] == 1
    assert samples[("world_timer_places_resolved_total", (("source", "embedded"),))] == 2
    assert samples[("world_timer_last_run_timestamp_seconds", ())] == PINNED.timestamp()


def test_an_unreachable_gateway_is_a_warning_and_the_exit_code_stays(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    shown = _now(["Tokyo", "--pushgateway", url], tmp_path / "logs")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Tokyo, Japan\t")
    assert shown.stderr.startswith(f"warning: cannot push the metrics to {url}: ")


def test_never_the_global_registry(tmp_path: Path) -> None:
    prom = tmp_path / "world_timer.prom"
    assert _now(["Tokyo", "--metrics-textfile", str(prom)], tmp_path / "logs").exit_code == 0
    assert prom.exists()
    global_names = {m.name for m in prometheus_client.REGISTRY.collect()}
    assert not {name for name in global_names if name.startswith("world_timer")}
    one, two = (build_registry(read_clocks(["Tokyo"], PINNED)) for _ in range(2))
    assert one is not two


def test_prometheus_client_is_imported_only_with_a_metrics_option(tmp_path: Path) -> None:
    def imports(*extra: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "world_timer", "Tokyo", *extra],
            env={**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path / "logs")},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}

    assert "prometheus_client" not in imports()
    assert "prometheus_client" in imports("--metrics-textfile", str(tmp_path / "wt.prom"))


def test_record_run_reports_problems_instead_of_raising(tmp_path: Path) -> None:
    readings = read_clocks(["Tokyo"], PINNED)
    problems = record_run(readings, textfile=tmp_path, gateway="http://127.0.0.1:1", timeout=2)
    assert len(problems) == 2
    assert problems[0].startswith(f"cannot write the metrics file {tmp_path}: ")
    assert problems[1].startswith("cannot push the metrics to http://127.0.0.1:1: ")
