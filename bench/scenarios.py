"""What the benchmark asks the server: each scenario builds its requests and names its target."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.generate import BENCH_PASSWORD, Generated


@dataclass(frozen=True)
class Scenario:
    name: str
    build: Callable[[str, Generated], list[dict[str, Any]]]  # base URL, data -> requests
    concurrency: int = 10
    target_ms: float | None = None
    target_percentile: str = "p95_ms"
    repeatable: bool = True  # False: every request changes state, so no warm-up replay


def bearer_token(base: str, email: str) -> str:
    body = json.dumps({"email": email, "password": BENCH_PASSWORD}).encode()
    request = urllib.request.Request(  # noqa: S310  (a loopback URL we built)
        f"{base}/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return str(json.load(response)["token"])


def _get(path: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {"method": "GET", "path": path, "headers": headers}


def me(base: str, data: Generated) -> list[dict[str, Any]]:
    tokens = [bearer_token(base, email) for email in data.carer_emails[:20]]
    return [_get("/api/v1/me", t) for t in tokens]


def social_worker_children(base: str, data: Generated) -> list[dict[str, Any]]:
    tokens = [bearer_token(base, email) for email in data.social_worker_emails[:20]]
    return [_get("/api/v1/children", t) for t in tokens]


def respite_availability(base: str, data: Generated) -> list[dict[str, Any]]:
    """90 nights of free beds at the family's own hub home."""
    from datetime import date, timedelta

    start = date.today()
    end = start + timedelta(days=90)
    requests = []
    for email, _household, constellation_id, _child in data.families[:20]:
        token = bearer_token(base, email)
        requests.append(
            _get(
                f"/api/v1/respite/availability?constellation_id={constellation_id}"
                f"&from={start}&to={end}",
                token,
            )
        )
    return requests


def respite_booking(base: str, data: Generated) -> list[dict[str, Any]]:
    """One-night requests, each family on its own night, so most find a free bed."""
    from datetime import date, timedelta

    requests = []
    for i, (email, household_id, _constellation, child_id) in enumerate(data.families[:400]):
        token = bearer_token(base, email)
        night = date.today() + timedelta(days=7 + i % 150)
        body = json.dumps(
            {
                "household_id": household_id,
                "child_ids": [child_id],
                "check_in": night.isoformat(),
                "check_out": (night + timedelta(days=1)).isoformat(),
                "kind": "planned",
            }
        )
        requests.append(
            {
                "method": "POST",
                "path": "/api/v1/respite/bookings",
                "body": body,
                "headers": {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            }
        )
    return requests


def phone_voice(base: str, data: Generated) -> list[dict[str, Any]]:
    """Incoming calls, each a new CallSid: the chain is frozen and the first person rung."""
    from bench.phone import incoming_calls

    return incoming_calls(base, data.callers[:1000])


def phone_dial_result(base: str, data: Generated) -> list[dict[str, Any]]:
    """The first person did not answer: the next one is rung (replays are idempotent)."""
    from bench.phone import dial_results

    return dial_results(base, data.callers[1000:1400])


def caseload(base: str, data: Generated) -> list[dict[str, Any]]:
    """Each social worker's caseload with dues (constant queries whatever its size)."""
    tokens = [bearer_token(base, email) for email in data.social_worker_emails[:20]]
    return [_get("/api/v1/caseload", t) for t in tokens]


def outcomes_five_years(base: str, data: Generated) -> list[dict[str, Any]]:
    """Constellation health and outcomes over five years, as the liaison sees them."""
    tokens = [bearer_token(base, email) for email in data.social_worker_emails[:20]]
    return [_get("/api/v1/reports/outcomes?from=2021-11-24&to=2026-11-23", t) for t in tokens]


def scenarios() -> list[Scenario]:
    """Every scenario, in the order they run."""
    return [
        Scenario("api_me", me, concurrency=10, target_ms=50, target_percentile="p95_ms"),
        Scenario(
            "children_of_social_worker",
            social_worker_children,
            concurrency=10,
            target_ms=200,
            target_percentile="p95_ms",
        ),
        Scenario(
            "respite_availability_90_nights",
            respite_availability,
            concurrency=10,
            target_ms=20,
            target_percentile="p95_ms",
        ),
        Scenario(
            "respite_booking_request",
            respite_booking,
            concurrency=10,
            target_ms=20,
            target_percentile="p95_ms",
            repeatable=False,
        ),
        Scenario(
            "phone_voice",
            phone_voice,
            concurrency=50,
            target_ms=50,
            target_percentile="p99_ms",
            repeatable=False,
        ),
        Scenario(
            "phone_dial_result",
            phone_dial_result,
            concurrency=50,
            target_ms=50,
            target_percentile="p99_ms",
        ),
        Scenario("caseload", caseload, concurrency=10, target_ms=200),
        Scenario("outcomes_five_years", outcomes_five_years, concurrency=10, target_ms=200),
    ]
