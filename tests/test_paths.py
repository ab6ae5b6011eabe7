"""Our per-user folders agree with platformdirs (the reference) on this platform."""

from __future__ import annotations

import pytest
from platformdirs import user_config_dir, user_log_dir

from world_timer.ops.paths import user_config_dir as our_config_dir
from world_timer.ops.paths import user_log_dir as our_log_dir


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"XDG_CONFIG_HOME": "/x/config", "XDG_STATE_HOME": "/x/state"},
        {"XDG_CONFIG_HOME": "  ", "XDG_STATE_HOME": ""},
        {"HOME": "/home/someone"},
    ],
)
def test_same_folders_as_platformdirs(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert str(our_config_dir()) == user_config_dir("world-timer", appauthor=False)
    assert str(our_log_dir()) == user_log_dir("world-timer", appauthor=False)
