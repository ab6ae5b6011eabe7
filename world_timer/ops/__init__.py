"""Operations: settings (config file, environment), paths, safe daily logs, Prometheus run metrics
and the launchd/systemd schedules."""
