"""Reading clocks: each query is resolved (places/), its zone read from a time source (sources/),
and one Reading per query comes out (`readings`); how a run is logged (`journal`); instants typed
with a place in them (`instants`).

This is the layer that joins place resolution and time sources; the time model below it
(timekeeping/) knows neither. Submodules are imported where used.
"""
