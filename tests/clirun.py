"""Running the CLI in-process with an injected clock and environment (helpers for the tests)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from world_timer.cli import CliEnv, cli


def run_cli(
    args: list[str], now: datetime, log_dir: Path, tz: str = "Europe/London", **environ: str
) -> Result:
    """Invoke `world-timer ARGS` with the clock at `now`, $TZ = `tz` and logs under `log_dir`."""
    env: Mapping[str, str] = {"TZ": tz, "WORLD_TIMER_LOG_DIR": str(log_dir), **environ}
    return CliRunner().invoke(cli, args, obj=CliEnv(now=lambda: now, environ=env))
