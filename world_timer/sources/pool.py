"""A deadline and a bounded pool of daemon threads: the concurrency of the API source.

Why not concurrent.futures.ThreadPoolExecutor: its workers are joined when the interpreter exits,
so one request stuck where no socket timeout reaches (a slow DNS lookup, a server trickling the
body of a response urllib3 drains before a retry) would keep `world-timer` alive past its
deadline. These workers are daemon threads: the caller gets its answers (or their absence) at the
deadline, and the process can exit then whatever the stragglers do. Results still travel in
concurrent.futures.Future objects, so waiting uses `concurrent.futures.wait`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, wait
from typing import TypeVar

T = TypeVar("T")


class Deadline:
    """An instant on the monotonic clock: `seconds` from its creation."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self.at = clock() + seconds

    def left(self) -> float:
        """Seconds left before the deadline (0.0 once it has passed)."""
        return max(0.0, self.at - self._clock())

    @property
    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self.left() <= 0.0


def run_bounded(
    tasks: Sequence[Callable[[], T]], workers: int, deadline: Deadline
) -> list[Future[T]]:
    """Run `tasks` on at most `workers` daemon threads; return once all are done or at `deadline`.

    Returns one Future per task, in order. At the deadline, tasks not yet started are cancelled
    (`future.cancelled()`); tasks still running are left to finish on their own (their futures are
    not done). An exception raised by a task is stored in its future, not raised here.
    """
    futures: list[Future[T]] = [Future() for _ in tasks]
    queue = deque(zip(tasks, futures, strict=True))
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            try:
                task, future = queue.popleft()  # deque.popleft is atomic: no lock needed
            except IndexError:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(task())
            except Exception as exc:  # handed to the caller through the future
                future.set_exception(exc)

    for number in range(min(workers, len(tasks))):
        threading.Thread(target=work, name=f"world-timer-pool-{number}", daemon=True).start()
    wait(futures, timeout=deadline.left())
    stop.set()
    for future in futures:
        future.cancel()  # only those not started yet: a running future cannot be cancelled
    return futures
