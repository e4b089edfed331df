"""The bench's physical floor: a hot path's own SQL, captured from the app, runs in bare psycopg."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from bench.physical import _forget_call, capture, compare, replay
from hubhome.extensions import db
from hubhome.respite.models import RespiteBooking
from tests.conftest import bearer, is_postgres
from tests.respite_helpers import NOW, booking_body, children_of

pytestmark = [
    pytest.mark.clock(NOW),
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="bare psycopg replays PostgreSQL's SQL"),
]


def test_the_booking_requests_sql_replays_in_bare_psycopg_and_leaves_nothing(other_app, demo):
    served = other_app()
    headers = bearer(served.test_client(), "familj1")
    body = booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 5))

    def book(client):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/respite/bookings", json=body, headers=headers)

    statements = capture(served, book)
    assert any("INSERT INTO respite_bookings " in sql for sql, *_ in statements), [
        sql[:70] for sql, *_ in statements
    ]
    assert 5 <= len(statements) <= 15
    bookings = db.session.scalar(select(func.count()).select_from(RespiteBooking))
    db.session.commit()
    with served.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    floor = replay(url, statements, rounds=5)
    assert floor.statements == len(statements) and floor.wall_p50_ms > 0 and floor.cpu_ms >= 0
    assert db.session.scalar(select(func.count()).select_from(RespiteBooking)) == bookings
    figures = compare(floor, app_p50_ms=floor.wall_p50_ms * 3, app_cpu_ms=floor.cpu_ms + 1)
    assert figures["wall_ratio"] == pytest.approx(3, rel=0.01)


def test_the_floor_app_serves_the_captured_sql_and_commits_it(other_app, demo, tmp_path):
    """The floor the targets are checked against: the same SQL, bare psycopg, bare Flask,
    committed as the app commits."""

    served = other_app()
    headers = bearer(served.test_client(), "familj1")
    body = booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 5))
    statements = capture(
        served, lambda client: client.post("/api/v1/respite/bookings", json=body, headers=headers)
    )
    bookings = db.session.scalar(select(func.count()).select_from(RespiteBooking))
    db.session.commit()
    with _floor_serving(served, tmp_path, {"respite_booking_request": statements}) as client:
        for _ in range(3):  # the booking again each time: no unique key is sent
            answer = client.post("/sql/respite_booking_request", json=body)
            assert answer.status_code == 200 and answer.text == "ok"
        assert client.post("/sql/unknown").status_code == 404
        assert client.get("/ping").text == "pong"
    assert db.session.scalar(select(func.count()).select_from(RespiteBooking)) == bookings + 3


def test_the_floor_app_inserts_a_fresh_callsid_for_each_incoming_call(other_app, demo, tmp_path):
    """A call's CallSid is unique: the committing floor makes it fresh for every request."""
    from hubhome.phone.models import Call
    from tests.phone_helpers import BJORNEN_LINE, FAMILJ1, twilio_post

    served = other_app()
    params = {"CallSid": "CAfloor0001", "From": FAMILJ1, "To": BJORNEN_LINE}
    statements = capture(
        served, lambda client: twilio_post(client, "/phone/voice", params | {"CallStatus": "x"})
    )
    db.session.commit()
    _forget_call(served, {"body": "CallSid=CAfloor0001"})  # as hot_paths does
    paths, unique = {"phone_voice": statements}, {"phone_voice": ["CAfloor0001"]}
    with _floor_serving(served, tmp_path, paths, unique) as client:
        for _ in range(3):
            assert client.post("/sql/phone_voice").status_code == 200
    sids = db.session.scalars(select(Call.call_sid).where(Call.call_sid.like("CAfloor0001-%")))
    assert len(set(sids)) == 3


@contextmanager
def _floor_serving(
    served: Any, tmp_path: Any, paths: dict[str, Any], unique: dict[str, list[str]] | None = None
) -> Iterator[Any]:
    """A test client of the bare floor app serving `paths`' statements on the test database."""
    from bench import floor_app
    from bench.physical import write_spec

    with served.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    spec = tmp_path / "floor.pickle"
    write_spec(str(spec), url, paths, unique)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUBHOME_BENCH_FLOOR_SQL", str(spec))
        patch.setattr(floor_app, "_spec", None)
        patch.setattr(floor_app, "_connection", None)
        try:
            yield floor_app.app.test_client()
        finally:
            if floor_app._connection is not None:
                floor_app._connection.close()
