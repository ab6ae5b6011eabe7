"""The server's Prometheus metrics: requests by route and status, latency, in-flight, build info.

Metrics are registered on the `registry` given (tests pass a fresh `CollectorRegistry` each), as
prometheus_client's own `make_wsgi_app` does. With several worker processes the server sets
PROMETHEUS_MULTIPROC_DIR before prometheus_client is first imported; then each worker writes its
values to files there and `/metrics` adds up every worker's files (`MultiProcessCollector`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from prometheus_client.metrics import MetricWrapperBase

# Answers take tens of microseconds in-process: buckets from 50 µs up, then the usual tail.
LATENCY_BUCKETS = (
    0.00005,
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    1.0,
)
CONTENT_TYPE = CONTENT_TYPE_LATEST
HTTP_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT")
)


def build_info() -> dict[str, str]:
    """Return the labels of the build-info metric: version, tzdata (IANA release), gazetteer."""
    from importlib.metadata import version

    from world_timer.places import gazetteer
    from world_timer.zones import TZDATA_VERSION

    return {
        "version": version("world-timer"),
        "tzdata": TZDATA_VERSION,
        "gazetteer": gazetteer().meta().get("source", "unknown"),
    }


class Metrics:
    """The metric objects of one app, registered on `registry`.

    `exposition()` renders what `/metrics` serves: this registry's metrics, or, in multiprocess
    mode (PROMETHEUS_MULTIPROC_DIR set), the sum over every worker's files.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.requests = Counter(
            "world_timer_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ("route", "method", "status"),
            registry=registry,
        )
        self.latency = Histogram(
            "world_timer_http_request_duration_seconds",
            "Time to answer a request in the app (seconds), by route template.",
            ("route",),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.in_flight = Gauge(
            "world_timer_http_requests_in_flight",
            "Requests being answered now.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        info = build_info()
        self.build = Gauge(
            "world_timer_build_info",
            "Build of the server: version, tzdata (IANA release) and gazetteer source; always 1.",
            tuple(info),
            registry=registry,
            multiprocess_mode="max",
        )
        self.build.labels(**info).set(1)
        # Children looked up once per label set: `.labels()` costs more than the increment.
        self._counters: dict[tuple[str, str, int], MetricWrapperBase] = {}
        self._histograms: dict[str, MetricWrapperBase] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration in seconds. Methods outside HTTP's
        registered ones count as `other`: a client must not grow /metrics without limit."""
        if method not in HTTP_METHODS:
            method = "other"
        counter = self._counters.get((route, method, status))
        if counter is None:
            counter = self.requests.labels(route, method, str(status))
            self._counters[route, method, status] = counter
        counter.inc()  # type: ignore[attr-defined]
        histogram = self._histograms.get(route)
        if histogram is None:
            histogram = self._histograms[route] = self.latency.labels(route)
        histogram.observe(seconds)  # type: ignore[attr-defined]

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric (all workers' in multiprocess mode)."""
        path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if not path:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=path)  # type: ignore[no-untyped-call]
        return generate_latest(merged)
