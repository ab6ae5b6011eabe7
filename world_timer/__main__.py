"""`python -m world_timer` runs the CLI."""

from world_timer.cli import main

main()
