"""Makefile release targets: `make help` lists every target; `make publish-test` never runs by accident."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make") or shutil.which("gmake")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")


def _make(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    assert MAKE is not None
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PUBLISH", "MAKEFLAGS")}
    return subprocess.run(
        [MAKE, "--no-print-directory", *args],
        cwd=ROOT,
        env={**env, **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_every_target_with_its_summary() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    # Named targets, not the file targets ($(STAMP), $(TOOLS)/bin/poetry).
    targets = re.findall(r"^([a-z][a-z_-]*):", makefile, re.M)
    assert {"install", "test", "lint", "dist", "check-dist", "publish-test"} <= set(targets)
    shown = _make("help")
    assert shown.returncode == 0, shown.stderr
    listed = {line.split()[0]: line for line in shown.stdout.splitlines()}
    for target in targets:
        assert target in listed, f"`make help` does not list {target} (add a ## comment)"
        assert len(listed[target].split(None, 1)) == 2, f"{target} has no summary"


# Should the guard ever break, these overrides keep the upload from reaching anything: no Poetry to
# build and no twine to upload.
SAFE = ("POETRY=/bin/false", "BIN=/nonexistent")


def test_publish_test_refuses_without_the_explicit_variable() -> None:
    refused = _make("publish-test", *SAFE)
    assert refused.returncode == 2
    assert (
        "publish-test: refusing: run `make publish-test PUBLISH=testpypi` by hand, outside CI"
        in (refused.stderr)
    )
    assert "twine" not in refused.stdout


def test_publish_test_refuses_in_ci_even_when_asked() -> None:
    refused = _make("publish-test", "PUBLISH=testpypi", *SAFE, CI="true")
    assert refused.returncode == 2
    assert "refusing" in refused.stderr
    assert "twine" not in refused.stdout


def test_publish_test_uploads_to_testpypi_with_twine_when_asked() -> None:
    """The recipe it would run (make -n prints without running; the nested make only prints too)."""
    planned = _make("-n", "publish-test", "PUBLISH=testpypi", *SAFE)
    assert planned.returncode == 0, planned.stderr
    assert "/nonexistent/twine upload --repository testpypi dist/*" in planned.stdout
    assert "/bin/false build --no-interaction" in planned.stdout
