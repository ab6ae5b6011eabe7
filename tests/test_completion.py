"""Shell completion: the scripts, the answers (commands, options, places by prefix), a real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from world_timer.cli import cli
from world_timer.commands.completion import COMPLETE_VAR, PlacesBashComplete

BIN = Path(sys.executable).parent


def complete(args: list[str], incomplete: str) -> list[str]:
    """What click answers for `world-timer ARGS INCOMPLETE<TAB>` (values only)."""
    completion = PlacesBashComplete(cli, {}, "world-timer", COMPLETE_VAR)
    return [item.value for item in completion.get_completions(args, incomplete)]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _world_timer_completion world-timer"),
        ("zsh", "#compdef world-timer"),
        ("fish", "complete --no-files --command world-timer"),
    ],
)
def test_completion_prints_click_s_script(run, shell: str, marker: str) -> None:
    result = run(["completion", shell])
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert f"{COMPLETE_VAR}={shell}_complete" in result.stdout.replace("$1", "")


def test_places_by_prefix_most_populous_first() -> None:
    assert complete([], "Tok")[:4] == ["Tokyo", "Tokorozawa", "Tokushima", "Tokch’on"]
    # Namesakes are qualified, so each completion resolves to the place it stands for.
    assert complete([], "Portland")[:3] == ["Portland", "Portland, Maine", "Portland, Texas"]
    # An alternate name is not offered (`toka` would turn "Tok" into Doha).
    assert "Doha" not in complete([], "Tok")
    assert complete(["-c"], "Lim")[0] == "Lima"
    assert complete(["Tokyo", "--relative-to"], "Sao")[0] == "Sao Paulo"  # keeps what was typed
    assert complete(["Tokyo", "--relative-to"], "São")[0] == "São Paulo"
    assert complete(["Tokyo"], "Asia/Kol") == ["Asia/Kolkata"]
    assert complete([], "Europe")[:2] == ["Europe/Amsterdam", "Europe/Andorra"]


@pytest.mark.parametrize(
    "args", [["plan"], ["watch"], ["schedule", "systemd"], ["config", "add"], ["now"]]
)
def test_every_command_taking_places_completes_them(args: list[str]) -> None:
    assert complete(args, "Tok")[:2] == ["Tokyo", "Tokorozawa"]


def test_commands_and_options() -> None:
    assert complete([], "se")[:2] == ["search", "serve"]
    assert "Seoul" in complete([], "se")
    assert complete(["Tokyo"], "se")[:1] == ["Seoul"]  # a place already given: no commands
    assert complete([], "--rel") == ["--relative-to"]
    assert complete(["zones"], "--cou") == ["--country"]
    assert complete(["completion"], "") == ["bash", "zsh", "fish"]


def test_bash_gets_values_escaped_for_the_shell() -> None:
    completion = PlacesBashComplete(cli, {}, "world-timer", COMPLETE_VAR)
    [first] = [i for i in completion.get_completions([], "New Yo") if i.value == "New York City"]
    # Twice: the `read` of click's bash script takes one level off.
    assert completion.format_completion(first) == "plain,New\\\\ York\\\\ City"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_real_bash_completes_tok_to_tokyo(tmp_path: Path) -> None:
    """The script as a user installs it, run by bash, asking the installed console script."""
    script = subprocess.run(
        [BIN / "world-timer", "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    (tmp_path / "completion.bash").write_text(script)
    program = (
        f"source {tmp_path / 'completion.bash'}\n"
        'COMP_WORDS=(world-timer "New\\ Yo"); COMP_CWORD=1\n'
        "_world_timer_completion world-timer\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
        "COMP_WORDS=(world-timer Tok); COMP_CWORD=1; COMPREPLY=()\n"
        "_world_timer_completion world-timer\n"
        'printf "%s\\n" "${COMPREPLY[@]:0:2}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "--norc", "-c", program],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["New\\ York\\ City", "Tokyo", "Tokorozawa"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("world-timer -c Tok", "world-timer -c Tok"),  # not `T` (Tōkai, Tŏkch'ŏn)
        ("world-timer Sao Pau", "world-timer Sao Paulo"),  # not `S` (São Paulo)
        ("world-timer New Yo", "world-timer New York City"),
    ],
)
def test_an_interactive_bash_keeps_what_was_typed(tmp_path: Path, typed: str, line: str) -> None:
    """Readline in a real interactive bash on a pseudo-terminal (pexpect): TAB may only lengthen
    the word. Ctrl-A then `echo ` prints the line as completion left it."""
    import pexpect

    script = subprocess.run(
        [BIN / "world-timer", "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    (tmp_path / "completion.bash").write_text(script)
    (tmp_path / "rc").write_text(f"PS1='$ '\nsource {tmp_path / 'completion.bash'}\n")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "TERM": "dumb"}
    bash = pexpect.spawn(
        "bash", ["--rcfile", str(tmp_path / "rc"), "-i"], env=env, encoding="utf-8", timeout=30
    )
    try:
        bash.expect_exact("$ ")
        bash.send(
            typed.replace(" ", "\\ ")
            .replace("world-timer\\ ", "world-timer ")
            .replace("-c\\ ", "-c ")
            + "\t"
        )
        bash.send("\x01echo \r")  # Ctrl-A: to the start of the line
        bash.expect(r"\r\n(world-timer [^\r\n]*)\r\n")
        assert bash.match.group(1).rstrip() == line
    finally:
        bash.sendline("exit")
        bash.close(force=True)


def test_a_completion_loads_no_more_than_a_prefix_query(log_dir: Path) -> None:
    """No fuzzy matcher, HTTP, server or TOML stack: only click and one gazetteer query."""
    env = {**os.environ, COMPLETE_VAR: "bash_complete", "COMP_WORDS": "world-timer Tok"}
    env["COMP_CWORD"] = "1"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "world_timer"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines()[0] == "plain,Tokyo"
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    heavy = {"rapidfuzz", "requests", "prometheus_client", "granian", "tomlkit", "json"}
    assert imported & heavy == set()
    assert "world_timer.places.gazetteer" in imported
