"""`python -m world_timer` runs the CLI."""

from world_timer.console import main

main()
