"""The `world-timer` console script: the CLI with the cyclic garbage collector paused.

A run of the main job imports click and about twenty modules and builds their classes, options
and tables: some hundred thousand objects, almost none of them garbage, which the cyclic
collector would scan over and over. Pausing it is the usual remedy for a short-lived CLI
(measured by `make bench`: about 4 ms of a 75 ms run). Reference counting still frees
everything at once; only reference cycles wait. The commands that run until stopped (`watch`,
`now --watch`, `serve`) switch the collector back on (`gc.enable()`).
"""

import gc


def resume_collector() -> None:
    """Switch the cyclic garbage collector back on, for a command that runs until stopped."""
    gc.enable()


def main() -> None:
    """Console-script entry point (also `python -m world_timer`): see `world_timer.cli.main`."""
    gc.disable()
    from world_timer.cli import main as cli_main

    cli_main()
