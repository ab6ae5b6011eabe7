"""`python -m world_timer.places.build [--output PATH]`: rebuild the embedded gazetteer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from world_timer.places.build import DEFAULT_OUTPUT, build


def main() -> int:
    """Build the gazetteer; print what went in (counts and size) on stderr; return 0."""
    parser = argparse.ArgumentParser(description="Rebuild the embedded gazetteer (SQLite).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    counts = build(args.output)
    size = args.output.stat().st_size / 2**20
    print(f"{args.output}: {counts} ({size:.1f} MiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
