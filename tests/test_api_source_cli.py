"""`world-timer --source api` and `check-clock` through the CLI, against a real loopback server.

Checked for each fault: the rows (API, fallback or error), the exit code, one warning on stderr,
no traceback, the log lines, and the deadline (plus a margin: a correctness bound, not speed).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fake_worldtimeapi import FakeWorldTimeApi, Fault

from world_timer.cli import CliEnv, cli

MARGIN = 1.0
"""Seconds allowed past a deadline for thread scheduling on a loaded machine."""


@pytest.fixture
def api() -> Iterator[FakeWorldTimeApi]:
    with FakeWorldTimeApi() as server:
        yield server


def run(
    tmp_path: Path,
    args: list[str],
    environ: dict[str, str] | None = None,
    now: Callable[[], datetime] | None = None,
) -> tuple[Result, float]:
    env = CliEnv(
        now=now or (lambda: datetime.now(UTC)),
        environ={"WORLD_TIMER_LOG_DIR": str(tmp_path), "TZ": "UTC", **(environ or {})},
    )
    started = time.monotonic()
    result = CliRunner().invoke(cli, args, obj=env)
    return result, time.monotonic() - started


def api_args(api: FakeWorldTimeApi, *more: str, timeout: str = "1.5") -> list[str]:
    return ["--source", "api", "--api-url", api.base_url, "--timeout", timeout, *more]


def log_lines(tmp_path: Path) -> list[str]:
    lines = (tmp_path / "world-timer.log").read_text(encoding="utf-8").splitlines()
    return [line.split(" ", 3)[3] for line in lines]  # drop the timestamp, level and run id


def rows(result: Result) -> dict[str, dict[str, Any]]:
    return {row["query"]: row for row in json.loads(result.stdout)}


def test_api_answers_are_marked_as_such(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    result, _ = run(tmp_path, api_args(api, "--format", "json", "Tokyo", "Lima", "+05:30"))
    assert result.exit_code == 0, result.output
    found = rows(result)
    assert found["Tokyo"]["source"] == "api"
    assert found["Tokyo"]["timezone"] == "Asia/Tokyo"
    assert found["Lima"]["source"] == "api"
    assert "fallback_reason" not in found["Tokyo"]
    # A fixed offset is arithmetic: never asked, computed here, not a fallback.
    assert found["+05:30"]["source"] == "embedded"
    assert "fallback_reason" not in found["+05:30"]
    assert result.stderr == ""
    assert api.requests == {"Asia/Tokyo": 1, "America/Lima": 1}
    logged = log_lines(tmp_path)
    assert f"event=request url='{api.base_url}/timezone/Asia/Tokyo' status=200" in logged[0]
    assert logged[0].endswith("retries=0 outcome='ok'")
    assert any(
        line.startswith("event=place query='Tokyo'") and "source='api'" in line for line in logged
    )


def test_places_in_one_zone_make_one_request(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    result, _ = run(tmp_path, api_args(api, "--format", "json", "Tokyo", "Asia/Tokyo", "Japan"))
    assert result.exit_code == 0, result.output
    assert {row["source"] for row in rows(result).values()} == {"api"}
    assert api.requests == {"Asia/Tokyo": 1}


FAULTS = [
    (Fault("status", status=429, retry_after="1"), "HTTP 429 after"),
    (Fault("status", status=503), "HTTP 503 after"),
    (Fault("reset"), "connection reset after 1 retry"),
    (Fault("truncated"), "bad JSON (Unterminated string"),
    (Fault("html"), "not JSON: content type 'text/html'"),
    (Fault("wrong_zone", zone="Asia/Seoul"), "answered zone 'Asia/Seoul' for Asia/Tokyo"),
    (Fault("unknown"), "unknown location"),
    (Fault("hang"), "timeout: no complete answer within 1.5 s"),
    (Fault("trickle"), "timeout: no complete answer within 1.5 s"),
]


@pytest.mark.parametrize(("fault", "reason"), FAULTS, ids=[f.kind for f, _ in FAULTS])
def test_a_failed_place_falls_back_to_the_embedded_time(
    api: FakeWorldTimeApi, tmp_path: Path, fault: Fault, reason: str
) -> None:
    api.faults["Asia/Tokyo"] = fault
    result, elapsed = run(tmp_path, api_args(api, "--format", "json", "Tokyo", "Lima"))
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert elapsed < 1.5 + MARGIN
    tokyo, lima = rows(result)["Tokyo"], rows(result)["Lima"]
    assert tokyo["source"] == "embedded"
    assert tokyo["fallback_reason"].startswith(reason)
    assert tokyo["utc_offset"] == "+09:00"  # the embedded time, still right
    assert lima["source"] == "api"
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: time API failed for Tokyo ({reason}")
    assert warnings[0].endswith(": showing the embedded tz database's time instead")
    assert "Traceback" not in result.output + result.stderr
    logged = log_lines(tmp_path)
    request = next(line for line in logged if "/timezone/Asia/Tokyo" in line)
    assert request.startswith(f"event=request url='{api.base_url}/timezone/Asia/Tokyo' status=")
    assert " outcome='error' reason=" in request and reason.partition(" (")[0] in request
    assert any(line.startswith("event=fallback query='Tokyo' zone='Asia/Tokyo'") for line in logged)
    assert any(
        line.startswith("event=place query='Tokyo'") and "source='embedded'" in line
        for line in logged
    )


@pytest.mark.parametrize(("fault", "reason"), FAULTS[:7:3], ids=[f.kind for f, _ in FAULTS[:7:3]])
def test_no_fallback_makes_an_error_row_and_exit_1(
    api: FakeWorldTimeApi, tmp_path: Path, fault: Fault, reason: str
) -> None:
    api.faults["Asia/Tokyo"] = fault
    args = api_args(api, "--no-fallback", "--format", "json", "Tokyo", "Lima")
    result, elapsed = run(tmp_path, args)
    assert result.exit_code == 1
    assert elapsed < 1.5 + MARGIN
    tokyo = rows(result)["Tokyo"]
    assert tokyo["error"].startswith(reason)
    assert tokyo["message"].startswith(f"'Tokyo': time API: {reason}")
    assert rows(result)["Lima"]["source"] == "api"
    assert result.stderr.splitlines() == [f"error: {tokyo['message']}"]


def test_the_table_marks_fallback_rows(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    api.faults["America/Lima"] = Fault("unknown")
    result, _ = run(tmp_path, api_args(api, "--format", "table", "Tokyo", "Lima"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Tokyo, Japan") and not lines[1].endswith("*")
    assert lines[2].startswith("Lima, Peru") and lines[2].endswith(" *")
    assert lines[3] == "* time API failed: embedded tz database time (reason on stderr)"
    assert result.stderr.startswith("warning: time API failed for Lima (unknown location)")


def test_503_twice_then_success(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    api.faults["Asia/Tokyo"] = Fault("status", status=503, times=2, retry_after="1")
    result, elapsed = run(tmp_path, api_args(api, "--format", "json", "Tokyo", timeout="4"))
    assert result.exit_code == 0, result.output
    assert rows(result)["Tokyo"]["source"] == "api"
    assert result.stderr == ""
    assert api.requests["Asia/Tokyo"] == 3
    assert " status=200 " in log_lines(tmp_path)[0]
    assert log_lines(tmp_path)[0].endswith(" retries=2 outcome='ok'")
    assert elapsed < 4 + MARGIN


def test_the_api_url_comes_from_the_environment(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    environ = {"WORLD_TIMER_API_URL": api.base_url}
    result, _ = run(tmp_path, ["--source", "api", "--format", "json", "Lima"], environ)
    assert result.exit_code == 0, result.output
    assert rows(result)["Lima"]["source"] == "api"
    assert api.requests == {"America/Lima": 1}


def test_the_embedded_source_asks_nothing(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    environ = {"WORLD_TIMER_API_URL": api.base_url}
    result, _ = run(tmp_path, ["--format", "json", "Lima"], environ)
    assert result.exit_code == 0
    assert rows(result)["Lima"]["source"] == "embedded"
    assert api.requests == {}


@pytest.mark.parametrize(
    ("args", "environ", "message"),
    [
        (["--api-url", "ftp://example.invalid/api"], {}, "Invalid value for '--api-url'"),
        (["--api-url", "worldtimeapi"], {}, "is not an http:// or https:// URL"),
        (
            [],
            {"WORLD_TIMER_API_URL": "nonsense"},
            "WORLD_TIMER_API_URL must be an http:// or https:// URL, not 'nonsense'",
        ),
        (["--timeout", "0"], {}, "Invalid value for '--timeout'"),
        (["--concurrency", "0"], {}, "Invalid value for '--concurrency'"),
        (["--source", "ntp"], {}, "Invalid value for '--source'"),
    ],
)
def test_bad_api_options_are_usage_errors(
    tmp_path: Path, args: list[str], environ: dict[str, str], message: str
) -> None:
    result, _ = run(tmp_path, ["--source", "api", *args, "Tokyo"], environ)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# --- check-clock -------------------------------------------------------------------------------


def shifted(seconds: float) -> Callable[[], datetime]:
    return lambda: datetime.now(UTC) + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("shift", "max_skew", "side", "code"),
    [(2.4, "2", "ahead of", 1), (-3.0, "2", "behind", 1), (2.4, "5", "ahead of", 0)],
)
def test_check_clock_reports_the_skew(
    api: FakeWorldTimeApi, tmp_path: Path, shift: float, max_skew: str, side: str, code: int
) -> None:
    args = ["check-clock", "--api-url", api.base_url, "--max-skew", max_skew]
    result, _ = run(tmp_path, args, now=shifted(shift))
    assert result.exit_code == code
    line = result.stdout.strip()
    amount, rest = line.removeprefix("local clock is ").split(" s ", 1)
    assert abs(float(amount) - abs(shift)) <= 0.1
    assert rest.startswith(f"{side} the API, ±")
    assert rest.endswith(" s")
    assert api.requests == {"Etc/UTC": 3}
    if code:
        match = re.fullmatch(
            r"error: the local clock is (\d+\.\d{3}) s off the API's \(±0\.\d{3} s\), "
            rf"more than --max-skew {max_skew} s\n",
            result.stderr,
        )
        assert match and abs(float(match[1]) - abs(shift)) <= 0.1, result.stderr
    else:
        assert result.stderr == ""


def test_a_skew_within_the_margin_never_fails(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    # Clocks that agree to within the measurement's margin agree, whatever --max-skew says.
    args = ["check-clock", "--api-url", api.base_url, "--max-skew", "0", "--format", "json"]
    result, _ = run(tmp_path, args)
    data = json.loads(result.stdout)
    assert abs(data["skew_seconds"]) <= data["uncertainty_seconds"] + 0.005
    assert (result.exit_code, data["ok"], result.stderr) == (0, True, "")
    plain, _ = run(tmp_path, args[:-2])
    assert plain.stdout.startswith("local clock agrees with the API, ±")
    assert (plain.exit_code, plain.stderr) == (0, "")


def test_check_clock_when_the_clocks_agree(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    args = ["check-clock", "--api-url", api.base_url, "--format", "json", "--samples", "2"]
    result, _ = run(tmp_path, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert abs(data["skew_seconds"]) <= data["uncertainty_seconds"] + 0.05
    assert data["samples"] == 2
    assert data["ok"] is True
    assert data["api_url"] == api.base_url


def test_check_clock_with_the_server_clock_shifted(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    api.now = shifted(-10)  # the API is 10 s behind: the local clock is ahead
    result, _ = run(tmp_path, ["check-clock", "--api-url", api.base_url, "--format", "json"])
    assert result.exit_code == 1
    assert 9.9 <= json.loads(result.stdout)["skew_seconds"] <= 10.1


def test_check_clock_without_an_answer(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    api.faults["Etc/UTC"] = Fault("html")
    result, elapsed = run(tmp_path, ["check-clock", "--api-url", api.base_url, "--timeout", "1"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: clock check failed: not JSON: content type 'text/html'\n"
    assert elapsed < 1 + MARGIN


def test_now_with_check_clock(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    result, _ = run(tmp_path, ["--check-clock", "--api-url", api.base_url, "Tokyo"], None)
    assert result.exit_code == 0
    assert result.stdout.startswith("Tokyo, Japan\tAsia/Tokyo\t")
    assert result.stderr.startswith("note: local clock ")
    assert api.requests == {"Etc/UTC": 3}  # the times themselves stayed embedded


# --- Real processes ----------------------------------------------------------------------------


def world_timer(
    tmp_path: Path, *args: str, timeout: float = 30
) -> tuple[subprocess.CompletedProcess[str], float]:
    environ = {**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path), "TZ": "UTC"}
    environ.pop("WORLD_TIMER_API_URL", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
        check=False,
    )
    return done, time.monotonic() - started


def test_the_offline_path_does_not_import_requests(tmp_path: Path) -> None:
    offline, _ = world_timer(
        tmp_path, "-X", "importtime", "-m", "world_timer", "-c", "Tokyo", "-c", "Lima"
    )
    assert offline.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in offline.stderr.splitlines()}
    assert "world_timer.cli" in imported
    assert not {"requests", "urllib3", "http.client"} & imported


def test_the_api_path_imports_requests(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    args = ["-X", "importtime", "-m", "world_timer", "--source", "api", "--api-url", api.base_url]
    online, _ = world_timer(tmp_path, *args, "Tokyo")
    assert online.returncode == 0
    assert "requests" in {line.rsplit("|", 1)[-1].strip() for line in online.stderr.splitlines()}


def test_a_hanging_server_does_not_keep_the_process_alive(
    api: FakeWorldTimeApi, tmp_path: Path
) -> None:
    api.faults["*"] = Fault("hang")
    args = ["-m", "world_timer", "--source", "api", "--api-url", api.base_url, "--timeout", "1"]
    done, elapsed = world_timer(tmp_path, *args, "Tokyo", "Lima")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("Tokyo, Japan\tAsia/Tokyo\t")
    assert done.stderr.startswith("warning: time API failed for Tokyo, Lima (timeout: ")
    assert "Traceback" not in done.stderr
    # Start-up (~0.5 s) + the 1 s deadline; the hanging requests do not hold the exit.
    assert elapsed < 1 + 3 * MARGIN


def test_api_requests_reach_the_run_metrics(api: FakeWorldTimeApi, tmp_path: Path) -> None:
    """--metrics-textfile with --source api: one request sample per distinct zone, by outcome."""
    from prometheus_client.parser import text_string_to_metric_families

    api.faults["America/Lima"] = Fault("status", status=503, times=99)
    textfile = tmp_path / "world_timer.prom"
    args = api_args(api, "--metrics-textfile", str(textfile), "--format", "json", "Tokyo", "Lima")
    result, _ = run(tmp_path, [*args, "Osaka"])  # Osaka shares Tokyo's zone: one request
    assert result.exit_code == 0, result.output
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(textfile.read_text(encoding="utf-8"))
        for sample in family.samples
    }
    assert samples[("world_timer_api_requests_total", (("outcome", "ok"),))] == 1
    assert samples[("world_timer_api_requests_total", (("outcome", "http_503"),))] == 1
    assert samples[("world_timer_api_request_duration_seconds_count", ())] == 2
    assert samples[("world_timer_places_resolved_total", (("source", "api"),))] == 2
    assert samples[("world_timer_places_resolved_total", (("source", "embedded"),))] == 1
