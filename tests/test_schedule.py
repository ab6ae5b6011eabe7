"""`world-timer schedule launchd|systemd`: the files it writes load, and the job they describe runs."""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from world_timer.cli import CliEnv, cli
from world_timer.ops.schedule import (
    LABEL,
    Job,
    default_folder,
    format_interval,
    parse_interval,
    render_launchd,
    render_systemd,
    world_timer_program,
    write_files,
)

PROGRAM = str(Path(os.path.abspath(sys.executable)).with_name("world-timer"))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5m", 300),
        ("300", 300),
        ("90s", 90),
        ("1h30m", 5400),
        ("5min", 300),
        ("1m", 60),
        ("24h", 86400),
        (" 2H ", 7200),
        ("1h0m30s", 3630),
    ],
)
def test_parse_interval(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "59s", "24h1s", "5x", "m", "1.5h", "-5m", "5m5h"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="interval"):
        parse_interval(text)


def test_format_interval() -> None:
    assert [format_interval(s) for s in (60, 300, 90, 3600, 5400, 86400)] == [
        "1m",
        "5m",
        "1m30s",
        "1h",
        "1h30m",
        "24h",
    ]


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default config file is found through platformdirs (the real environment): point it at
    an empty folder so a config file of the person running the tests does not count."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def _schedule(args: list[str], **environ: str) -> Result:
    env = CliEnv(environ=environ)
    return CliRunner().invoke(cli, ["schedule", *args], obj=env, catch_exceptions=False)


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A home with a config file (in a folder with a space) that names two cities."""
    config = tmp_path / "my config" / "config.toml"
    config.parent.mkdir()
    config.write_text('cities = ["Tokyo", "Lima"]\n', encoding="utf-8")
    return {
        "HOME": str(tmp_path),
        "WORLD_TIMER_CONFIG": str(config),
        "WORLD_TIMER_LOG_DIR": str(tmp_path / "log folder"),
        "TZ": "UTC",
    }


def _run_job(command: list[str], environment: dict[str, str], cwd: Path) -> str:
    """Run a scheduled job's command as the service manager would (fresh environment); stdout."""
    environ = {"PATH": "/usr/bin:/bin", "TZ": "UTC", **environment}
    done = subprocess.run(
        command, env=environ, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_launchd_plist_has_real_paths_and_its_job_runs(
    home: dict[str, str], tmp_path: Path
) -> None:
    shown = _schedule(["launchd", "--every", "15m"], **home)
    assert shown.exit_code == 0, shown.output
    plist = tmp_path / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    assert shown.stdout == f"{plist}\n"
    assert f"note: load it with `launchctl load -w {plist}`" in shown.stderr
    with plist.open("rb") as handle:
        agent = plistlib.load(handle)
    log_dir = tmp_path / "log folder"
    assert agent == {
        "Label": "io.github.world-timer.world-timer",
        "ProgramArguments": [PROGRAM],  # the cities come from the config file at each run
        "StartInterval": 900,
        "RunAtLoad": True,
        "StandardOutPath": str(log_dir / "world-timer.out"),
        "StandardErrorPath": str(log_dir / "world-timer.err"),
        "EnvironmentVariables": {
            "WORLD_TIMER_CONFIG": home["WORLD_TIMER_CONFIG"],
            "WORLD_TIMER_LOG_DIR": str(log_dir),
            "LANG": "en_US.UTF-8",
        },
        "ProcessType": "Background",
        "LowPriorityIO": True,
    }
    assert log_dir.is_dir()  # launchd does not create the folder of StandardOutPath
    assert os.access(agent["ProgramArguments"][0], os.X_OK)
    out = _run_job(agent["ProgramArguments"], agent["EnvironmentVariables"], cwd=Path("/"))
    assert [line.split("\t")[0] for line in out.splitlines()] == ["Tokyo, Japan", "Lima, Peru"]
    log = (log_dir / "world-timer.log").read_text(encoding="utf-8")
    assert "query='Tokyo'" in log and "query='Lima'" in log


def _unit(text: str) -> dict[str, list[str]]:
    """`Key=value` lines of a unit file, comments and sections left out: {key: [values]}."""
    keys: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            keys.setdefault(key, []).append(value)
    return keys


def test_systemd_units_quote_places_and_paths_and_their_job_runs(
    home: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # --output is relative: written as an absolute path
    places = ["Tokyo", "São Paulo", "Paris, TX", "UTC+05:30"]
    shown = _schedule(["systemd", *places, "--every", "90s", "--output", "units"], **home)
    assert shown.exit_code == 0, shown.output
    folder = Path("units").absolute()
    service, timer = folder / "world-timer.service", folder / "world-timer.timer"
    assert shown.stdout == f"{service}\n{timer}\n"
    service_keys, timer_keys = _unit(service.read_text()), _unit(timer.read_text())
    assert service_keys["ExecStart"] == [f'{PROGRAM} -- Tokyo "São Paulo" "Paris, TX" UTC+05:30']
    assert service_keys["Environment"] == [
        f'"WORLD_TIMER_CONFIG={home["WORLD_TIMER_CONFIG"]}"',
        f'"WORLD_TIMER_LOG_DIR={tmp_path / "log folder"}"',
    ]
    assert service_keys["Type"] == ["oneshot"]
    assert timer_keys["OnUnitActiveSec"] == ["90s"]
    assert timer_keys["Description"] == ["World Timer every 1m30s"]
    assert timer_keys["Unit"] == ["world-timer.service"]
    assert timer_keys["WantedBy"] == ["timers.target"]
    assert "@" not in service.read_text().replace("@...@", "")

    # systemd's quoting of these words is the shell's: run the job as systemd would.
    command = shlex.split(service_keys["ExecStart"][0])
    environment = dict(shlex.split(v)[0].split("=", 1) for v in service_keys["Environment"])
    out = _run_job(command, environment, cwd=tmp_path)
    assert [line.split("\t")[0] for line in out.splitlines()] == [
        "Tokyo, Japan",
        "São Paulo, Brazil",
        "Paris, Texas, United States",
        "UTC+05:30",
    ]


def test_systemd_escapes_specifiers_and_variables() -> None:
    job = Job(("/opt/w t/world-timer", "100%", "$HOME"), 300, Path("/var/log/w%t"))
    keys = _unit(render_systemd(job)["world-timer.service"])
    assert keys["ExecStart"] == ['"/opt/w t/world-timer" 100%% $$HOME']
    assert keys["Environment"] == ['"WORLD_TIMER_LOG_DIR=/var/log/w%%t"']  # no config: no line


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(
    SYSTEMD_ANALYZE is None,
    reason="systemd-analyze is not installed (Debian: apt-get install systemd)",
)
def test_systemd_analyze_verifies_the_units(home: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "units"
    shown = _schedule(["systemd", "Tokyo", "São Paulo", "--output", str(out)], **home)
    assert shown.exit_code == 0, shown.output
    assert SYSTEMD_ANALYZE is not None
    verified = subprocess.run(
        [
            SYSTEMD_ANALYZE,
            "verify",
            str(out / "world-timer.service"),
            str(out / "world-timer.timer"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert "world-timer" not in verified.stderr, verified.stderr  # no warning about our units


def test_refuses_to_overwrite_without_force(home: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "units"
    assert _schedule(["systemd", "--output", str(out)], **home).exit_code == 0
    before = (out / "world-timer.timer").read_text()
    again = _schedule(["systemd", "--output", str(out), "--every", "1h"], **home)
    assert again.exit_code == 1
    assert (
        again.stderr
        == f"error: {out / 'world-timer.service'} exists; use --force to overwrite it\n"
    )
    assert (out / "world-timer.timer").read_text() == before
    forced = _schedule(["systemd", "--output", str(out), "--every", "1h", "--force"], **home)
    assert forced.exit_code == 0
    assert "OnUnitActiveSec=3600s" in (out / "world-timer.timer").read_text()
    assert sorted(p.name for p in out.iterdir()) == ["world-timer.service", "world-timer.timer"]


def test_no_places_and_no_cities_is_a_usage_error(tmp_path: Path) -> None:
    shown = _schedule(["systemd", "--output", str(tmp_path)], HOME=str(tmp_path))
    assert shown.exit_code == 2
    assert "name the places to show, e.g. `world-timer schedule systemd Tokyo Lima`" in shown.stderr
    assert list(tmp_path.iterdir()) == []


def test_cities_from_the_environment_are_written_into_the_command(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path), "WORLD_TIMER_CITIES": "Tokyo;Paris, TX"}
    environ["WORLD_TIMER_LOG_DIR"] = str(tmp_path / "log")
    assert _schedule(["launchd", "--output", str(tmp_path)], **environ).exit_code == 0
    agent = plistlib.loads((tmp_path / f"{LABEL}.plist").read_bytes())
    assert agent["ProgramArguments"] == [PROGRAM, "--", "Tokyo", "Paris, TX"]
    assert "WORLD_TIMER_CONFIG" not in agent["EnvironmentVariables"]  # no config file here


@pytest.mark.parametrize("every", ["30s", "2d", "often"])
def test_bad_interval_is_a_usage_error(every: str, tmp_path: Path) -> None:
    shown = _schedule(["systemd", "Tokyo", "--every", every, "--output", str(tmp_path)])
    assert shown.exit_code == 2
    assert "Invalid value for '--every'" in shown.stderr
    assert list(tmp_path.iterdir()) == []


def test_default_folders() -> None:
    assert default_folder("launchd", {"HOME": "/h"}) == Path("/h/Library/LaunchAgents")
    assert default_folder("systemd", {"HOME": "/h"}) == Path("/h/.config/systemd/user")
    environ = {"HOME": "/h", "XDG_CONFIG_HOME": "/x"}
    assert default_folder("systemd", environ) == Path("/x/systemd/user")


def test_world_timer_program(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "world-timer"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    python = tmp_path / "bin" / "python3"
    assert world_timer_program(str(script), "/usr/bin/python3") == [str(script)]
    assert world_timer_program("/usr/bin/pytest", str(python)) == [str(script)]
    assert world_timer_program("x", "/nowhere/python3") == ["/nowhere/python3", "-m", "world_timer"]


def test_job_needs_absolute_paths_without_control_characters() -> None:
    with pytest.raises(ValueError, match="absolute"):
        Job(("world-timer",), 300, Path("/log"))
    with pytest.raises(ValueError, match="absolute"):
        Job(("/bin/world-timer",), 300, Path("log"))
    with pytest.raises(ValueError, match="control"):
        Job(("/bin/world-timer", "Tokyo\nLima"), 300, Path("/log"))


def test_launchd_escapes_xml_and_drops_unset_config() -> None:
    job = Job(("/opt/a&b/world-timer", "<Tokyo>"), 300, Path("/l"))
    text = render_launchd(job)[f"{LABEL}.plist"]
    assert "<string>/opt/a&amp;b/world-timer</string>" in text
    agent = plistlib.loads(text.encode())
    assert agent["ProgramArguments"] == ["/opt/a&b/world-timer", "<Tokyo>"]
    assert set(agent["EnvironmentVariables"]) == {"WORLD_TIMER_LOG_DIR", "LANG"}


def test_write_files_never_leaves_a_partial_or_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "b.service").mkdir()  # a file cannot be renamed over it
    with pytest.raises(IsADirectoryError):
        write_files({"a.timer": "complete\n", "b.service": "x"}, tmp_path, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.service"]  # no half pair
    write_files({"a.timer": "complete\n"}, tmp_path)
    assert (tmp_path / "a.timer").read_text() == "complete\n"
    with pytest.raises(FileExistsError):
        write_files({"new": "x", "a.timer": "other"}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.timer", "b.service"]
    with pytest.raises(ValueError, match="plain file names"):
        write_files({"../escape": "x"}, tmp_path)


def test_scheduled_runs_can_write_run_metrics(home: dict[str, str], tmp_path: Path) -> None:
    prom = tmp_path / "textfile" / "world_timer.prom"
    prom.parent.mkdir()
    args = ["systemd", "Tokyo", "--metrics-textfile", str(prom), "--output", str(tmp_path)]
    assert _schedule(args, **home).exit_code == 0
    keys = _unit((tmp_path / "world-timer.service").read_text())
    assert keys["ExecStart"] == [f"{PROGRAM} --metrics-textfile {prom} -- Tokyo"]
    environment = dict(shlex.split(v)[0].split("=", 1) for v in keys["Environment"])
    _run_job(shlex.split(keys["ExecStart"][0]), environment, cwd=tmp_path)
    assert 'world_timer_runs_total{result="success"} 1.0' in prom.read_text()


def test_a_place_that_looks_like_an_option_still_runs(tmp_path: Path) -> None:
    """`-05:00` is a place: the job's command ends the options with `--` before the places."""
    environ = {"HOME": str(tmp_path), "WORLD_TIMER_LOG_DIR": str(tmp_path / "log")}
    result = _schedule(["systemd", "--output", str(tmp_path), "--", "-05:00", "Tokyo"], **environ)
    assert result.exit_code == 0, result.output
    keys = _unit((tmp_path / "world-timer.service").read_text(encoding="utf-8"))
    assert keys["ExecStart"] == [f"{PROGRAM} -- -05:00 Tokyo"]
    out = _run_job(shlex.split(keys["ExecStart"][0]), environ, cwd=tmp_path)
    assert "UTC-05:00" in out and "Tokyo, Japan" in out


def test_force_over_a_folder_replaces_nothing(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path), "WORLD_TIMER_LOG_DIR": str(tmp_path / "log")}
    assert _schedule(["systemd", "--output", str(tmp_path), "Tokyo"], **environ).exit_code == 0
    before = (tmp_path / "world-timer.service").read_text(encoding="utf-8")
    (tmp_path / "world-timer.timer").unlink()
    (tmp_path / "world-timer.timer").mkdir()
    result = _schedule(["systemd", "--output", str(tmp_path), "--force", "Lima"], **environ)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: cannot write to {tmp_path / 'world-timer.timer'}: not a regular file: not replaced\n"
    )
    assert (tmp_path / "world-timer.service").read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob(".world-timer.*.tmp"))
