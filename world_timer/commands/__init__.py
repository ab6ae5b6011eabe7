"""Click commands of `world-timer` other than the default `now`, one module each."""
