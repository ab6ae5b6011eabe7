"""Run metrics in the Prometheus text format: a node_exporter textfile, or a Pushgateway push.

Imported only when `--metrics-textfile` or `--pushgateway` is given: it imports prometheus_client.

Every run builds a fresh `CollectorRegistry` holding one `RunCollector`, whose values are the
previous totals plus this run: the counters (`_total`) and the last-success time are carried from
the previous textfile (read and rewritten under an exclusive `flock`, so overlapping runs count
every run) or, with a Pushgateway only, from what the gateway holds for this job and instance.

Metrics (names and units per the Prometheus naming guide):
- `world_timer_runs_total{result="success"|"failure"}`: runs; failure = some place not resolved;
- `world_timer_places_resolved_total{source}`, `world_timer_places_failed_total{reason}`;
- `world_timer_api_requests_total{outcome}` and the histogram
  `world_timer_api_request_duration_seconds`: API requests (none with the embedded source);
- `world_timer_last_run_places{result="resolved"|"failed"}`: places in the last run;
- `world_timer_last_run_timestamp_seconds`, `world_timer_last_success_timestamp_seconds`: unix
  time.
"""

from __future__ import annotations

import http.client
import os
import socket
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from prometheus_client import CollectorRegistry, generate_latest, push_to_gateway
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from world_timer.ops import safefiles

