"""Telephone data and requests for the benchmark: two years of rota, signed Twilio webhooks.

Each constellation gets a day rota (its hub carer, 08–20) and each organisation a shared
night rota (its on-call staff, 20–08), materialised for a year back and a year ahead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from twilio.request_validator import RequestValidator

TWILIO_TOKEN = "bench-twilio-token"  # noqa: S105  (matches the bench server's environment)
DAY, NIGHT = (time(8), time(20)), (time(20), time(8))


def rota_rows(
    constellation_hubs: dict[int, tuple[int, int]],
    oncall_of: dict[int, int],
    today: date,
    now: Any,
    days: int = 365,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Iterator[dict[str, Any]]]:
    """Return rotas, their weekly slots, and (lazily) their shifts.

    `constellation_hubs` maps a constellation id to (organisation id, hub carer's user id);
    `oncall_of` maps an organisation id to its on-call staff user.
    """
    from hubhome.timeutil import local_to_utc

    rotas: list[dict[str, Any]] = []
    owners: list[tuple[int, int, tuple[time, time]]] = []  # rota id, user id, hours
    for constellation_id, (organisation_id, hub_carer) in sorted(constellation_hubs.items()):
        rotas.append(_rota(len(rotas) + 1, organisation_id, constellation_id, now))
        owners.append((len(rotas), hub_carer, DAY))
    for organisation_id, oncall in sorted(oncall_of.items()):
        rotas.append(_rota(len(rotas) + 1, organisation_id, None, now))
        owners.append((len(rotas), oncall, NIGHT))
    until = local_to_utc(today + timedelta(days=days), time(0))
    for rota in rotas:
        rota["materialised_until"] = until
    slots = [
        {
            "id": i * 7 + weekday + 1,
            "rota_id": rota_id,
            "week": 0,
            "weekday": weekday,
            "starts": hours[0],
            "ends": hours[1],
            "user_id": user_id,
        }
        for i, (rota_id, user_id, hours) in enumerate(owners)
        for weekday in range(7)
    ]

    def shifts() -> Iterator[dict[str, Any]]:
        shift_id = 0
        for rota_id, user_id, (starts, ends) in owners:
            for offset in range(-days, days):
                day = today + timedelta(days=offset)
                end_day = day if ends > starts else day + timedelta(days=1)
                shift_id += 1
                yield {
                    "id": shift_id,
                    "rota_id": rota_id,
                    "user_id": user_id,
                    "kind": "pattern",
                    "starts_at": local_to_utc(day, starts),
                    "ends_at": local_to_utc(end_day, ends),
                    "note": None,
                    "created_by_id": None,
                    "created_at": now,
                }

    return rotas, slots, shifts()


def _rota(rota_id: int, organisation_id: int, constellation_id: int | None, now: Any) -> dict:
    return {
        "id": rota_id,
        "organisation_id": organisation_id,
        "constellation_id": constellation_id,
        "name": "Dagtid" if constellation_id else "Nattjour",
        "level": 1,
        "cycle_weeks": 1,
        "materialised_until": None,
        "created_at": now,
    }


def signed_post(base: str, path: str, params: dict[str, str]) -> dict[str, Any]:
    """A webhook request exactly as Twilio sends it: form-encoded and signed."""
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(base + path, params)
    return {
        "method": "POST",
        "path": path,
        "body": urllib.parse.urlencode(params),
        "headers": {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    }


def _call(prefix: str, i: int, frm: str, to: str) -> dict[str, str]:
    return {"CallSid": f"CA{prefix}{i:08d}", "From": frm, "To": to, "CallStatus": "ringing"}


def incoming_calls(base: str, callers: list[tuple[str, str]], prefix: str = "bv") -> list[dict]:
    """One new call per caller: `POST /phone/voice`."""
    return [
        signed_post(base, "/phone/voice", _call(prefix, i, frm, to))
        for i, (frm, to) in enumerate(callers)
    ]


def first_dial_action(twiml: str, base: str) -> str:
    """The path of the <Dial action=…> in a TwiML answer."""
    action = twiml.split('action="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return action[len(base) :]


def dial_results(base: str, callers: list[tuple[str, str]], prefix: str = "bd") -> list[dict]:
    """Start one call per caller, then time the first person's "no answer" for each."""
    requests = []
    for i, (frm, to) in enumerate(callers):
        call = _call(prefix, i, frm, to)
        start = signed_post(base, "/phone/voice", call)
        http = urllib.request.Request(  # noqa: S310  (a loopback URL we built)
            base + start["path"], data=start["body"].encode(), headers=start["headers"]
        )
        with urllib.request.urlopen(http, timeout=30) as response:  # noqa: S310
            path = first_dial_action(response.read().decode(), base)
        params = {
            "CallSid": call["CallSid"],
            "DialCallStatus": "no-answer",
            "DialCallSid": call["CallSid"] + "L",
            "CallStatus": "in-progress",
        }
        requests.append(signed_post(base, path, params))
    return requests


# --- the line with page traffic on the same deployment at the same time -------------------

PAGE_CLIENTS = 10  # closed loop: as many pages as the page pool can serve
CALLS_AT_ONCE = 50  # each sending a webhook every 5 s, as in the phone scenarios
THINK_MS = 5000


def phone_pool() -> Any:
    """The phone pool's application for gunicorn (what `hubhome serve --phone` serves)."""
    from hubhome import create_app
    from hubhome.phone.commands import serve_phone_only

    app = create_app()
    serve_phone_only(app)
    return app


def under_page_load(
    base: str,
    generated: Any,
    *,
    start: Callable[[str, int, int, dict[str, str]], subprocess.Popen[bytes]],
    free_port: Callable[[], int],
    drive: Callable[..., dict[str, Any]],
    workers: int,
    env: dict[str, str],
    quick: bool,
    page_pool: subprocess.Popen[bytes],
    peak: Callable[[int], dict[str, float]],
) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """`/phone/voice` and dial-result p99 while the caseload, health and outcomes pages run
    with 10 clients at once: on the phone pool (a second gunicorn, `hubhome serve --phone`,
    the deployment the README describes; target p99 < 50 ms), and, for comparison only, on
    the page pool itself (no target). Returns the results and the phone pool workers' peak
    memory (`peak(master pid)`, read before the pool stops).

    As the README's deployment gives the line priority, the page pool's processes (and the
    page clients) run at nice 10 from here on; on two cores shared with PostgreSQL, pages
    at the same priority take the CPU a webhook waits for.
    """
    from bench.scenarios import caseload, constellation_health, outcomes_report

    pages = [
        *caseload(base, generated),
        *constellation_health(base, generated),
        *outcomes_report(base, generated),
    ]
    count = 100 if quick else 200
    callers = generated.callers[1400:] or generated.callers
    port = free_port()
    pool = start("bench.phone:phone_pool()", port, workers, env)
    _lower_priority(page_pool.pid)
    results: dict[str, dict[str, Any]] = {}
    try:
        for pool_name, target, target_ms in (
            ("phone_pool", f"http://127.0.0.1:{port}", 50.0),
            ("page_pool", base, None),
        ):
            tag = pool_name[:2]
            mine = [callers[i % len(callers)] for i in range(2 * count)]
            # Signed over the public URL (the page pool's), as the reverse proxy forwards.
            voice = incoming_calls(base, mine[:count], prefix=f"v{tag}")
            dial = dial_results(base, mine[count:], prefix=f"d{tag}")
            warm = incoming_calls(base, mine[:20], prefix=f"w{tag}")
            drive(target, warm, 2, len(warm))  # each worker has run a call before it counts
            with _page_traffic(base, pages):
                for scenario, requests in (("phone_voice", voice), ("phone_dial_result", dial)):
                    result = drive(target, requests, CALLS_AT_ONCE, len(requests), THINK_MS)
                    result |= {
                        "latency_clients": CALLS_AT_ONCE,
                        "think_ms": THINK_MS,
                        "page_clients": PAGE_CLIENTS,
                        "target_ms": target_ms,
                        "target_percentile": "p99_ms",
                        "met": target_ms is None or result["p99_ms"] <= target_ms,
                    }
                    results[f"{scenario}_with_pages_{pool_name}"] = result
        peaks = peak(pool.pid)
    finally:
        pool.terminate()
        pool.wait(timeout=30)
    return results, peaks


def _lower_priority(master: int) -> None:
    """Nice 10 for a gunicorn master and its workers (raising niceness needs no privilege)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in [master, *map(int, children)]:
        os.setpriority(os.PRIO_PROCESS, pid, 10)


@contextmanager
def _page_traffic(base: str, pages: list[dict[str, Any]]) -> Iterator[None]:
    """Keep PAGE_CLIENTS clients asking for pages (closed loop) until the block ends."""
    spec = {"base": base, "requests": pages, "concurrency": PAGE_CLIENTS, "total": 10**7}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    driver = subprocess.Popen(  # noqa: S603
        ["nice", "-n", "10", sys.executable, "-m", "bench.driver", handle.name],  # noqa: S607
        stdout=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        driver.terminate()
        driver.wait(timeout=30)
        os.unlink(handle.name)
