"""Click commands besides the default `now`: one module each, added at the bottom of cli.py."""