JOB = "world_timer"
"""The Pushgateway job name (the `job` label of every pushed sample)."""
PREFIX = "world_timer_"
BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Upper bounds (seconds) of the API latency histogram; +Inf is added."""


@dataclass(frozen=True, slots=True)
class RequestSample:
    """One API request of a run: how it ended (`ok`, `timeout`, `http_503`, ...) and how long
    it took, in seconds. The API source reports these; the embedded source makes none."""

    outcome: str
    seconds: float


class PlaceOutcome(Protocol):
    """What the run metrics read of one place of a run (`world_timer.reading.readings.Reading`
    is one): whether it was answered, by which source, and the error (with a `reason`) if not."""

    @property
    def ok(self) -> bool: ...

    @property
    def source(self) -> str: ...

    @property
    def error(self) -> Exception | None: ...


@dataclass
class Totals:
    """Counts accumulated over runs, keyed by label value; `last_success` is a unix time."""

    runs: Counter[str] = field(default_factory=Counter)
    resolved: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)
    buckets: Counter[str] = field(default_factory=Counter)  # cumulative, by `le` as written
    latency_sum: float = 0.0
    latency_count: int = 0
    last_success: float | None = None


def _le(bound: float) -> str:
    return "+Inf" if bound == float("inf") else repr(float(bound))


def add_run(
    previous: Totals,
    readings: Sequence[PlaceOutcome],
    requests: Iterable[RequestSample],
    now: float,
) -> tuple[Totals, dict[str, int]]:
    """Return (previous + this run, this run's {'resolved': n, 'failed': n}); `now` is unix time.

    A run succeeds when every place resolved (exit code 0).
    """
    totals = Totals(
        runs=Counter(previous.runs),
        resolved=Counter(previous.resolved),
        failed=Counter(previous.failed),
        requests=Counter(previous.requests),
        buckets=Counter(previous.buckets),
        latency_sum=previous.latency_sum,
        latency_count=previous.latency_count,
        last_success=previous.last_success,
    )
    failed = [r for r in readings if not r.ok]
    for reading in readings:
        if reading.ok:
            totals.resolved[reading.source] += 1
        else:
            totals.failed[getattr(reading.error, "reason", "error").replace(" ", "_")] += 1
    totals.runs["failure" if failed else "success"] += 1
    if not failed:
        totals.last_success = now
    for request in requests:
        totals.requests[request.outcome] += 1
        totals.latency_sum += request.seconds
        totals.latency_count += 1
        for bound in (*BUCKETS, float("inf")):
            if request.seconds <= bound:
                totals.buckets[_le(bound)] += 1
    return totals, {"resolved": len(readings) - len(failed), "failed": len(failed)}


def read_totals(text: str, labels: dict[str, str] | None = None) -> Totals:
    """Totals from a Prometheus text exposition (a previous textfile, or a Pushgateway's
    /metrics), keeping only samples whose labels include `labels` (e.g. job and instance).

    Raises ValueError when the text is not in the exposition format.
    """
    wanted = labels or {}
    totals = Totals()
    counters = {
        PREFIX + "runs_total": ("result", totals.runs),
        PREFIX + "places_resolved_total": ("source", totals.resolved),
        PREFIX + "places_failed_total": ("reason", totals.failed),
        PREFIX + "api_requests_total": ("outcome", totals.requests),
        PREFIX + "api_request_duration_seconds_bucket": ("le", totals.buckets),
    }
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if any(sample.labels.get(k) != v for k, v in wanted.items()):
                continue
            if not 0 <= sample.value < 2**53:  # NaN, infinite, negative: not a count of ours
                raise ValueError(f"bad value {sample.value} for {sample.name}")
            if sample.name in counters:
                label, counter = counters[sample.name]
                key = sample.labels.get(label, "")
                counter[_le(float(key)) if label == "le" else key] += int(sample.value)
            elif sample.name == PREFIX + "api_request_duration_seconds_sum":
                totals.latency_sum += sample.value
            elif sample.name == PREFIX + "api_request_duration_seconds_count":
                totals.latency_count += int(sample.value)
            elif sample.name == PREFIX + "last_success_timestamp_seconds":
                totals.last_success = sample.value
    return totals


class RunCollector:
    """A prometheus_client collector that yields the run metrics (see the module docstring)."""

    def __init__(self, totals: Totals, last_run: dict[str, int], now: float) -> None:
        self.totals, self.last_run, self.now = totals, last_run, now

    def collect(self) -> Iterator[Metric]:
        totals = self.totals
        families: list[tuple[str, str, str, Counter[str]]] = [
            (
                "runs",
                "Runs of world-timer, by result (failure: some place not resolved)",
                "result",
                totals.runs,
            ),
            ("places_resolved", "Places resolved, by time source", "source", totals.resolved),
            ("places_failed", "Places not resolved, by reason", "reason", totals.failed),
            ("api_requests", "Requests to the time API, by outcome", "outcome", totals.requests),
        ]
        for name, about, label, counts in families:
            family = CounterMetricFamily(PREFIX + name, about, labels=[label])
            for value, count in sorted(counts.items()):
                family.add_metric([value], count)
            yield family
        if totals.latency_count:
            bounds = [_le(b) for b in (*BUCKETS, float("inf"))]
            yield HistogramMetricFamily(
                PREFIX + "api_request_duration_seconds",
                "Time from sending an API request to its answer (or failure), seconds",
                buckets=[(le, totals.buckets[le]) for le in bounds],
                sum_value=totals.latency_sum,
            )
        places = GaugeMetricFamily(
            PREFIX + "last_run_places", "Places in the last run, by result", labels=["result"]
        )
        for result in ("resolved", "failed"):
            places.add_metric([result], self.last_run[result])
        yield places
        yield GaugeMetricFamily(
            PREFIX + "last_run_timestamp_seconds", "When the last run ended, unix time", self.now
        )
        if totals.last_success is not None:
            yield GaugeMetricFamily(
                PREFIX + "last_success_timestamp_seconds",
                "When the last run in which every place resolved ended, unix time",
                totals.last_success,
            )


def build_registry(
    readings: Sequence[PlaceOutcome],
    requests: Iterable[RequestSample] = (),
    now: datetime | None = None,
    previous: Totals | None = None,
) -> CollectorRegistry:
    """A fresh registry (never the global one) with this run's metrics on top of `previous`."""
    instant = (now or datetime.now().astimezone()).timestamp()
    totals, last_run = add_run(previous or Totals(), readings, requests, instant)
    registry = CollectorRegistry(auto_describe=True)
    registry.register(RunCollector(totals, last_run, instant))
    return registry


def _gateway_url(gateway: str) -> str:
    return gateway.rstrip("/") if "://" in gateway else "http://" + gateway.rstrip("/")


def grouping_key() -> dict[str, str]:
    """The Pushgateway grouping key besides the job: this machine's host name as `instance`,
    so machines that push to one gateway do not overwrite each other."""
    return {"instance": socket.gethostname()}


def _gateway_totals(gateway: str, timeout: float) -> Totals:
    """What the gateway holds for this job and instance (empty totals if nothing yet)."""
    import urllib.request

    with urllib.request.urlopen(_gateway_url(gateway) + "/metrics", timeout=timeout) as answer:
        text = answer.read().decode("utf-8")
    return read_totals(text, {"job": JOB, **grouping_key()})


TEXTFILE_LOCK_SECONDS = 2.0
"""How long a run waits for another run's textfile lock before it leaves the metrics unwritten."""


def _read_textfile(folder: int, name: str, where: Path) -> str | None:
    """The textfile's text (None when missing), opened with safefiles' checks: never through a
    link, only a regular file."""
    try:
        fd = safefiles.open_in(folder, name, os.O_RDONLY, where)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read().decode("utf-8")


def _write_textfile(
    textfile: Path, registry_for: Callable[[Totals], CollectorRegistry], problems: list[str]
) -> CollectorRegistry:
    """Under `NAME.lock` beside it (0600, never a link; the collector reads only *.prom), read
    the previous totals, build the registry and replace the textfile atomically (safefiles:
    a random O_EXCL | O_NOFOLLOW temporary name, renamed inside the folder). Raises OSError
    (UnsafeFileError for a planted link or a non-regular file)."""
    if not textfile.parent.is_dir():
        # The collector's folder is set up with node_exporter; a missing one is a typo.
        raise FileNotFoundError(2, "no such folder", str(textfile))
    folder = safefiles.open_folder(textfile.parent)
    try:
        existing = safefiles.entry(folder, textfile.name)
        if existing is not None:
            # Never lock beside, read or replace a link, a device (/dev/null) or a FIFO.
            safefiles.check_regular(existing, textfile)
        with safefiles.locked(
            folder,
            textfile.name + ".lock",
            textfile.parent,
            TEXTFILE_LOCK_SECONDS,
            "this run's metrics are not written",
        ):
            previous = Totals()
            try:
                text = _read_textfile(folder, textfile.name, textfile.parent)
                if text is not None:
                    previous = read_totals(text)
            except (ValueError, UnicodeDecodeError):
                problems.append(f"{textfile}: not in the Prometheus text format; counting from 0")
            registry = registry_for(previous)
            safefiles.write_atomically(
                folder, textfile.name, generate_latest(registry), textfile.parent
            )
            return registry
    finally:
        os.close(folder)


def record_run(
    readings: Sequence[PlaceOutcome],
    textfile: Path | None = None,
    gateway: str | None = None,
    requests: Iterable[RequestSample] = (),
    now: datetime | None = None,
    timeout: float = 5.0,
) -> list[str]:
    """Write the run metrics to `textfile` (atomically, never through a link: `_write_textfile`)
    and/or push them to `gateway` (push_to_gateway, PUT, `timeout` seconds).

    Returns the problems as one-line messages (a textfile that cannot be read or written, a
    gateway that does not answer); never raises for them, so the times are still printed.
    """
    problems: list[str] = []
    requests = list(requests)
    registry = None
    if textfile is not None:
        try:
            registry = _write_textfile(
                textfile,
                lambda previous: build_registry(readings, requests, now, previous),
                problems,
            )
        except OSError as exc:
            reason = exc.strerror or exc
            problems.append(f"cannot write the metrics file {exc.filename or textfile}: {reason}")
    if gateway is not None:
        try:
            if registry is None:
                previous = _gateway_totals(gateway, timeout)
                registry = build_registry(readings, requests, now, previous)
            push_to_gateway(
                _gateway_url(gateway), JOB, registry, grouping_key=grouping_key(), timeout=timeout
            )
        except (OSError, ValueError, http.client.HTTPException) as exc:
            problems.append(f"cannot push the metrics to {gateway}: {getattr(exc, 'reason', exc)}")
    return problems
