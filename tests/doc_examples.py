"""The console examples of README.md and docs/*.md, read as transcripts and run (the doc tests).

A ```console block is a transcript: lines starting with `$ ` are commands, the lines after one are
what it prints (stdout and stderr as they interleave). An HTML comment right before the block says
how to run it (docs/development.md, "Examples are tests"):

    <!-- example: now=2026-11-30T13:15:00Z tz=Europe/Berlin terminal -->
    <!-- example: skip: needs a Kubernetes cluster -->
    <!-- example: container -->

`now` pins the clock (UTC; default DEFAULT_NOW), `tz` is $TZ (default UTC), `terminal` renders as
on a terminal (tables, no colour); `skip:` gives the reason a block is only shown; `container`
blocks run in `make test-container` (tests/test_container.py). In expected output, a line `...`
stands for any lines (none included) and `...` inside a line for any text on it.

Commands run here: `world-timer ARGS` (in-process, with the pinned clock; `VAR=value` before it
sets the environment), `world-timer serve ... &` (the app in-process on the pinned clock),
`curl -s[i] URL` against it, `kill %1`, `cat FILE`; a ```pycon block is run by doctest.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from prometheus_client import CollectorRegistry
from pytest import MonkeyPatch

from tests.server_client import call
from world_timer.cli import CliEnv, cli

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NOW = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)
_COMMENT = re.compile(r"^\s*<!--\s*example:\s*(?P<options>.*?)\s*-->\s*$")
_COLUMNS = re.compile(r" +")
_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$")


@dataclass
class Example:
    """One fenced block: where it is, how to run it, and its lines (indentation removed)."""

    path: Path
    line: int
    lang: str
    lines: list[str]
    now: datetime = DEFAULT_NOW
    tz: str = "UTC"
    terminal: bool = False
    skip: str = ""
    container: bool = False

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def steps(self) -> Iterator[tuple[str, list[str]]]:
        """(command, expected output lines) for each `$ ` line of a console block."""
        command: str | None = None
        expected: list[str] = []
        for line in [*self.lines, "$ "]:
            if line.startswith("$ "):
                while expected and not expected[-1].strip():
                    expected.pop()  # blank lines before the next command only separate them
                if command is not None:
                    yield command, expected
                command, expected = line[2:], []
            elif command is not None:
                expected.append(line)


def doc_files() -> list[Path]:
    """README.md and every page of the manual."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def examples(path: Path) -> list[Example]:
    """The console and pycon blocks of one Markdown file, with their run options."""
    found: list[Example] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    options = ""
    index = 0
    while index < len(lines):
        comment = _COMMENT.match(lines[index])
        fence = _FENCE.match(lines[index])
        if comment:
            options = comment["options"]
        elif fence and fence["lang"]:
            indent = len(fence["indent"])
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith("```"):
                end += 1
            body = [
                line[indent:] if line[:indent].isspace() else line
                for line in lines[index + 1 : end]
            ]
            if fence["lang"] in ("console", "pycon"):
                found.append(_example(path, index + 1, fence["lang"], body, options))
            options = ""
            index = end
        elif lines[index].strip():
            options = ""
        index += 1
    return found


def _example(path: Path, line: int, lang: str, body: list[str], options: str) -> Example:
    example = Example(path, line, lang, body)
    if options.startswith("skip:"):
        example.skip = options.removeprefix("skip:").strip()
        if not example.skip:
            raise ValueError(f"{path}:{line}: `skip:` needs a reason")
        return example
    for word in options.split():
        name, _, value = word.partition("=")
        if name == "now":
            example.now = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        elif name == "tz":
            example.tz = value
        elif name == "terminal":
            example.terminal = True
        elif name == "container":
            example.container = True
        else:
            raise ValueError(f"{path}:{line}: unknown example option {word!r}")
    return example


def split_command(command: str) -> tuple[dict[str, str], list[str], bool]:
    """`TZ=UTC world-timer Tokyo   # comment` → ({"TZ": "UTC"}, ["world-timer", "Tokyo"], False);
    the flag is a trailing `&`."""
    words = shlex.split(command, comments=True)
    background = bool(words) and words[-1] == "&"
    if background:
        words = words[:-1]
    environ: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        environ[name] = value
    return environ, words, background


def matches(expected: list[str], actual: str) -> bool:
    """Whether `actual` (whole output) fits the expected lines, `...` being the wildcards.

    Runs of spaces compare equal whatever their length: a path written `~` shortens
    the column it is in."""
    expected = [_COLUMNS.sub(" ", line) for line in expected]
    actual = _COLUMNS.sub(" ", actual)
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(
                ".*?".join(re.escape(piece) for piece in line.rstrip().split("...")) + r"[ \t]*\n"
            )
    text = "".join(line.rstrip() + "\n" for line in actual.splitlines())
    return re.fullmatch("".join(parts), text) is not None


