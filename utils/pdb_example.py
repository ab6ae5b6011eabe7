"""A short debugging session on the place resolver with pdb: a breakpoint, then a post-mortem.

1. Breakpoint. `world-timer Valencia` answers Valencia, Venezuela: why not Spain? The script
   starts `resolve("Valencia")` under pdb; set a breakpoint on `_pick`, where the resolver
   chooses among namesakes, run to it, and look at the candidates world_timer/places/rank.py
   ranked:

       (Pdb) break _pick
       (Pdb) continue
       (Pdb) p [(c.place.name, c.place.country_code, c.place.population) for c in ranked[:3]]
       (Pdb) return
       (Pdb) p __return__.label
       (Pdb) continue

   Both match by their own name, neither is a capital or a zone city, so the most populous wins
   (Venezuela's Valencia is larger), and a note names the other.

2. Post-mortem. `resolve("Tokyoooo")` raises PlaceNotFoundError; pdb opens on the frame that raised:

       (Pdb) where
       (Pdb) p text, best
       (Pdb) p suggest(text)
       (Pdb) quit

Usage:
    python utils/pdb_example.py            # type the commands above at each (Pdb) prompt
    python utils/pdb_example.py --replay   # pdb runs the commands above itself, echoing them
    python utils/pdb_example.py < FILE     # or feed your own commands on stdin
"""

from __future__ import annotations

import argparse
import io
import pdb
import sys

from world_timer.errors import PlaceError
from world_timer.places.resolve import resolve

BREAKPOINT_SESSION = [
    "break _pick",
    "continue",
    "p [(c.place.name, c.place.country_code, c.place.population) for c in ranked[:3]]",
    "return",
    "p __return__.label",
    "continue",
]
POST_MORTEM_SESSION = ["where", "p text, best", "p suggest(text)", "quit"]


class ReplayPdb(pdb.Pdb):
    """pdb reading its commands from a list, and echoing each after the prompt (a transcript)."""

    def __init__(self, commands: list[str]) -> None:
        super().__init__(stdin=io.StringIO("".join(c + "\n" for c in commands)), stdout=sys.stdout)

    def precmd(self, line: str) -> str:
        print(line)
        return super().precmd(line)


def debugger(commands: list[str] | None) -> pdb.Pdb:
    """A Pdb on the terminal (or whatever stdin is), or one that replays `commands`."""
    return ReplayPdb(commands) if commands is not None else pdb.Pdb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replay", action="store_true", help="run the documented commands")
    replay = parser.parse_args().replay

    print("== 1. breakpoint: resolve('Valencia') ==")
    found = debugger(BREAKPOINT_SESSION if replay else None).runcall(resolve, "Valencia")
    if found is None:  # `quit` at a (Pdb) prompt stops the call
        print("stopped before resolve() returned")
        return 1
    print(f"resolved: {found.label} ({found.zone_key})")
    for note in found.notes:
        print(f"note: {note}")

    print("== 2. post-mortem: resolve('Tokyoooo') ==")
    try:
        resolve("Tokyoooo")
    except PlaceError as exc:
        print(f"raised {type(exc).__name__}: {exc}")
        post_mortem = debugger(POST_MORTEM_SESSION if replay else None)
        post_mortem.reset()
        post_mortem.interaction(None, exc.__traceback__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
