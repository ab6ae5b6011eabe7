"""Click commands and options beyond the core `now` / `search` / `zones`, one module each."""
