"""Property tests: no string input produces a traceback, through the library or the CLI."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from world_timer.errors import PlaceError
from world_timer.places.resolve import resolve

queries = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["Asia/", "/", "..", "Etc/GMT+", "UTC+", "+99", ",", "Paris,", ", TX", "\x00"]),
    st.builds(lambda a, b: f"{a}, {b}", st.text(max_size=20), st.text(max_size=20)),
)


@settings(max_examples=300, deadline=None)
@given(queries)
@example(",0\n0")  # a line break in the qualifier once made a two-line message
def test_resolve_raises_only_its_own_errors(query: str) -> None:
    try:
        resolution = resolve(query)
    except PlaceError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert resolution.zone is not None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(queries, min_size=1, max_size=3), st.sampled_from(["table", "plain", "json"]))
def test_cli_exits_with_a_documented_code_and_no_traceback(run, args: list[str], fmt: str) -> None:
    result = run(["--format", fmt, "--", *args])
    assert result.exit_code in (0, 1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
