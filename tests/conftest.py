"""Shared fixtures: a pinned clock, an isolated environment and the case tables in tests/data."""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from world_timer.cli import CliEnv, cli
from world_timer.ops.logs import LOGGER_NAME
from world_timer.places.guess import set_strict

DATA = Path(__file__).parent / "data"
# 2026-11-30T13:05:00Z, a Monday: Tokyo is already past 22:00, Lima still in the morning.
PINNED = datetime(2026, 11, 30, 13, 5, 0, tzinfo=UTC)


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a case table (comment lines starting with # dropped; header kept if uncommented)."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The suite never reads the config file, log folder or WORLD_TIMER_* variables of whoever
    runs it: per-user folders point into a temporary home, those variables are removed."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("WORLD_TIMER_") or name in ("NO_COLOR", "PROMETHEUS_MULTIPROC_DIR"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))


@pytest.fixture(autouse=True)
def _guessing_allowed() -> Iterator[None]:
    """Each test starts with guesses allowed (places/guess.py); `--strict` in one never leaks."""
    set_strict(False)
    yield
    set_strict(False)


@pytest.fixture
def strict() -> Iterator[None]:
    """Guesses refused (`--strict`) for the test."""
    set_strict(True)
    yield
    set_strict(False)


@pytest.fixture(autouse=True)
def _isolated_logging() -> Iterator[None]:
    """Remove the world_timer log handlers after each test so they do not pile up."""
    yield
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path / "logs"


@pytest.fixture
def env(log_dir: Path) -> CliEnv:
    """A CLI environment with the clock pinned, the user in Europe/Berlin and logs in tmp_path."""
    return CliEnv(
        now=lambda: PINNED,
        environ={"TZ": "Europe/Berlin", "WORLD_TIMER_LOG_DIR": str(log_dir)},
    )


@pytest.fixture
def run(env: CliEnv) -> object:
    """Invoke the CLI in-process with the pinned environment: run(args) -> click Result."""
    runner = CliRunner()

    def invoke(args: list[str], environment: CliEnv | None = None) -> Result:
        return runner.invoke(cli, args, obj=environment or env, catch_exceptions=True)

    return invoke
