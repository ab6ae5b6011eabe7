"""Regenerate poetry.lock through the package index's simple API.

Why this exists: some networks (ours among them) proxy only the index's simple API (PEP 503/691),
while Poetry's built-in PyPI repository asks the per-version JSON API and fails with "package not
found". This script runs `poetry lock` in a scratch copy of the project with one extra source, the
simple index pip itself uses by default, then writes the resulting lock back without that source, so
the committed pyproject.toml and poetry.lock stay plain and `poetry check --lock` passes.

Usage: python utils/lock.py  (needs poetry on PATH or POETRY=/path/to/poetry)
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def simple_index_url() -> str:
    """Return pip's default simple index URL (pip knows it; we do not repeat it here)."""
    from pip._internal.models.index import PyPI

    return str(PyPI.simple_url)


def strip_sources(lock_text: str) -> str:
    """Drop the `[package.source]` tables the scratch source left in the lock."""
    return re.sub(r"\n\[package\.source\]\n(?:[a-z-]+ = .*\n)+", "\n", lock_text)


def content_hash(pyproject: Path) -> str:
    """Return Poetry's content-hash for the committed pyproject.toml (Poetry's own code)."""
    from poetry.packages.locker import Locker

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return str(Locker(ROOT / "poetry.lock", data)._get_content_hash())


def poetry_python(poetry: str) -> str | None:
    """The interpreter a Poetry script runs in (its `#!` line), or None when that is not said
    (a shell shim). Poetry and pip import there, whatever `python3` runs this script."""
    try:
        with open(shutil.which(poetry) or poetry, "rb") as script:
            first = script.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    if first.startswith("#!") and "python" in first and " " not in first:
        return first[2:]
    return None


def main() -> int:
    poetry = os.environ.get("POETRY") or shutil.which("poetry") or "poetry"
    if os.sep in poetry:
        poetry = os.path.abspath(poetry)  # `poetry lock` runs in a scratch folder
    if importlib.util.find_spec("poetry") is None:
        # A fresh machine: Poetry lives in its own venv (.tools/); run this script there.
        python = poetry_python(poetry)
        if python is None or os.environ.get("WORLD_TIMER_LOCK_REEXEC"):
            print(f"lock: cannot import poetry with {sys.executable}", file=sys.stderr)
            return 1
        environ = {**os.environ, "POETRY": poetry, "WORLD_TIMER_LOCK_REEXEC": "1"}
        return subprocess.call([python, __file__], env=environ)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
        text += (
            '\n[[tool.poetry.source]]\nname = "index-simple"\n'
            f'url = "{simple_index_url()}/"\npriority = "primary"\n'
        )
        (scratch / "pyproject.toml").write_text(text, encoding="utf-8")
        for name in ("README.md", "poetry.lock"):
            if (ROOT / name).exists():
                shutil.copy(ROOT / name, scratch / name)
        (scratch / "world_timer").mkdir()
        (scratch / "world_timer" / "__init__.py").write_text("", encoding="utf-8")
        subprocess.run([poetry, "lock", "--no-interaction"], cwd=scratch, check=True)
        lock = strip_sources((scratch / "poetry.lock").read_text(encoding="utf-8"))
    lock = re.sub(
        r'^content-hash = ".*"$',
        f'content-hash = "{content_hash(ROOT / "pyproject.toml")}"',
        lock,
        flags=re.M,
    )
    (ROOT / "poetry.lock").write_text(lock, encoding="utf-8")
    print("poetry.lock written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
