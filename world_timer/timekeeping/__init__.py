"""Time: IANA zones from the pinned tzdata, transitions, ZoneTime (a zone at an instant), and
instants parsed from what people type. It knows nothing of places, sources or logs (the layers
above it: world_timer.reading joins them)."""
