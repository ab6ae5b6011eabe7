"""Settings: every config error path with its exact message, precedence end to end, config commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from world_timer.cli import CliEnv
from world_timer.ops.config import Settings, load_settings
from world_timer.ops.config_starter import starter_file


@pytest.fixture
def config(tmp_path: Path):
    path = tmp_path / "config.toml"

    def write(text: str) -> Path:
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('cities = ["Tokyo"\n', "end of file: invalid TOML: Unclosed array"),
        ("[server]\nport = 1\n[server]\n", "line 3, column 8: invalid TOML: Cannot declare"),
        ("timeout = 5s\n", "line 1, column 12: invalid TOML: "),
        (
            'cities = ["Tokyo"]\ntimout = 3\n',
            "line 2: unknown key 'timout'; did you mean 'timeout'?",
        ),
        ("colour = true\n", "line 1: unknown key 'colour' (settings: cities, source, "),
        (
            'timeout = "5"\n',
            "line 1: 'timeout' must be a number of seconds, more than 0 and at most 300, not '5'",
        ),
        (
            "timeout = 0\n",
            "line 1: 'timeout' must be a number of seconds, more than 0 and at most 300, not 0",
        ),
        (
            'cities = "Tokyo"\n',
            "line 1: 'cities' must be a list of place names, e.g. [\"Tokyo\", \"Paris, TX\"], not 'Tokyo'",
        ),
        ('source = "web"\n', "line 1: 'source' must be one of embedded, api, not 'web'"),
        (
            "\n\nconcurrency = 1000\n",
            "line 3: 'concurrency' must be a whole number of requests from 1 to 64, not 1000",
        ),
        ("hour12 = 1\n", "line 1: 'hour12' must be true or false, not 1"),
        (
            'api_url = "ftp://x"\n',
            "line 1: 'api_url' must be an http:// or https:// URL, not 'ftp://x'",
        ),
        (
            'log_level = "LOUD"\n',
            "line 1: 'log_level' must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'",
        ),
        (
            "log_backups = -1\n",
            "line 1: 'log_backups' must be a whole number of days from 0 to 3650, not -1",
        ),
        ('log_format = "xml"\n', "line 1: 'log_format' must be one of text, json, not 'xml'"),
    ],
)
def test_bad_config_file_exact_message_and_exit_2(
    run, env, config, text: str, message: str
) -> None:
    path = config(text)
    result = run(["--config", str(path), "Tokyo"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}: {message}"), result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_missing_explicit_config_file(run, tmp_path: Path) -> None:
    result = run(["--config", str(tmp_path / "nope.toml"), "Tokyo"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'nope.toml'}: no such config file (create one with `world-timer config init`)\n"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "WORLD_TIMER_TIMEOUT",
            "soon",
            "WORLD_TIMER_TIMEOUT must be a number of seconds, more than 0 and at most 300, not 'soon'",
        ),
        ("WORLD_TIMER_HOUR12", "maybe", "WORLD_TIMER_HOUR12 must be true or false, not 'maybe'"),
        (
            "WORLD_TIMER_FORMAT",
            "xml",
            "WORLD_TIMER_FORMAT must be one of table, plain, json, not 'xml'",
        ),
    ],
)
def test_bad_environment_value(run, env, variable: str, value: str, message: str) -> None:
    env.environ = {**env.environ, variable: value}
    result = run(["Tokyo"])
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")


def test_precedence_defaults_file_environment_command_line(run, env, config) -> None:
    path = config('cities = ["Tokyo", "Lima"]\nformat = "json"\nhour12 = true\nseconds = true\n')
    env.environ = {**env.environ, "WORLD_TIMER_CONFIG": str(path)}
    # the file alone: its cities and its format
    rows = json.loads(run([]).stdout)
    assert [r["timezone"] for r in rows] == ["Asia/Tokyo", "America/Lima"]
    # the environment beats the file
    env.environ = {
        **env.environ,
        "WORLD_TIMER_FORMAT": "plain",
        "WORLD_TIMER_CITIES": "Paris, TX; Kathmandu",
    }
    env._settings = None
    result = run([])
    assert result.stdout.splitlines()[0].split("\t")[:4] == [
        "Paris, Texas, United States",
        "America/Chicago",
        "Mon 2026-11-30",
        "7:05:00 AM",
    ]
    # the command line beats both
    env._settings = None
    result = run(["--format", "plain", "--24h", "Tokyo"])
    assert result.stdout.split("\t")[3] == "22:05:00"


def test_config_show_names_each_origin(run, env, config) -> None:
    path = config("timeout = 3\nlog_backups = 7\n")
    env.environ = {**env.environ, "WORLD_TIMER_CONFIG": str(path), "WORLD_TIMER_SOURCE": "api"}
    lines = run(["config", "show"]).stdout.splitlines()
    shown = {line.split()[0]: line for line in lines}
    assert shown["timeout"].endswith(f"# config file {path}") and "= 3.0" in shown["timeout"]
    assert (
        shown["source"].endswith("# environment WORLD_TIMER_SOURCE") and '"api"' in shown["source"]
    )
    assert shown["concurrency"].endswith("# default") and "= 8" in shown["concurrency"]
    assert len(lines) == len(Settings._fields) - 1


def test_config_init_writes_a_valid_starter_and_never_overwrites(run, env, tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    env.environ = {**env.environ, "WORLD_TIMER_CONFIG": str(path)}
    assert run(["config", "path"]).stdout == f"{path}\n"
    first = run(["config", "init"])
    assert (first.exit_code, first.stdout) == (0, f"{path}\n")
    assert path.read_text(encoding="utf-8") == starter_file()
    assert load_settings({"WORLD_TIMER_CONFIG": str(path)}) == Settings()  # all commented out
    path.write_text('cities = ["Lima"]\n', encoding="utf-8")
    again = run(["config", "init"])
    assert again.exit_code == 1 and "use --force" in again.stderr
    assert path.read_text(encoding="utf-8") == 'cities = ["Lima"]\n'
    assert run(["config", "init", "--force"]).exit_code == 0
    assert path.read_text(encoding="utf-8") == starter_file()


def test_starter_file_values_are_valid_when_uncommented(tmp_path: Path) -> None:
    text = "\n".join(line[2:] for line in starter_file().splitlines() if " = " in line)
    path = tmp_path / "all.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings({}, path)
    assert settings.cities == ("Tokyo", "Lima", "New York") and settings.format == "table"


def test_settings_flow_to_logging(run, env, tmp_path: Path, config) -> None:
    path = config(f'log_dir = "{tmp_path / "from-file"}"\nlog_level = "WARNING"\n')
    env.environ = {"WORLD_TIMER_CONFIG": str(path), "TZ": "UTC"}
    run(["Tokyo", "Qqqzzz"])
    lines = (tmp_path / "from-file" / "world-timer.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and " WARNING " in lines[0]  # INFO lines filtered by log_level


def test_no_environment_read_outside_settings(tmp_path: Path) -> None:
    env = CliEnv(environ={"WORLD_TIMER_CITIES": "Lima"})
    assert env.settings().cities == ("Lima",)
    assert env.settings().origin("cities") == "environment WORLD_TIMER_CITIES"
