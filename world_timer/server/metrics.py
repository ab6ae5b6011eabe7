"""The server's Prometheus metrics: requests by route and status, latency, in-flight, build info,
and time answers by IANA zone key (a bounded label: only keys of the tz database get there).

Metrics are registered on the `registry` given (tests pass a fresh `CollectorRegistry` each), as
prometheus_client's own `make_wsgi_app` does. `make_metrics` picks one of two ways to keep them:

- one process (the default, `--workers 1`): `ProcessMetrics` keeps plain numbers and hands them
  to prometheus_client at scrape time through its custom-collector API (`collect()` yielding
  metric families). Counting a request is a dict update instead of three locked metric updates:
  measured, 2 µs less per request, which is 5–10 % of a whole request at full load.
- several workers: the server sets PROMETHEUS_MULTIPROC_DIR before prometheus_client is first
  imported; `SharedMetrics` uses prometheus_client's Counter, Histogram and Gauge, which then write
  each worker's values to files there, and `/metrics` adds up every worker's files
  (`MultiProcessCollector`).

Both expose the same names, labels, buckets and values (tests/test_server_app.py runs both);
in multiprocess mode prometheus_client writes no `_created` series, so several workers show none.
"""

from __future__ import annotations

import bisect
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import metrics as prometheus_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

if TYPE_CHECKING:
    from prometheus_client.metrics import MetricWrapperBase
    from prometheus_client.metrics_core import Metric

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
REQUESTS = (
    "world_timer_http_requests",
    "HTTP requests answered, by route template, method and status.",
)
LATENCY = (
    "world_timer_http_request_duration_seconds",
    "Time to answer a request in the app (seconds), by route template.",
)
IN_FLIGHT = ("world_timer_http_requests_in_flight", "Requests being answered now.")
ZONES = (
    "world_timer_zone_answers",
    "Time answers (200) by IANA zone key: the zones people ask for (dashboard's top-N).",
)
BUILD = (
    "world_timer_build_info",
    "Build of the server: version, tzdata (IANA release) and gazetteer source; always 1.",
)
HTTP_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT")
)


def build_info() -> dict[str, str]:
    """Return the labels of the build-info metric: version, tzdata (IANA release), gazetteer."""
    from importlib.metadata import version

    from world_timer.places.gazetteer import gazetteer
    from world_timer.timekeeping.zones import TZDATA_VERSION

    return {
        "version": version("world-timer"),
        "tzdata": TZDATA_VERSION,
        "gazetteer": gazetteer().meta().get("source", "unknown"),
    }


def _known_method(method: str) -> str:
    """Methods outside HTTP's registered ones count as `other`: a client must not grow /metrics
    without limit."""
    return method if method in HTTP_METHODS else "other"


class Metrics(Protocol):
    """What the app counts: `started()` / `finished()` around each answer (in-flight requests),
    `observe(route, method, status, seconds)` once it is sent, `zone(key)` for a time answer
    (`key` an IANA zone key), and `exposition()`, the Prometheus text format `/metrics` serves.
    `registry` holds the metrics."""

    registry: CollectorRegistry

    def started(self) -> None: ...

    def finished(self) -> None: ...

    def observe(self, route: str, method: str, status: int, seconds: float) -> None: ...

    def zone(self, key: str) -> None: ...

    def exposition(self) -> bytes: ...


def make_metrics(registry: CollectorRegistry, shared: bool | None = None) -> Metrics:
    """Register the server's metrics on `registry`: `SharedMetrics` when `shared` (default: when
    PROMETHEUS_MULTIPROC_DIR is set, i.e. several workers), else `ProcessMetrics`."""
    if shared is None:
        shared = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    return SharedMetrics(registry) if shared else ProcessMetrics(registry)


def _register_build_info(registry: CollectorRegistry) -> None:
    info = build_info()
    build = Gauge(*BUILD, tuple(info), registry=registry, multiprocess_mode="max")
    build.labels(**info).set(1)


