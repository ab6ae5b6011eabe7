"""The manual builds (MkDocs --strict, offline), its generated text is current, and the README
stays the short front door that links into it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GENERATED = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_the_manual_builds_strictly(tmp_path: Path) -> None:
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=environ,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr
    cli = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for command in ("now", "plan", "serve", "config", "search", "zones"):
        assert f'id="world-timer-{command}"' in cli, command
    http = (tmp_path / "site" / "reference" / "http" / "index.html").read_text(encoding="utf-8")
    assert "/api/timezone" in http
    python = (tmp_path / "site" / "reference" / "python" / "index.html").read_text(encoding="utf-8")
    assert "zone_time" in python and "ZoneTime" in python


def test_the_generated_text_is_current() -> None:
    done = subprocess.run(
        [str(BIN / "cog"), "--check", *map(str, GENERATED)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr + " (run `make cog`)"


def test_the_readme_is_short_and_links_into_the_manual() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 12 * 1024
    targets = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert len(targets) >= 10
    for target in targets:
        assert (ROOT / target).is_file(), target
    assert "make test" in readme  # the README's test command, which .ci/run calls
