"""Places: what people type → a Place with an IANA zone key (normalize, gazetteer, resolve).

Submodules are imported where used, so `import world_timer.places` costs nothing at start-up.
"""
