"""Planning: the meeting planner (hours that overlap across places) and its rendering."""
