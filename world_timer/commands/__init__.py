"""Click commands that live in their own module, registered at the bottom of world_timer/cli.py."""
