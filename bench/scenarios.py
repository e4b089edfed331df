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
    """One thing users wait for.

    Measured twice: a closed-loop pass with `concurrency` clients for throughput (compared
    with the floor at the same concurrency), and a latency pass with `latency_clients`
    clients, each pausing `think_ms` between requests, for p50/p95/p99: one client measures
    what a user waits for without queueing behind the benchmark's own load; the phone
    scenarios use 50 calls in progress at once, each sending a webhook every 5 seconds
    (Twilio rings each person for 20 seconds, so a real call sends fewer).
    """

    name: str
    build: Callable[[str, Generated], list[dict[str, Any]]]  # base URL, data -> requests
    concurrency: int = 10
    target_ms: float | None = None
    target_percentile: str = "p95_ms"
    repeatable: bool = True  # False: every request changes state, so no warm-up replay
    latency_clients: int = 1
    think_ms: float = 0
    constant_queries: bool = False  # every request must run as many queries (a target)


def bearer_token(base: str, email: str) -> str:
    body = json.dumps({"email": email, "password": BENCH_PASSWORD}).encode()
    request = urllib.request.Request(  # noqa: S310  (a loopback URL we built)
        f"{base}/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return str(json.load(response)["token"])


def send(base: str, prepared: dict[str, Any]) -> bytes:
    """Send one prepared request now (to set the stage for a scenario); return the body."""
    request = urllib.request.Request(  # noqa: S310  (a loopback URL we built)
        base + prepared["path"],
        data=prepared["body"].encode() if prepared.get("body") else None,
        headers=prepared.get("headers", {}),
        method=prepared["method"],
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return bytes(response.read())


def _get(path: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {"method": "GET", "path": path, "headers": headers}


def me(base: str, data: Generated) -> list[dict[str, Any]]:
    tokens = [bearer_token(base, email) for email in data.carer_emails[:20]]
    return [_get("/api/v1/me", t) for t in tokens]


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
    for i, (email, household_id, _constellation, child_id) in enumerate(data.families[:600]):
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


def _ends(sizes: dict[str, int], count: int = 10) -> list[str]:
    """The `count` smallest and `count` largest, so constant queries are tested at both ends."""
    ordered = sorted((size, email) for email, size in sizes.items() if size)
    return [email for _size, email in ordered[:count] + ordered[-count:]]


def caseload(base: str, data: Generated) -> list[dict[str, Any]]:
    """The ten smallest and ten largest caseloads, with their dues."""
    tokens = [bearer_token(base, email) for email in _ends(data.caseload_sizes)]
    return [_get("/api/v1/caseload", t) for t in tokens]


def constellation_health(base: str, data: Generated) -> list[dict[str, Any]]:
    """A liaison's constellations over the past year (the health page's default period)."""
    tokens = [bearer_token(base, email) for email in _ends(data.liaison_sizes)]
    return [_get("/api/v1/reports/outcomes", t) for t in tokens]


def outcomes_report(base: str, data: Generated) -> list[dict[str, Any]]:
    """An organisation's outcomes and every constellation's health over five years."""
    tokens = [bearer_token(base, email) for email in data.admin_emails[:20]]
    return [_get("/api/v1/reports/outcomes?from=2021-11-24&to=2026-11-23", t) for t in tokens]


def query_scaling(base: str, data: Generated) -> dict[str, dict[str, list[int]]]:
    """Queries per request for the smallest and the largest caseload and liaison."""
    import urllib.request

    result = {}
    for name, path, sizes in (
        ("caseload", "/api/v1/caseload", data.caseload_sizes),
        ("constellation_health", "/api/v1/reports/outcomes", data.liaison_sizes),
    ):
        ordered = sorted((size, email) for email, size in sizes.items() if size)
        ends = [ordered[0], ordered[-1]]
        counts = []
        for _size, email in ends:
            request = urllib.request.Request(  # noqa: S310  (a loopback URL we built)
                base + path, headers={"Authorization": f"Bearer {bearer_token(base, email)}"}
            )
            for _first_then_steady in range(2):  # a new token's first use also records it
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    count = int(response.headers["X-Query-Count"])
            counts.append(count)
        result[name] = {"sizes": [size for size, _e in ends], "queries": counts}
    return result


def _phone(
    name: str, build: Callable[[str, Generated], list[dict[str, Any]]], *, repeatable: bool
) -> Scenario:
    """50 calls at once, each sending a webhook every 5 s; p99 under 50 ms."""
    return Scenario(
        name,
        build,
        target_ms=50,
        target_percentile="p99_ms",
        repeatable=repeatable,
        latency_clients=50,
        think_ms=5000,
    )


def scenarios(*, org_scale: bool = False) -> list[Scenario]:
    """Every scenario, in the order they run (with `org_scale`, every page too)."""
    from bench.pages import PAGE_TARGET_MS, PAGES

    pages = [
        Scenario(name, build, target_ms=PAGE_TARGET_MS, constant_queries=True)
        for name, build in PAGES.items()
    ]
    return (pages if org_scale else []) + [
        Scenario("api_me", me),
        Scenario("respite_availability_90_nights", respite_availability, target_ms=20),
        Scenario("respite_booking_request", respite_booking, target_ms=20, repeatable=False),
        _phone("phone_voice", phone_voice, repeatable=False),
        _phone("phone_dial_result", phone_dial_result, repeatable=True),
        Scenario("caseload", caseload, target_ms=200),
        Scenario("constellation_health", constellation_health, target_ms=200),
        Scenario("outcomes_five_years", outcomes_report, target_ms=200),
    ]  # fmt: skip
