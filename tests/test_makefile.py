"""The Makefile: the targets the README promises, under /bin/sh and bash, as `make` and `gmake`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKES = [name for name in ("make", "gmake") if shutil.which(name)]
pytestmark = pytest.mark.skipif(not MAKES, reason="GNU make is not installed")


@pytest.mark.parametrize("make", MAKES)
def test_help_lists_the_promised_targets(make: str) -> None:
    result = subprocess.run(
        [make, "help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert {"install", "run", "test", "lint", "clean", "bench"} <= listed


@pytest.mark.parametrize("shell", ["/bin/sh", "/bin/bash"])
@pytest.mark.parametrize("make", MAKES)
def test_run_and_test_parse_with_either_shell(make: str, shell: str) -> None:
    if not Path(shell).exists():
        pytest.skip(f"{shell} is missing")
    for target in ("run", "test", "lint"):
        result = subprocess.run(
            [make, "-n", f"SHELL={shell}", "POETRY=poetry", target],
            cwd=ROOT,
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    assert (
        "world-timer --log-dir logs -c Tokyo -c Lima"
        in subprocess.run(
            [make, "-n", f"SHELL={shell}", "POETRY=poetry", "run"],
            cwd=ROOT,
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
        ).stdout
    )


@pytest.mark.parametrize("make", MAKES)
def test_the_first_install_says_what_it_does_and_pip_shows_progress_on_a_terminal(
    make: str,
) -> None:
    import os
    import pty

    result = subprocess.run(
        [make, "-n", "-B", "--no-print-directory", "POETRY=poetry", "install"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()  # under `make test` too (MAKELEVEL 1, -w)
    assert (
        lines[0] == 'echo "installing locked dependencies into .venv (about a minute on 2 cores)…"'
    )
    [pip] = [line for line in lines if "--require-hashes" in line]
    assert pip.startswith("q=--quiet; [ -t 1 ] && q=; .venv/bin/python -m pip install $q ")
    fragment = "q=--quiet; [ -t 1 ] && q=; echo x${q}x"
    piped = subprocess.run(
        ["/bin/sh", "-c", fragment], capture_output=True, text=True, check=True, timeout=60
    )
    assert piped.stdout == "x--quietx\n"  # CI logs stay short
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout is a terminal
        os.execv("/bin/sh", ["/bin/sh", "-c", fragment])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    assert output.strip() == b"xx"  # no --quiet: pip's progress shows
