"""Locust users for `world-timer serve` (run headless by utils/load_test_locust.py).

Same weights as the molotov scenarios: zone answers, city look-ups, listings, unknown zones that
must be 404 with the JSON error. A wrong status or body is marked as a failure.
"""

from __future__ import annotations

from locust import FastHttpUser, task


class TimeApiUser(FastHttpUser):
    """One client polling the time API as fast as it is answered."""

    def _check(self, path: str, status: int, name: str, expect: object) -> None:
        with self.client.get(path, name=name, catch_response=True) as answer:
            body = answer.json() if answer.text else None
            if answer.status_code != status:
                answer.failure(f"status {answer.status_code}")
            elif not callable(expect) or not expect(body):
                answer.failure(f"unexpected body {answer.text[:80]!r}")
            else:
                answer.success()

    @task(60)
    def zone(self) -> None:
        self._check(
            "/api/timezone/Asia/Tokyo", 200, "zone", lambda b: b["timezone"] == "Asia/Tokyo"
        )

    @task(20)
    def city(self) -> None:
        self._check("/api/city/Lima", 200, "city", lambda b: b["place"]["country_code"] == "PE")

    @task(10)
    def listing(self) -> None:
        self._check("/api/timezone/Europe", 200, "listing", lambda b: "Europe/Paris" in b)

    @task(10)
    def unknown_zone(self) -> None:
        self._check(
            "/api/timezone/Mars/Olympus_Mons",
            404,
            "unknown zone",
            lambda b: b == {"error": "unknown location"},
        )