class ProcessMetrics:
    """The metrics of a one-process server as plain numbers, collected at scrape time.

    A prometheus_client custom collector (`collect()` yields metric families); the build-info
    Gauge is an ordinary one. Counts are exact: the server answers on one thread.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self._bounds = (*LATENCY_BUCKETS, float("inf"))
        # the `le` labels as prometheus_client writes them (5e-05, ..., +Inf)
        self._le = tuple(floatToGoString(b) for b in self._bounds)  # type: ignore[no-untyped-call]
        # (route, method, status) → [count, created]; route → [per-bucket counts..., sum, created]
        self._requests: dict[tuple[str, str, int], list[float]] = {}
        self._latency: dict[str, list[float]] = {}
        self._zones: dict[str, list[float]] = {}  # zone key → [count, created]
        self._in_flight = 0
        registry.register(self)
        _register_build_info(registry)

    def started(self) -> None:
        """One more request is being answered."""
        self._in_flight += 1

    def finished(self) -> None:
        """One request less is being answered."""
        self._in_flight -= 1

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration in seconds."""
        key = (route, _known_method(method), status)
        counter = self._requests.get(key)
        if counter is None:
            counter = self._requests[key] = [0, time.time()]
        counter[0] += 1
        buckets = self._latency.get(route)
        if buckets is None:
            buckets = self._latency[route] = [0.0] * len(self._bounds) + [0.0, time.time()]
        buckets[bisect.bisect_left(self._bounds, seconds)] += 1
        buckets[-2] += seconds

    def zone(self, key: str) -> None:
        """Count one time answer for the IANA zone `key`."""
        counter = self._zones.get(key)
        if counter is None:
            counter = self._zones[key] = [0, time.time()]
        counter[0] += 1

    def collect(self) -> Iterator[Metric]:
        """The metric families now (called by the registry at each scrape). `_created` series
        only when prometheus_client's own metrics have them (PROMETHEUS_DISABLE_CREATED_SERIES,
        `disable_created_metrics()`), as `SharedMetrics` does."""
        # the library's switch has no public getter; read as its Counter and Histogram do
        with_created = getattr(prometheus_metrics, "_use_created", True)
        requests = CounterMetricFamily(*REQUESTS, labels=("route", "method", "status"))
        for (route, method, status), (count, created) in self._requests.items():
            labels = (route, method, str(status))
            requests.add_metric(labels, count, created=created if with_created else None)
        yield requests
        latency = HistogramMetricFamily(*LATENCY, labels=("route",))
        for route, values in self._latency.items():
            cumulative, total = [], 0.0
            for le, count in zip(self._le, values, strict=False):
                total += count
                cumulative.append((le, total))
            latency.add_metric((route,), cumulative, values[-2])
            if with_created:
                sample = Sample(f"{LATENCY[0]}_created", {"route": route}, values[-1])
                latency.samples.append(sample)
        yield latency
        zones = CounterMetricFamily(*ZONES, labels=("zone",))
        for key, (count, created) in self._zones.items():
            zones.add_metric((key,), count, created=created if with_created else None)
        yield zones
        yield GaugeMetricFamily(*IN_FLIGHT, value=self._in_flight)

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric of the registry."""
        return generate_latest(self.registry)


class SharedMetrics:
    """The metrics as prometheus_client objects: in multiprocess mode (PROMETHEUS_MULTIPROC_DIR
    set) each worker writes them to files there, and `exposition()` adds up every worker's."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.requests = Counter(*REQUESTS, ("route", "method", "status"), registry=registry)
        self.latency = Histogram(*LATENCY, ("route",), buckets=LATENCY_BUCKETS, registry=registry)
        self.in_flight = Gauge(*IN_FLIGHT, registry=registry, multiprocess_mode="livesum")
        self.zones = Counter(*ZONES, ("zone",), registry=registry)
        _register_build_info(registry)
        # Children looked up once per label set: `.labels()` costs more than the increment.
        self._counters: dict[tuple[str, str, int], MetricWrapperBase] = {}
        self._histograms: dict[str, MetricWrapperBase] = {}
        self._zone_counters: dict[str, MetricWrapperBase] = {}

    def started(self) -> None:
        """One more request is being answered."""
        self.in_flight.inc()

    def finished(self) -> None:
        """One request less is being answered."""
        self.in_flight.dec()

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration in seconds."""
        method = _known_method(method)
        counter = self._counters.get((route, method, status))
        if counter is None:
            counter = self.requests.labels(route, method, str(status))
            self._counters[route, method, status] = counter
        counter.inc()  # type: ignore[attr-defined]
        histogram = self._histograms.get(route)
        if histogram is None:
            histogram = self._histograms[route] = self.latency.labels(route)
        histogram.observe(seconds)  # type: ignore[attr-defined]

    def zone(self, key: str) -> None:
        """Count one time answer for the IANA zone `key`."""
        counter = self._zone_counters.get(key)
        if counter is None:
            counter = self._zone_counters[key] = self.zones.labels(key)
        counter.inc()  # type: ignore[attr-defined]

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric (all workers' in multiprocess mode)."""
        path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if not path:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=path)  # type: ignore[no-untyped-call]
        return generate_latest(merged)
