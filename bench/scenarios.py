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
    ]
