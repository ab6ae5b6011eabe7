"""Time: IANA zones from the pinned tzdata, transitions, ZoneTime (a zone at an instant), instants
parsed from what people type, and reading clocks (queries → readings)."""
