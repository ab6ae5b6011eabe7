"""The manual's `<!-- example: container -->` console blocks, run for real (tests/test_container.py).

tests/doc_examples.py reads the blocks (`examples`, `Example.steps`) and compares what a command
prints with the page (`matches`: `...` wildcards); `make test` leaves these blocks out. Here each
`$ ` line runs in bash from the repository's top folder, stdout and stderr interleaved as on a
terminal, in the environment given less what an enclosing make passes down. The page's names stand for this run's own, so that runs side by side and a developer's
own containers do not collide: `words` maps a whole word of a command as the page writes it
(the image `localhost/world-timer`, the container `wt`, the host port 8080) to this run's, and
`shown` maps this run's names back to the page's in what the commands print. podman's error that
it cannot reach systemd for a healthcheck timer (a machine without systemd: docs/containers.md
says so) is left out of the output.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Mapping

from tests.doc_examples import ROOT, Example, matches

# What a make running this test hands its children: a shell of one's own has none of it.
_MAKE = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
_NO_SYSTEMD = re.compile(
    r'^time="[^"]*" level=error msg="unable to get systemd connection.*\n?', re.M
)


def run_example(
    example: Example,
    words: Mapping[str, str],
    shown: Mapping[str, str],
    env: Mapping[str, str],
    timeout: float = 600,
) -> list[str]:
    """Run each command of a console block; return the failures (command, output, the page's)."""
    failures = []
    for command, expected in example.steps():
        ours = shlex.join(words.get(word, word) for word in shlex.split(command, comments=True))
        done = subprocess.run(
            ["bash", "-c", ours],
            cwd=ROOT,
            env={k: v for k, v in env.items() if k not in _MAKE},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
        printed = _NO_SYSTEMD.sub("", done.stdout)
        for name, page in shown.items():
            printed = printed.replace(name, page)
        if not matches(expected, printed):
            failures.append(
                f"{example.id}: `$ {command}` (ran `{ours}`, exit {done.returncode}) printed:\n"
                f"{printed[-3000:]}\n--- the page says:\n" + "\n".join(expected)
            )
    return failures