class Session:
    """One block's shell: a working folder, its $TZ, the pinned clock and a background server."""

    def __init__(self, example: Example, folder: Path, monkeypatch: MonkeyPatch) -> None:
        self.example = example
        self.folder = folder
        self.server: Any = None
        monkeypatch.chdir(folder)
        for name, value in (
            ("HOME", ""),
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_STATE_HOME", ".state"),
        ):
            monkeypatch.setenv(name, str(folder / value))
        if example.terminal:
            from world_timer.commands import context, listing

            monkeypatch.setattr(context, "stdout_is_terminal", lambda: True)
            monkeypatch.setattr(listing, "stdout_is_terminal", lambda: True)

    def run(self, command: str) -> str:
        """What `command` prints, the block's folder (its $HOME) written `~`."""
        return self._run(command).replace(str(self.folder), "~")

    def _run(self, command: str) -> str:
        environ, words, background = split_command(command)
        if not words:
            return ""
        name, args = words[0], words[1:]
        if name == "world-timer" and args[:1] == ["serve"] and background:
            return self._serve(args[1:])
        if name == "world-timer":
            return self._world_timer(args, environ)
        if name == "curl":
            return self._curl(args)
        if name == "kill" and args == ["%1"] and self.server is not None:
            self.server = None
            return ""
        if name == "cat":
            return "".join((self.folder / arg).read_text(encoding="utf-8") for arg in args)
        raise AssertionError(
            f"{self.example.id}: {name!r} is not run by the doc tests: mark the block "
            "`<!-- example: skip: REASON -->` or `container`"
        )

    def _world_timer(self, args: list[str], environ: dict[str, str]) -> str:
        env = {
            "TZ": self.example.tz,
            "WORLD_TIMER_LOG_DIR": "~/logs",
            "NO_COLOR": "1",
            "COLUMNS": "200",
            **environ,
        }
        now = self.example.now
        result = CliRunner().invoke(cli, args, obj=CliEnv(now=lambda: now, environ=env))
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{self.example.id}: {result.exception!r}"
        )
        return result.output

    def _serve(self, args: list[str]) -> str:
        from world_timer.server.app import make_app
        from world_timer.timekeeping.zones import load_zone

        default = args[args.index("--default-zone") + 1] if "--default-zone" in args else "UTC"
        now = self.example.now
        self.server = make_app(
            registry=CollectorRegistry(), default_zone=load_zone(default), now=lambda: now
        )
        return ""

    def _curl(self, args: list[str]) -> str:
        assert self.server is not None, f"{self.example.id}: curl with no server started"
        url = next(arg for arg in args if arg.startswith("http://127.0.0.1:"))
        path = "/" + url.split("/", 3)[3]
        answer = call(self.server, "GET", path)
        head = ""
        if any(arg.startswith("-") and "i" in arg for arg in args if not arg.startswith("--")):
            lines = [f"HTTP/1.1 {answer.status}"] + [f"{k}: {v}" for k, v in answer.headers.items()]
            head = "\r\n".join(lines) + "\r\n\r\n"
        return head + answer.body.decode("utf-8") + "\n"


def update(path: Path) -> int:
    """Rewrite the expected output of each console block of `path` that fails and holds no `...`
    wildcard with what it prints now (a maintainer's tool: review the diff); returns how many."""
    import tempfile

    lines = path.read_text(encoding="utf-8").split("\n")
    changed = 0
    for example in reversed(examples(path)):
        if example.lang != "console" or example.skip or example.container:
            continue
        steps = list(example.steps())
        if any("..." in line for _, expected in steps for line in expected):
            continue
        patch = MonkeyPatch()
        with tempfile.TemporaryDirectory() as folder:
            session = Session(example, Path(folder), patch)
            try:
                outputs = [(command, session.run(command)) for command, _ in steps]
            finally:
                patch.undo()
        pairs = zip(steps, outputs, strict=True)
        if all(matches(expected, out) for (_, expected), (_, out) in pairs):
            continue
        fence = lines[example.line - 1]
        indent = fence[: len(fence) - len(fence.lstrip())]
        body = [
            (indent + line).rstrip()
            for command, out in outputs
            for line in (f"$ {command}", *out.rstrip("\n").split("\n"))
        ]
        lines[example.line : example.line + len(example.lines)] = body
        changed += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return changed


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        print(f"{name}: {update(Path(name).resolve())} blocks rewritten")
