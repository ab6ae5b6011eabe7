"""The console script pauses the cyclic garbage collector; long-running commands resume it."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from world_timer import console


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_the_main_job_runs_with_the_collector_paused(
    collector: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["world-timer", "--format", "json", "Asia/Tokyo"])
    with pytest.raises(SystemExit) as exit_info:
        console.main()
    assert exit_info.value.code == 0
    assert '"timezone": "Asia/Tokyo"' in capsys.readouterr().out
    assert not gc.isenabled()


def test_resume_collector(collector: None) -> None:
    gc.disable()
    console.resume_collector()
    assert gc.isenabled()


def test_python_dash_m_runs_the_console_entry() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "world_timer", "--format", "plain", "UTC"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("UTC\t")
