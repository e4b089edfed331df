"""Every page a user waits on, for `python -m bench --org-scale` (the largest municipality).

Pages are asked for with a signed-in session cookie (the sign-in form, as a browser does);
each scenario's target is p95 < 300 ms, and its queries per request must be the same for
every request (the driver's min and max `X-Query-Count`), whatever rows each one shows.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bench.generate import BENCH_PASSWORD, Generated

PAGE_TARGET_MS = 300.0
RINGING = 40


def signed_in(base: str, email: str) -> str:
    """Sign in through the form; return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login", timeout=30) as response:
        page = response.read().decode()
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    form = {"email": email, "password": BENCH_PASSWORD}
    if match:
        form["csrf_token"] = match.group(1)
    body = urllib.parse.urlencode(form).encode()
    with opener.open(f"{base}/login", data=body, timeout=30) as response:
        response.read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _page(path: str, cookie: str) -> dict[str, Any]:
    return {"method": "GET", "path": path, "headers": {"Cookie": cookie}}


def _admin(base: str, data: Generated) -> str:
    return signed_in(base, data.admin_emails[0])


def call_log(base: str, data: Generated) -> list[dict[str, Any]]:
    """The on-call staff's call log, its first pages (50 calls, legs and follow-ups each)."""
    cookie = signed_in(base, data.oncall_emails[0])
    return [_page(f"/phone/calls?page={n}", cookie) for n in (1, 2, 3)]


def follow_ups(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = signed_in(base, data.oncall_emails[0])
    return [_page("/phone/follow-ups", cookie)]


def now_live(base: str, data: Generated) -> list[dict[str, Any]]:
    """The live panel while RINGING calls ring the same person (the last line's first
    step: its hub carer by day, the organisation's on-call staff by night)."""
    from bench.phone import incoming_calls
    from bench.scenarios import send

    hub_email, line = data.hub_carers[-1]
    families = [caller for caller in data.callers if caller[1] == line] or data.callers[:1]
    callers = [(families[i % len(families)][0], line) for i in range(RINGING)]
    for request in incoming_calls(base, callers, prefix="live"):
        send(base, request)
    hour = datetime.now(ZoneInfo("Europe/Stockholm")).hour
    rung = hub_email if 8 <= hour < 20 else data.oncall_emails[0]
    return [_page("/phone/now/live", signed_in(base, rung))]


def monthly_report(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = _admin(base, data)
    return [
        _page(f"/activities/report?constellation_id={c}&month=2026-10", cookie) for c in (1, 2, 3)
    ]


def ivo_report(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = _admin(base, data)
    return [_page(f"/decisions/report?quarter={q}", cookie) for q in ("2026Q2", "2026Q3")]


def ivo_report_csv(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = _admin(base, data)
    return [_page(f"/decisions/report.csv?quarter={q}", cookie) for q in ("2026Q2", "2026Q3")]


def foster_home_register(base: str, data: Generated) -> list[dict[str, Any]]:
    return [_page("/decisions/foster-home-register?year=2025", _admin(base, data))]


def outcomes_one_year(base: str, data: Generated) -> list[dict[str, Any]]:
    return [_page("/outcomes/?from=2025-11-24&to=2026-11-23", _admin(base, data))]


def outcomes_ten_years(base: str, data: Generated) -> list[dict[str, Any]]:
    return [_page("/outcomes/?from=2016-11-24&to=2026-11-23", _admin(base, data))]


def audit_by_person(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = _admin(base, data)
    return [_page(f"/admin/audit?actor_id={n}", cookie) for n in (2, 3, 4)]


def audit_by_child(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = _admin(base, data)
    return [_page(f"/admin/audit?child_id={n}", cookie) for n in (1, 2, 3)]


def audit_by_action(base: str, data: Generated) -> list[dict[str, Any]]:
    cookie = _admin(base, data)
    actions = ("children.view", "phone.context_view", "decisions.view")
    return [_page(f"/admin/audit?action={a}", cookie) for a in actions]


def access_review(base: str, data: Generated) -> list[dict[str, Any]]:
    """The monthly access review: a month of the log, by person."""
    cookie = _admin(base, data)
    return [
        _page(f"/admin/audit?actor_id={n}&date_from=2026-10-01&date_to=2026-10-31", cookie)
        for n in (2, 3, 4)
    ]


def caseload_page(base: str, data: Generated) -> list[dict[str, Any]]:
    from bench.scenarios import _ends

    return [_page("/caseload/", signed_in(base, e)) for e in _ends(data.caseload_sizes, 3)]


FEED_CLIENTS = 50  # calendar apps, each from its own address: a feed allows 60 a minute each


def ical_feed(base: str, data: Generated) -> list[dict[str, Any]]:
    """A hub carer's calendar feed, as calendar apps fetch it (the URL is the key), each
    from its own address (127.0.1.x) as real ones are: the feed refuses more than 60
    requests a minute from one address, which a benchmark from one address exceeds at once."""
    cookie = signed_in(base, data.hub_carers[0][0])
    request = urllib.request.Request(f"{base}/calendar", headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        page = response.read().decode()
    match = re.search(r"/calendar/[\w-]+\.ics", page)
    if match is None:
        raise RuntimeError("no calendar feed URL on /calendar")
    return [
        {"method": "GET", "path": match.group(0), "headers": {}, "source": f"127.0.1.{n + 1}"}
        for n in range(FEED_CLIENTS)
    ]


def sign_in(base: str, data: Generated) -> list[dict[str, Any]]:
    """Signing in for an API token: one argon2id verification per request."""
    import json

    return [
        {
            "method": "POST",
            "path": "/api/v1/auth/token",
            "body": json.dumps({"email": email, "password": BENCH_PASSWORD}),
            "headers": {"Content-Type": "application/json"},
        }
        for email in data.carer_emails[:20]
    ]


PAGES = {
    "page_call_log": call_log,
    "page_follow_ups": follow_ups,
    "page_now_live_40_ringing": now_live,
    "page_monthly_hub_report": monthly_report,
    "page_ivo_report": ivo_report,
    "page_ivo_report_csv": ivo_report_csv,
    "page_foster_home_register": foster_home_register,
    "page_outcomes_1_year": outcomes_one_year,
    "page_outcomes_10_years": outcomes_ten_years,
    "page_audit_by_person": audit_by_person,
    "page_audit_by_child": audit_by_child,
    "page_audit_by_action": audit_by_action,
    "page_access_review": access_review,
    "page_caseload": caseload_page,
    "page_ical_feed": ical_feed,
    "page_sign_in": sign_in,
}
