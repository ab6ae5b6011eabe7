"""The installed package stays within 25 MiB (issue 19): what the wheel ships (the package's
tracked .py files and world_timer/data/*) plus the bytecode an installer compiles for them."""

from __future__ import annotations

import py_compile
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MIB = 25.0


def test_the_installed_package_is_at_most_25_mib(tmp_path: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "world_timer"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    files = [ROOT / name for name in tracked if (ROOT / name).is_file()]
    shipped = sum(path.stat().st_size for path in files)
    sources = [path for path in files if path.suffix == ".py"]
    assert len(sources) > 50 and any(p.name == "gazetteer.sqlite3" for p in files)
    bytecode = 0
    for number, source in enumerate(sources):
        compiled = Path(py_compile.compile(str(source), cfile=str(tmp_path / f"{number}.pyc")))
        bytecode += compiled.stat().st_size
    total_mib = (shipped + bytecode) / 2**20
    assert total_mib <= LIMIT_MIB, f"{total_mib:.1f} MiB installed"
