"""Prometheus tooling accepts our files: promtool on the config, rules and metrics, and a real
node_exporter textfile collector on the textfile a run writes. Each is skipped, with the reason,
where the Debian package is not installed (.ci/run installs them)."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import PINNED
from tests.processes import free_port, running
from world_timer.cli import CliEnv, cli

ROOT = Path(__file__).resolve().parent.parent
PROMTOOL = shutil.which("promtool")
NODE_EXPORTER = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed (Debian: apt-get install prometheus)"
)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default config file is found through platformdirs (the real environment): point it at
    an empty folder so a config file of the person running the tests does not count."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def _textfile(folder: Path, *places: str) -> Path:
    """Run `world-timer PLACES --metrics-textfile folder/world_timer.prom`; return the file."""
    prom = folder / "world_timer.prom"
    env = CliEnv(now=lambda: PINNED, environ={"WORLD_TIMER_LOG_DIR": str(folder / "logs")})
    CliRunner().invoke(cli, [*places, "--metrics-textfile", str(prom)], obj=env)
    assert prom.exists()
    return prom


def _promtool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


@needs_promtool
def test_promtool_accepts_the_scrape_config_and_its_rules() -> None:
    checked = _promtool("check", "config", str(ROOT / "misc" / "prometheus.yml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 2 rules found" in checked.stdout


@needs_promtool
def test_promtool_lints_the_run_metrics_clean(tmp_path: Path) -> None:
    prom = _textfile(tmp_path, "Tokyo", "Qzzqx", "Europe")
    linted = _promtool("check", "metrics", stdin=prom.read_text())
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout == "" and linted.stderr == ""


@pytest.fixture
def node_exporter(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """node_exporter with only the textfile collector, on a free loopback port: (url, folder)."""
    if NODE_EXPORTER is None:
        pytest.skip(
            "node_exporter is not installed (Debian: apt-get install prometheus-node-exporter)"
        )
    folder = tmp_path / "textfile"
    folder.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        NODE_EXPORTER,
        f"--web.listen-address=127.0.0.1:{port}",
        "--collector.disable-defaults",
        "--collector.textfile",
        f"--collector.textfile.directory={folder}",
    ]
    with running(command, url + "/metrics", tmp_path / "node_exporter.log"):
        yield url, folder


def test_node_exporter_textfile_collector_reads_the_run_metrics(
    node_exporter: tuple[str, Path],
) -> None:
    url, folder = node_exporter
    _textfile(folder, "Tokyo", "Lima")
    _textfile(folder, "Tokyo", "Qzzqx")
    with urllib.request.urlopen(url + "/metrics", timeout=5) as answer:
        text = answer.read().decode()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("node_textfile_scrape_error", ())] == 0
    assert samples[("world_timer_runs_total", (("result", "success"),))] == 1
    assert samples[("world_timer_runs_total", (("result", "failure"),))] == 1
    assert samples[("world_timer_places_resolved_total", (("source", "embedded"),))] == 3
    assert samples[("world_timer_places_failed_total", (("reason", "not_found"),))] == 1
    assert samples[("world_timer_last_success_timestamp_seconds", ())] == PINNED.timestamp()
    # Read without error: the collector reports the file's mtime (full path in node_exporter 1.5).
    files = [
        dict(labels)["file"] for name, labels in samples if name == "node_textfile_mtime_seconds"
    ]
    assert [Path(name).name for name in files] == ["world_timer.prom"]


@needs_promtool
@pytest.mark.parametrize("shared", [False, True], ids=["process", "shared"])
def test_promtool_lints_the_servers_metrics_clean(shared: bool) -> None:
    from prometheus_client import CollectorRegistry

    from tests.server_client import call
    from world_timer.server.app import make_app

    app = make_app(registry=CollectorRegistry(), now=lambda: PINNED, shared_metrics=shared)
    for path in ("/api/timezone/Asia/Tokyo", "/api/ip.txt", "/nowhere", "/healthz"):
        call(app, "GET", path)
    call(app, "BREW", "/healthz")
    text = call(app, "GET", "/metrics").body.decode()
    linted = _promtool("check", "metrics", stdin=text)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout == "" and linted.stderr == ""
    families = {family.name for family in text_string_to_metric_families(text)}
    assert {
        "world_timer_http_requests",
        "world_timer_http_request_duration_seconds",
        "world_timer_http_requests_in_flight",
        "world_timer_build_info",
    } <= families
