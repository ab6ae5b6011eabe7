"""World Timer: the current time in any city you name, from GeoNames and the IANA tz database.

The library (places, zones, zonetime, clock, render) knows nothing of the command line; `cli` is a
thin layer over it. The version lives in pyproject.toml and is read with importlib.metadata.
"""
