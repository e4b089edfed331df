"""The outcomes figures counted in SQL agree with the definitions worked out here in Python.

Calls by day and night, unanswered and by hour of the day, and months with a constellation
meeting, over years of rows crossing the changes to and from summer time: the page, the CSV
(every constellation) and the API show the same figures they showed when each call and
activity was converted in Python.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from hubhome.activities.models import Activity, ActivityKind, ActivityStatus
from hubhome.extensions import db
from hubhome.phone.models import Call, CallStatus
from hubhome.timeutil import local_to_utc, to_local
from tests.activity_helpers import without_demo_everyday  # noqa: F401
from tests.conftest import login

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
PERIODS = [(date(2025, 11, 24), date(2026, 11, 23)), (date(2016, 11, 24), date(2026, 11, 23))]


@pytest.fixture
def busy(app, demo):
    """600 calls and 80 activities over seven years, at every hour, in both constellations."""
    hub = demo.user("hubb.bjornen")
    ids = [demo.constellations["Björnen"].id, demo.constellations["Räven"].id]
    start = datetime(2019, 11, 20, 0, 17, tzinfo=UTC)
    added: list[object] = []
    for n in range(600):
        added.append(
            Call(
                call_sid=f"CA{n:032d}",
                organisation_id=hub.organisation_id,
                constellation_id=ids[n % 3 == 0],
                from_number="+46700000001",
                to_number="+46100000001",
                chain=[],
                status=list(CallStatus)[n % len(CallStatus)],
                started_at=start + timedelta(hours=n * 97 + n % 5, minutes=n * 7),
            )
        )
    for n in range(80):
        at = start + timedelta(days=n * 30, hours=n % 24)
        added.append(
            Activity(
                constellation_id=ids[n % 2],
                kind=list(ActivityKind)[n % len(ActivityKind)],
                title="Träff",
                starts_at=at,
                ends_at=at + timedelta(hours=2),
                created_by_id=hub.id,
            )
        )
    db.session.add_all(added)
    db.session.commit()
    yield ids
    # Some of these calls are "ringing": gone again, so no later test (a browser's live
    # panel on the same database) sees them.
    db.session.rollback()
    for row in added:
        db.session.delete(row)
    db.session.commit()


def _expected(ids: list[int], first: date, last: date) -> dict[str, object]:
    """Each call and activity of the period converted to Swedish time here, one by one."""
    start, end = (
        local_to_utc(first, datetime.min.time()),
        local_to_utc(last + timedelta(days=1), datetime.min.time()),
    )
    calls = db.session.execute(
        select(Call.constellation_id, Call.started_at, Call.status).where(
            Call.constellation_id.in_(ids), Call.started_at >= start, Call.started_at < end
        )
    ).all()
    hours = [0] * 24
    figures: dict[tuple[int, str], int] = {}
    for cid, at, status in calls:
        local = to_local(at)
        hours[local.hour] += 1
        kind = "day" if 8 <= local.hour < 20 else "night"
        figures[cid, kind] = figures.get((cid, kind), 0) + 1
        if status in (CallStatus.VOICEMAIL, CallStatus.MISSED):
            figures[cid, "unanswered"] = figures.get((cid, "unanswered"), 0) + 1
    meetings = db.session.execute(
        select(Activity.constellation_id, Activity.starts_at).where(
            Activity.constellation_id.in_(ids),
            Activity.kind == ActivityKind.MEETING,
            Activity.status != ActivityStatus.CANCELLED,
            Activity.starts_at >= start,
            Activity.starts_at < end,
            Activity.starts_at <= NOW,
        )
    ).all()
    for cid in ids:
        months = {(to_local(at).year, to_local(at).month) for c, at in meetings if c == cid}
        figures[cid, "months"] = len(months)
    return {"hours": hours, "figures": figures}


@pytest.mark.usefixtures("without_demo_everyday")
def test_calls_and_meeting_months_are_the_python_definitions(client, busy, demo, api_headers):
    names = {demo.constellations["Björnen"].id: "Björnen", demo.constellations["Räven"].id: "Räven"}
    with time_machine.travel(NOW, tick=False):
        login(client, "admin")
        for first, last in PERIODS:
            expected = _expected(busy, first, last)
            figures = expected["figures"]
            period = f"from={first}&to={last}"
            page = client.get(f"/outcomes/?{period}").get_data(as_text=True)
            shown = re.findall(r'<th scope="row">(\d\d)–\d\d</th><td>(\d+)</td>', page)
            assert {int(h): int(n) for h, n in shown} == {
                h: n for h, n in enumerate(expected["hours"]) if n
            }
            assert sum(expected["hours"]) > 50
            assert any(figures.get((cid, "months")) for cid in names)
            text = client.get(f"/outcomes/outcomes.csv?{period}").get_data(as_text=True)
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
            csv_figures = {(r[2], r[3]): int(r[4]) for r in rows[1:] if r[4].isdigit()}
            body = client.get(
                f"/api/v1/reports/outcomes?{period}", headers=api_headers("admin")
            ).get_json()
            by_key = {
                (c["name"], f["key"]): f["value"]
                for c in body["constellations"]
                for f in c["figures"]
            }
            for cid, name in names.items():
                for kind, label, key in [
                    ("day", "Samtal dagtid (08–20)", "calls.day"),
                    ("night", "Samtal nattetid (20–08)", "calls.night"),
                    ("unanswered", "Samtal som ingen tog", "calls.unanswered"),
                    ("months", "Månader med konstellationsträff", "activities.meeting_months"),
                ]:
                    value = figures.get((cid, kind), 0)
                    assert csv_figures[name, label] == value, (name, kind)
                    assert by_key[name, key] == value, (name, kind)
