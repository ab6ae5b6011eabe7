"""The `world-timer` console script: the CLI with the cyclic garbage collector paused, and Ctrl-C
answered the same way whenever it comes.

A run of the main job imports click and about twenty modules and builds their classes, options
and tables: some hundred thousand objects, almost none of them garbage, which the cyclic
collector would scan over and over. Pausing it is the usual remedy for a short-lived CLI
(measured by `make bench`: about 4 ms of a 75 ms run). Reference counting still frees
everything at once; only reference cycles wait. The commands that run until stopped (`watch`,
`now --watch`, `serve`) switch the collector back on (`gc.enable()`).

Ctrl-C (SIGINT) prints `interrupted` on stderr and exits 130, never a traceback: while the
modules are imported (nothing to clean up yet) the handler exits at once; while the command runs
it is Python's KeyboardInterrupt, which `world_timer.cli.main` turns into that line (so open log
files are closed properly); once the command is done, during the interpreter's shutdown, the
handler exits at once again.
"""

# `_signal` is the C module under `signal` and is built in: importing `signal` itself loads enum,
# functools and collections first (some milliseconds in which Ctrl-C would be a traceback).
import _signal  # type: ignore[import-not-found]  # (no stub: typeshed has only `signal`)
import os
import sys

INTERRUPTED = 130
"""128 + SIGINT, what a shell reports for a program stopped by Ctrl-C."""


def _exit_interrupted(_signum: int = _signal.SIGINT, _frame: object = None) -> None:
    """Say `interrupted` and exit 130 now: for the moments with nothing left to clean up."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # a second Ctrl-C cannot interrupt this
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        os.write(2, b"interrupted\n")
    finally:
        os._exit(INTERRUPTED)


# Installed when this module is imported, the first of ours the console script runs.
_previous = _signal.signal(_signal.SIGINT, _exit_interrupted)
_unraisable = sys.unraisablehook


def _unraisable_interrupt(unraisable: "sys.UnraisableHookArgs") -> None:
    """A KeyboardInterrupt that Python cannot raise (it came inside a callback, e.g. importlib's
    module-lock one while a command imports a module: "Exception ignored in ...") is still
    Ctrl-C: `interrupted`, exit 130, instead of a traceback and a run that goes on."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        _exit_interrupted()
    _unraisable(unraisable)


sys.unraisablehook = _unraisable_interrupt

import gc  # noqa: E402 (after the handler: built in, but still a moment)
import signal  # noqa: E402


def resume_collector() -> None:
    """Switch the cyclic garbage collector back on, for a command that runs until stopped."""
    gc.enable()


def main() -> None:
    """Console-script entry point (also `python -m world_timer`): see `world_timer.cli.main`."""
    gc.disable()
    try:
        from world_timer.cli import main as cli_main

        if _previous is signal.default_int_handler:  # not when SIGINT was ignored (nohup, &)
            signal.signal(signal.SIGINT, signal.default_int_handler)
        elif _previous is not None:
            signal.signal(signal.SIGINT, _previous)
        cli_main()
    except KeyboardInterrupt:
        _exit_interrupted()
    finally:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _exit_interrupted)
