"""Smoke tests of the load-test scripts: a tiny bounded load against our own server each."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UTILS = Path(__file__).parent.parent / "utils"
SUMMARY = re.compile(
    r"^(\w+): requests=(\d+) failures=(\d+) req/s=\d+ p50=[\d.]+ms p99=[\d.]+ms$", re.M
)


def run_script(name: str, *args: str) -> tuple[str, int, int]:
    result = subprocess.run(
        [sys.executable, str(UTILS / name), *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    match = SUMMARY.search(result.stdout)
    assert match, result.stdout
    return match[1], int(match[2]), int(match[3])


@pytest.mark.skipif(shutil.which("ab") is None, reason="ab not installed (apache2-utils)")
def test_ab() -> None:
    assert run_script("load_test_ab.py", "--requests", "50", "--concurrency", "5") == ("ab", 50, 0)


@pytest.mark.skipif(importlib.util.find_spec("molotov") is None, reason="molotov not installed")
def test_molotov() -> None:
    tool, requests, failures = run_script(
        "load_test_molotov.py", "--seconds", "2", "--workers", "2", "--max-runs", "5"
    )
    assert (tool, requests, failures) == ("molotov", 10, 0)


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="locust not installed")
def test_locust(tmp_path: Path) -> None:
    tool, requests, failures = run_script(
        "load_test_locust.py", "--seconds", "8", "--users", "2", "--csv", str(tmp_path / "l")
    )
    assert tool == "locust" and requests > 0 and failures == 0
    assert (tmp_path / "l_stats.csv").exists()
