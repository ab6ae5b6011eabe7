"""The time API server: a worldtimeapi-compatible app (`make_app`) apart from starting it (`run`).

Imported only by `world-timer serve` and tests: the offline CLI never loads the server stack.
"""
