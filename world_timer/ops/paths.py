"""Per-user folders of World Timer: the config folder and the log folder.

platformdirs is the reference (and is used on macOS and Windows), but importing it costs the
start-up of every run about 5 ms (it pulls in tempfile and shutil). On Linux its answer is the XDG
Base Directory rule, one line each, so that is computed here; tests/test_paths.py checks that both
agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "world-timer"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "").strip()
    return Path(value) if value else Path(os.path.expanduser(fallback))


def user_config_dir() -> Path:
    """`~/.config/world-timer` on Linux ($XDG_CONFIG_HOME), the platform's own place elsewhere."""
    if sys.platform.startswith("linux"):
        return _xdg("XDG_CONFIG_HOME", "~/.config") / APP_NAME
    from platformdirs import user_config_dir as platform_config_dir

    return Path(platform_config_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    """`~/.local/state/world-timer/log` on Linux ($XDG_STATE_HOME), the platform's elsewhere."""
    if sys.platform.startswith("linux"):
        return _xdg("XDG_STATE_HOME", "~/.local/state") / APP_NAME / "log"
    from platformdirs import user_log_dir as platform_log_dir

    return Path(platform_log_dir(APP_NAME, appauthor=False))
