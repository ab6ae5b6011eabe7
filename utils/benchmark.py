"""Benchmarks of the offline main job, with timeit.repeat (the seed's tool), in one run.

Reports, on this machine:
- cold wall time of `world-timer -c Tokyo -c Lima` as a ratio to `python -c "import click"`
  (goal <= 1.25x): both are fresh processes, so the ratio is what World Timer adds to Click;
  and, for scale, the floor under that ratio: a do-nothing click command that parses the same
  `-c` options and imports the libraries the job cannot do without (logging, sqlite3, zoneinfo);
- peak memory (max RSS) of that command (goal <= 40 MiB);
- 1,000 place queries in one call (goal <= 0.5 s);
- the embedded source in-process, sequential: mean ± stdev per place read (timeit.repeat);
- resolve() of each kind of code (abbreviation, airport, short form, coordinates), warm, and the
  first coordinates of a fresh process: a city's (the gazetteer's zone tiles) and a point on a
  boundary (tzfpy loads its polygons);
- the Python REPL start with utils/python_startup.py as PYTHONSTARTUP, against without it.

Usage: python utils/benchmark.py [--repeat N]   (make bench)
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = [
    "Tokyo",
    "Lima",
    "New York",
    "São Paulo",
    "Bombay",
    "Paris, TX",
    "Córdoba, Spain",
    "Москва",
    "Asia/Kolkata",
    "UTC+05:30",
    "Kathmandu",
    "Saigon",
    "Kiev",
    "Valencia",
    "Portland, Maine",
    "zurich,ch",
    "St. John's",
    "東京",
    "Barcelona",
    "Ciudad Juárez",
]
# Mixed queries (1,000 in one call): hits, CLDR names, regions, qualifiers, misses with
# suggestions and abbreviations / airport codes, as people type them.
MIXED = [
    *PLACES,
    "Wien",
    "纽约",
    "Paris, Frankreich",
    "England",
    "Texas",
    "Lord Howe",
    "Odessa",
    "Islamabad",
    "PST",
    "LHR",
    "Tokyoo",
    "Lodnon",
    "Pariss",
    "Atlantis",
    "Springfield, il, us",
    "Japon",
]
TYPOS = ["Tokyoo", "Lodnon", "Pariss", "Atlantis", "Sidney Australia", "Nwe York", "Berlinn"]
# The floor: click parsing `-c` (its parser then imports difflib and gettext imports locale) plus
# the libraries every run needs, with the collector paused as world_timer.console does.
_FLOOR = (
    "import gc\n"
    "gc.disable()\n"
    "import click, logging, sqlite3, zoneinfo\n"
    "@click.command()\n"
    "@click.option('-c', '--city', multiple=True)\n"
    "def main(city):\n"
    "    click.echo(' '.join(city))\n"
    "main()\n"
)
_MAXRSS = (
    "import resource, sys\n"
    "from world_timer.cli import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "except SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def _timed(
    command: list[str], repeat: int, env: dict[str, str] | None = None, warm: bool = True
) -> list[float]:
    """Wall times in seconds of `repeat` runs of a fresh process (no input, output discarded)."""

    def once() -> None:
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=False,
        )

    if warm:
        once()  # warm the OS page cache: we compare processes, not disks
    return timeit.repeat(once, number=1, repeat=repeat)


def _interleaved(commands: list[list[str]], repeat: int) -> list[list[float]]:
    """Wall times in seconds of `repeat` rounds, each running every command once in turn, so
    that the machine's drift touches all of them alike (output discarded)."""
    times: list[list[float]] = [[] for _ in commands]
    for command in commands:
        _timed(command, 1)  # warm the OS page cache
    for _ in range(repeat):
        for samples, command in zip(times, commands, strict=True):
            samples.extend(_timed(command, 1, warm=False))
    return times


def _summary(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.1f} ms (min {min(times) * 1000:.1f} ms)"


def _mean_stdev(per_call: list[float]) -> str:
    mean, stdev = statistics.mean(per_call), statistics.stdev(per_call)
    return f"{mean * 1e6:.1f} µs ± {stdev * 1e6:.1f} µs per call"


def embedded_sequential(repeat: int, number: int = 5) -> list[float]:
    """Seconds per place read with the embedded source, one place after the other, in-process:
    `repeat` samples, each the mean of `number` passes over PLACES (after one warm-up pass)."""
    from world_timer.reading.readings import read_clocks

    read_clocks(PLACES)  # open the gazetteer and load the zones once, as a long run would
    times = timeit.repeat(lambda: read_clocks(PLACES), number=number, repeat=repeat)
    return [t / (number * len(PLACES)) for t in times]


def misses_in_process(repeat: int, strict: bool = True) -> list[float]:
    """Seconds per typo, in-process after one warm-up pass: `repeat` samples, each the mean over
    TYPOS. Strict: a miss with suggestions (PlaceNotFoundError with near names); not strict: the
    default, where a typo with one clear best near name is read as it (a misspelling)."""
    from world_timer.errors import PlaceNotFoundError
    from world_timer.places.guess import strictness
    from world_timer.places.resolve import resolve

    def once() -> None:
        with strictness(strict):
            for typo in TYPOS:
                with contextlib.suppress(PlaceNotFoundError):
                    resolve(typo)

    once()
    return [t / len(TYPOS) for t in timeit.repeat(once, number=1, repeat=repeat)]


