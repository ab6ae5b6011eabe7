"""Put what the image installs into build/image/: the locked wheels and World Timer's own wheel.

The Containerfile installs with `pip --no-index`, so the build needs no network and installs
exactly the lock: `poetry export --only main` writes the runtime requirements with their hashes,
`pip download --require-hashes --only-binary :all:` fetches the wheels for the *image's* Python and
platform (which need not be the host's), and `poetry build --format wheel` builds World Timer.

The image's Python is read from the base image itself (`--base IMAGE`: one `podman run` of
`python3`), or given (`--python 3.11 --glibc 2.36 --machine x86_64`) for a base this machine cannot
run, such as the official Python image on a machine without a registry.

Usage: python utils/image_wheels.py --base localhost/world-timer-base:bookworm [--out build/image]
Needs poetry (POETRY=/path/to/poetry) and, with --base, podman (PODMAN=...).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, platform, sys; print(json.dumps({'python': '%d.%d' % sys.version_info[:2],"
    " 'glibc': platform.libc_ver()[1], 'machine': platform.machine()}))"
)


@dataclass(frozen=True)
class Target:
    """The interpreter the wheels are for: `python` "3.11", `glibc` "2.36", `machine` "x86_64"."""

    python: str
    glibc: str
    machine: str

    def pip_options(self) -> list[str]:
        """pip download options selecting CPython `python` wheels for this glibc and machine.

        Every manylinux tag the glibc satisfies is listed (PEP 600 manylinux_2_X, and the legacy
        aliases manylinux1/2010/2014 for glibc 2.5/2.12/2.17), as pip does not widen a given
        platform to older glibc versions itself.
        """
        major, minor = (int(part) for part in self.glibc.split(".")[:2])
        if major != 2:
            raise ValueError(f"glibc {self.glibc} is not a 2.x glibc")
        platforms = [f"manylinux_2_{m}_{self.machine}" for m in range(minor, 4, -1)]
        legacy = {5: "manylinux1", 12: "manylinux2010", 17: "manylinux2014"}
        platforms += [f"{name}_{self.machine}" for m, name in legacy.items() if m <= minor]
        abi = "cp" + self.python.replace(".", "")
        options = ["--python-version", self.python, "--implementation", "cp"]
        for name in (abi, "abi3", "none"):
            options += ["--abi", name]
        for platform in [*platforms, "any"]:
            options += ["--platform", platform]
        return options


def probe(podman: str, image: str) -> Target:
    """Ask `image`'s python3 for its version, glibc and machine. Raises RuntimeError on failure."""
    done = subprocess.run(
        [podman, "run", "--rm", "--network", "none", "--entrypoint", "python3", image, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cannot run python3 in {image}: {done.stderr.strip()[-300:]}")
    return Target(**json.loads(done.stdout))


def run(command: list[str]) -> None:
    """Run one step, its output passed through; raise RuntimeError when it fails."""
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise RuntimeError(f"failed: {' '.join(command[:4])} ...")


def main(argv: list[str] | None = None) -> int:
    """Fill `--out` (emptied first); exit 1 with one line on stderr when a step fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="image whose python3 the wheels are for (podman run)")
    parser.add_argument("--python", help="X.Y, instead of --base")
    parser.add_argument("--glibc", default="2.36", help="with --python (default 2.36, bookworm)")
    parser.add_argument("--machine", default=os.uname().machine, help="with --python")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "image")
    args = parser.parse_args(argv)
    poetry = os.environ.get("POETRY") or shutil.which("poetry") or "poetry"
    try:
        if args.base:
            target = probe(os.environ.get("PODMAN", "podman"), args.base)
        elif args.python:
            target = Target(args.python, args.glibc, args.machine)
        else:
            parser.error("give --base IMAGE or --python X.Y")
        out: Path = args.out
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        requirements = out / "requirements.txt"
        export = ["export", "--only", "main", "--format", "requirements.txt"]
        run([poetry, *export, "--output", str(requirements)])
        download = ["download", "--quiet", "--disable-pip-version-check", "--require-hashes"]
        download += ["--only-binary", ":all:", "--no-deps", "--dest", str(out)]
        download += [*target.pip_options(), "-r", str(requirements)]
        run([sys.executable, "-m", "pip", *download])
        run([poetry, "build", "--no-interaction", "--format", "wheel", "--output", str(out)])
    except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"image-wheels: {exc}", file=sys.stderr)
        return 1
    wheels = sorted(path.name for path in out.glob("*.whl"))
    size = sum(path.stat().st_size for path in out.glob("*.whl"))
    print(f"image-wheels: {len(wheels)} wheels, {size / 1e6:.1f} MB, for CPython {target.python}"
          f" glibc {target.glibc} {target.machine} in {out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
