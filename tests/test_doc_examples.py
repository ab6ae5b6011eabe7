"""Every console example of README.md and docs/ runs and prints what the page says (no drift).

The transcript format and the commands run are described in tests/doc_examples.py and in
docs/development.md ("Examples are tests"). Blocks marked `container` run in test_container.py.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from tests.doc_examples import Example, Session, doc_files, examples, matches

ALL = [example for path in doc_files() for example in examples(path)]
RUN_HERE = [e for e in ALL if not e.skip and not e.container]


def test_the_docs_have_examples_and_every_shown_command_is_run_or_says_why() -> None:
    commands = sum(len(list(e.steps())) for e in RUN_HERE if e.lang == "console")
    assert commands >= 40, commands
    assert {e.path.name for e in RUN_HERE} >= {"README.md", "usage.md", "python-api.md"}
    for path in doc_files():
        text = path.read_text(encoding="utf-8")
        # every transcript is a console block (run, or marked with its reason)
        assert "```shell-session" not in text, path


@pytest.mark.parametrize("example", RUN_HERE, ids=[e.id for e in RUN_HERE])
def test_example_prints_what_the_page_says(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if example.lang == "pycon":
        _run_pycon(example)
        return
    session = Session(example, tmp_path, monkeypatch)
    for command, expected in example.steps():
        actual = session.run(command)
        assert matches(expected, actual), (
            f"{example.id}: `$ {command}` printed:\n{actual}\n--- the page says:\n"
            + "\n".join(expected)
        )


def _run_pycon(example: Example) -> None:
    text = "\n".join(example.lines) + "\n"
    test = doctest.DocTestParser().get_doctest(
        text, {}, example.id, str(example.path), example.line
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