def repl_start(repeat: int) -> tuple[list[float], list[float]]:
    """Wall times of `python -i` on empty input, without and with utils/python_startup.py."""
    python = [sys.executable, "-i", "-q"]
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    helpers = {**plain, "PYTHONSTARTUP": str(ROOT / "utils" / "python_startup.py")}
    return _timed(python, repeat, plain), _timed(python, repeat, helpers)


CODES = {
    "abbreviation": "JST",
    "ambiguous abbreviation": "IST",
    "airport code": "LHR",
    "short form": "LA",
    "coordinates": "35.68,139.76",
    "a plain name (for scale)": "Tokyo",
}
_COLD_POINT = (
    "import sys, time; from world_timer.places.resolve import resolve; resolve('Tokyo');"
    "t = time.perf_counter(); resolve(sys.argv[1]); print(time.perf_counter() - t)"
)
COLD_POINTS = {
    "a city's (tiles)": "35.68,139.76",
    "on a boundary (tzfpy loads)": "47.58409,7.58572",  # a vertex of the French-Swiss border
}


def code_lookups(repeat: int, number: int = 200) -> dict[str, list[float]]:
    """Seconds per resolve() of each kind of code (places/codes.py), warm, in-process."""
    from world_timer.places.resolve import resolve

    result = {}
    for kind, query in CODES.items():
        resolve(query)  # warm: the first point lookup loads tzfpy's polygons
        statement = f"resolve({query!r})"
        scope = {"resolve": resolve}
        times = timeit.repeat(statement, globals=scope, number=number, repeat=max(3, repeat // 4))
        result[kind] = [t / number for t in times]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    python = sys.executable
    # Byte-compile first, as pip does for installed packages (and as click's files are), so the
    # comparison is fair even where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "world_timer", quiet=1)
    with tempfile.TemporaryDirectory() as logs:
        log_dir = ["--log-dir", logs]
        # The console script pip installs (what users run), not `python -m` (which adds runpy).
        script = Path(python).with_name("world-timer")
        command = [str(script)] if script.exists() else [python, "-m", "world_timer"]
        main_job = [*command, "-c", "Tokyo", "-c", "Lima", *log_dir]
        click_only, ours, floor = _interleaved(
            [[python, "-c", "import click"], main_job, [python, "-c", _FLOOR, "-c", "Tokyo"]],
            args.repeat,
        )
        ratio = statistics.median(ours) / statistics.median(click_only)
        floor_ratio = statistics.median(floor) / statistics.median(click_only)
        print(f"python -c 'import click'       {_summary(click_only)}")
        print(f"world-timer -c Tokyo -c Lima    {_summary(ours)}")
        print(f"  start-up ratio                {ratio:.2f}x  (goal <= 1.25x)")
        print(f"  floor: click -c + logging, sqlite3, zoneinfo   {floor_ratio:.2f}x")

        rss = subprocess.run(
            [python, "-c", _MAXRSS, "-c", "Tokyo", "-c", "Lima", *log_dir],
            capture_output=True,
            text=True,
            check=True,
        ).stderr.split()[-1]
        mib = int(rss) / 1024  # ru_maxrss is in KiB on Linux
        print(f"  peak memory (max RSS)         {mib:.1f} MiB  (goal <= 40 MiB)")

        thousand = [*(PLACES * 50)][:1000]
        bulk = [*command, "--format", "plain", *thousand, *log_dir]
        times = _timed(bulk, max(3, args.repeat // 4))
        print(f"1,000 places in one call        {_summary(times)}  (goal <= 500 ms)")
        mixed = [*(MIXED * 40)][:1000]
        bulk = [*command, "--format", "plain", *mixed, *log_dir]
        times = _timed(bulk, max(3, args.repeat // 4))
        print(f"1,000 mixed queries in one call {_summary(times)}  (goal <= 500 ms)")
        hit, miss = _interleaved(
            [[*command, "Tokyo", *log_dir], [*command, "--strict", "Tokyoo", *log_dir]], args.repeat
        )
        extra = (statistics.median(miss) - statistics.median(hit)) * 1000
        print(f"  a first miss in a fresh process  {extra:+.1f} ms over a hit (rapidfuzz import)")

    per_miss = misses_in_process(args.repeat)
    print(f"miss with suggestions (strict)  {_mean_stdev(per_miss)} (goal <= 5 ms)")
    per_guess = misses_in_process(args.repeat, strict=False)
    print(f"misspelling read as a near name {_mean_stdev(per_guess)} (goal <= 5 ms)")

    per_place = embedded_sequential(args.repeat)
    print(f"embedded, sequential            {_mean_stdev(per_place)} (one place)")

    plain, helpers = repl_start(args.repeat)
    added = (statistics.median(helpers) - statistics.median(plain)) * 1000
    print(f"python -i (REPL start)          {_summary(plain)}")
    print(f"  with utils/python_startup.py  {_summary(helpers)}  ({added:+.1f} ms)")
    for kind, per_call in code_lookups(args.repeat).items():
        print(f"resolve, {kind:<26}{_mean_stdev(per_call)}")
    for label, point in COLD_POINTS.items():
        cold = [
            float(
                subprocess.run(
                    [python, "-c", _COLD_POINT, point], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(5)
        ]
        print(
            f"first coordinates, {label:<28} {statistics.median(cold) * 1000:.1f} ms (goal <= 20)"
        )

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
