"""Colour: ANSI codes on a terminal only, never with NO_COLOR set (a real pseudo-terminal)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest


def _table_in_a_terminal(tmp_path: Path, **extra: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment |= {"TZ": "UTC", "WORLD_TIMER_LOG_DIR": str(tmp_path), **extra}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "world_timer", "Tokyo", "Lima"],
        env=environment,
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 120),
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    return str(output)


def test_a_terminal_gets_a_table_with_colour(tmp_path: Path) -> None:
    output = _table_in_a_terminal(tmp_path)
    assert "\x1b[2mPlace" in output  # the header, dimmed
    assert "Tokyo, Japan" in output


@pytest.mark.parametrize("value", ["1", "yes"])
def test_no_color_turns_colour_off_even_on_a_terminal(tmp_path: Path, value: str) -> None:
    output = _table_in_a_terminal(tmp_path, NO_COLOR=value)
    assert "\x1b[" not in output
    assert "Place" in output and "Tokyo, Japan" in output
