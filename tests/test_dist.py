"""The built distributions: contents, metadata, `twine check`, and a clean install with plain pip.

The sdist and wheel are built once per run with `poetry build` (no network needed). The install
test needs the package index for the runtime dependencies; it is skipped, with the reason, only
when the index cannot be reached.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
DATA = (
    "world_timer/data/gazetteer.sqlite3",
    "world_timer/data/ATTRIBUTION.md",
    "world_timer/data/holidays.sqlite3",
)


def _poetry() -> str:
    """Poetry as the Makefile finds it: $POETRY, then PATH, then the copy `make` puts in .tools."""
    found = os.environ.get("POETRY") or shutil.which("poetry")
    if found:
        return found
    local = ROOT / ".tools" / "bin" / "poetry"
    if local.exists():
        return str(local)
    pytest.fail("poetry not found: run `make install` (it installs Poetry into .tools/)")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the sdist and the wheel into a temporary folder: {'sdist': path, 'wheel': path}."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [_poetry(), "build", "--no-interaction", "--output", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    sdists, wheels = list(out.glob("*.tar.gz")), list(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, sorted(p.name for p in out.iterdir())
    return {"sdist": sdists[0], "wheel": wheels[0]}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_file_names_carry_the_pyproject_version(dist: dict[str, Path]) -> None:
    assert dist["sdist"].name == f"world_timer-{VERSION}.tar.gz"
    assert dist["wheel"].name == f"world_timer-{VERSION}-py3-none-any.whl"


def test_sdist_holds_the_data_the_licences_the_changelog_and_the_tests(
    dist: dict[str, Path],
) -> None:
    prefix = f"world_timer-{VERSION}/"
    with tarfile.open(dist["sdist"]) as sdist:
        names = {name.removeprefix(prefix) for name in sdist.getnames()}
        gazetteer = sdist.extractfile(prefix + DATA[0])
        assert gazetteer is not None
        packed = gazetteer.read()
    for name in (*DATA, "LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "PKG-INFO"):
        assert name in names, name
    assert "world_timer/py.typed" in names
    assert "tests/conftest.py" in names and "tests/data/cities.tsv" in names
    assert not any(name.startswith((".venv", "logs/", ".git")) for name in names)
    assert _sha256(packed) == _sha256((ROOT / DATA[0]).read_bytes())


def test_wheel_holds_the_data_and_the_licence_files(dist: dict[str, Path]) -> None:
    info = f"world_timer-{VERSION}.dist-info"
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
        packed = wheel.read(DATA[0])
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert set(DATA) <= names
    templates = {
        f"world_timer/templates/world-timer.{kind}" for kind in ("plist", "service", "timer")
    }
    assert templates <= names  # `world-timer schedule` reads them from the installed package
    assert f"{info}/licenses/LICENSE" in names
    assert f"{info}/licenses/world_timer/data/ATTRIBUTION.md" in names
    assert not any(name.startswith("tests/") for name in names)
    assert "world-timer=world_timer.console:main" in entry_points.replace(" ", "")
    assert _sha256(packed) == _sha256((ROOT / DATA[0]).read_bytes())


def test_metadata_declares_description_licence_urls_and_runtime_dependencies(
    dist: dict[str, Path],
) -> None:
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        text = wheel.read(f"world_timer-{VERSION}.dist-info/METADATA").decode()
    meta = Parser().parsestr(text)
    assert meta["Name"] == "world-timer"
    assert meta["Version"] == VERSION
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta.get_payload().startswith("# World Timer\n")
    assert "Environment :: Console" in meta.get_all("Classifier", [])
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL", []))
    assert set(urls) >= {"Homepage", "Changelog", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())

    def name(requirement: str) -> str:
        return re.split(r"[\s(<>=!~;\[]", requirement, maxsplit=1)[0].lower()

    declared = {name(r) for r in PYPROJECT["project"]["dependencies"]}
    required = {name(r) for r in meta.get_all("Requires-Dist", [])}
    assert required == declared
    assert {"click", "tzdata", "platformdirs", "rapidfuzz"} <= required


def test_twine_check_passes(dist: dict[str, Path]) -> None:
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "twine",
            "check",
            "--strict",
            str(dist["sdist"]),
            str(dist["wheel"]),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_no_module_writes_the_version_down() -> None:
    """The version lives in pyproject.toml only; the code asks importlib.metadata."""
    for path in [*ROOT.glob("world_timer/**/*.py"), *ROOT.glob("utils/*.py")]:
        assert VERSION not in path.read_text(encoding="utf-8"), path
    from importlib.metadata import version

    assert version("world-timer") == VERSION, "reinstall: `make install`"


def _index_url() -> str:
    """The index pip uses: $PIP_INDEX_URL, else pip's configured index-url, else its default."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"].split()[0]
    configured = subprocess.run(
        [sys.executable, "-m", "pip", "config", "get", "global.index-url"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if configured.returncode == 0 and configured.stdout.strip():
        return configured.stdout.strip()
    from pip._internal.models.index import PyPI

    return str(PyPI.simple_url)


def _skip_unless_index_reachable() -> None:
    url = _index_url().rstrip("/") + "/click/"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            answer.read(1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        pytest.skip(f"the package index cannot be reached ({url}: {exc}); pip cannot install")


@pytest.mark.network
def test_sdist_installs_with_plain_pip_and_runs_outside_the_repo(
    dist: dict[str, Path], tmp_path: Path
) -> None:
    """A fresh venv, `pip install world_timer-X.tar.gz` (runtime dependencies from the index),
    then `world-timer -c Tokyo -c Lima` with the current folder and HOME in a temporary folder."""
    _skip_unless_index_reachable()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(dist["sdist"])],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(elsewhere),
        "XDG_STATE_HOME": str(elsewhere / "state"),
        "XDG_CONFIG_HOME": str(elsewhere / "config"),
        "TZ": "UTC",
        "LANG": "C.UTF-8",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args,
            cwd=elsewhere,
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    shown = run(str(venv / "bin" / "world-timer"), "-c", "Tokyo", "-c", "Lima")
    assert shown.returncode == 0, shown.stderr
    columns = [line.split("\t") for line in shown.stdout.splitlines()]
    assert [(c[0], c[1], c[4]) for c in columns] == [
        ("Tokyo, Japan", "Asia/Tokyo", "+09:00"),
        ("Lima, Peru", "America/Lima", "-05:00"),
    ]
    assert shown.stderr == ""
    assert (elsewhere / "state" / "world-timer" / "log" / "world-timer.log").exists()

    version = run(str(venv / "bin" / "world-timer"), "--version")
    assert version.stdout.splitlines()[0] == f"world-timer {VERSION}"

    # Installed from the sdist, not the checkout: the module comes from the venv.
    where = run(
        str(venv / "bin" / "python"), "-c", "import world_timer; print(world_timer.__file__)"
    )
    assert where.stdout.startswith(str(venv)), where.stdout

    # The offline path imports no network or metrics stack, even where they are installed.
    imported = run(str(venv / "bin" / "python"), "-X", "importtime", "-m", "world_timer", "Tokyo")
    assert imported.returncode == 0
    modules = {line.rsplit("|", 1)[-1].strip() for line in imported.stderr.splitlines()}
    assert "world_timer.cli" in modules
    assert not {m for m in modules if m.split(".")[0] in ("requests", "prometheus_client")}


def test_changelog_keeps_a_changelog_with_links_for_every_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", text, re.M)
    assert headings[0] == ("Unreleased", "")
    for name, rest in headings[1:]:
        assert re.fullmatch(r"\d+\.\d+\.\d+", name), name
        assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest), f"{name}: `## [X.Y.Z] - YYYY-MM-DD`"
    links = dict(re.findall(r"^\[([^\]]+)\]: (https://\S+)$", text, re.M))
    assert set(links) == {name for name, _rest in headings}
    released = [name for name, _rest in headings[1:]]
    assert links["Unreleased"].endswith(f"/compare/v{released[0]}...HEAD")
    # A release version in pyproject must have its section; between releases it is the next .dev0.
    if ".dev" in VERSION:
        assert VERSION.split(".dev")[0] not in released
    else:
        assert VERSION in released


def test_readme_shows_the_current_version() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"$ world-timer --version\nworld-timer {VERSION}\n" in readme
