"""Oracle: our UTC offset, abbreviation and DST flag agree with `zdump -v` on the same TZif files.

zdump (from the C library's tz code) reads the tzdata package's own files here, so any difference
is ours: zoneinfo's reading (offset, abbreviation) or our transitions.py (DST flag, period bounds,
and the POSIX TZ rule past the last explicit transition, checked up to 2100).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from world_timer.timekeeping.transitions import zone_transitions
from world_timer.timekeeping.zones import TZDATA_DIR, load_zone, zone_keys
from world_timer.timekeeping.zonetime import zone_time

ZDUMP = shutil.which("zdump")
pytestmark = pytest.mark.skipif(
    ZDUMP is None, reason="zdump is not installed (Debian: libc-bin); .ci/run installs it"
)
LINE = re.compile(
    r"^(?P<path>\S+)\s+\w{3} (?P<ut>\w{3} [ \d]\d \d\d:\d\d:\d\d -?\d+) UT = "
    r".* (?P<abbr>\S+) isdst=(?P<isdst>[01]) gmtoff=(?P<gmtoff>-?\d+)$"
)


def zdump_transitions(
    first_year: int, last_year: int, keys: list[str]
) -> dict[str, list[tuple[int, str, int, int]]]:
    """Run zdump over the zones (two processes, one per core): {key: [(unixtime, abbr, isdst,
    gmtoff), ...]}, two rows per transition (one second before it, then the transition)."""
    paths = [str(TZDATA_DIR / key) for key in keys]
    command = [str(ZDUMP), "-v", "-c", f"{first_year},{last_year}"]
    workers = [
        subprocess.Popen([*command, *paths[i::2]], stdout=subprocess.PIPE, text=True)
        for i in range(2)
    ]
    output = "".join(worker.communicate(timeout=120)[0] for worker in workers)
    assert all(worker.returncode == 0 for worker in workers)
    by_path: dict[str, list[tuple[int, str, int, int]]] = {path: [] for path in paths}
    for line in output.splitlines():
        match = LINE.match(line)
        if not match:
            continue  # the NULL lines for the distant past and future
        when = datetime.strptime(match["ut"], "%b %d %H:%M:%S %Y").replace(tzinfo=UTC)
        by_path[match["path"]].append(
            (int(when.timestamp()), match["abbr"], int(match["isdst"]), int(match["gmtoff"]))
        )
    return {key: by_path[str(TZDATA_DIR / key)] for key in keys}


def _zones_with_rules() -> list[str]:
    """Zones whose TZif footer has a DST rule: the only ones that change after 2037."""
    return [
        key
        for key in sorted(zone_keys().values())
        if (rule := zone_transitions(key).rule) is not None and rule.dst_offset is not None
    ]


@pytest.mark.parametrize(
    ("first", "last", "keys"),
    [(1970, 2038, lambda: sorted(zone_keys().values())), (2038, 2100, _zones_with_rules)],
    ids=["all zones 1970-2037", "zones with rules 2038-2099"],
)
def test_every_zone_agrees_with_zdump_either_side_of_each_transition(
    first: int, last: int, keys
) -> None:
    checked = 0
    mismatches = []
    for key, rows in zdump_transitions(first, last, keys()).items():
        zone = load_zone(key)
        transitions = zone_transitions(key)
        for index, (when, abbr, isdst, gmtoff) in enumerate(rows):
            moment = datetime.fromtimestamp(when, UTC)
            ours = zone_time(zone, moment)
            period = transitions.period_at(when)
            got = (ours.utc_offset_seconds, ours.abbreviation, int(period.isdst))
            if got != (gmtoff, abbr, isdst):
                mismatches.append((key, moment.isoformat(), got, (gmtoff, abbr, isdst)))
            # zdump prints pairs: one second before a transition, then the transition itself.
            changed = index % 2 and rows[index - 1][1:] != (abbr, isdst, gmtoff)
            if changed and period.start != when:
                mismatches.append((key, moment.isoformat(), "period starts", period.start))
            checked += 1
    assert mismatches[:10] == []
    assert checked > 10_000
