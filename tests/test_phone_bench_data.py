"""The benchmark's rota and webhook requests are right (checked here without running the bench)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import delete, insert

from bench.phone import (
    TWILIO_TOKEN,
    dial_results,
    first_dial_action,
    incoming_calls,
    rota_rows,
    signed_post,
)
from hubhome.extensions import db
from hubhome.rota.models import OnCallShift, Rota, RotaSlot
from tests.conftest import PUBLIC_URL
from tests.phone_helpers import BJORNEN_LINE, DAYTIME, DUTY, FAMILJ1, HANNA, twiml

pytestmark = pytest.mark.clock(DAYTIME)

TODAY = date(2026, 11, 23)


def test_two_years_of_bench_rota_join_up_across_every_dst_change():
    rotas, slots, shifts = rota_rows({1: (1, 10), 2: (1, 11)}, {1: 12}, TODAY, None, days=250)
    rows = list(shifts)
    assert len(rotas) == 3 and len(slots) == 21 and len(rows) == 3 * 500
    for rota_id in (1, 2):  # each constellation's day, then the shared night
        own = sorted(
            (r for r in rows if r["rota_id"] in (rota_id, 3)), key=lambda r: r["starts_at"]
        )
        for before, after in zip(own, own[1:], strict=False):
            assert before["ends_at"] == after["starts_at"]


def _send(client, request):  # type: ignore[no-untyped-def]
    return client.open(
        request["path"], method=request["method"], data=request["body"], headers=request["headers"]
    )


def test_bench_requests_are_signed_as_twilio_signs_them(demo, other_app):
    db.session.execute(delete(OnCallShift))
    db.session.execute(delete(RotaSlot))
    db.session.execute(delete(Rota))
    bjornen = demo.constellations["Björnen"]
    hubs = {bjornen.id: (bjornen.organisation_id, demo.user("hubb.bjornen").id)}
    rotas, slots, shifts = rota_rows(
        hubs, {bjornen.organisation_id: demo.user("jour").id}, TODAY, datetime.now(UTC), days=30
    )
    db.session.execute(insert(Rota), rotas)
    db.session.execute(insert(RotaSlot), slots)
    db.session.execute(insert(OnCallShift), list(shifts))
    db.session.commit()
    bench_server = other_app(twilio_auth_token=TWILIO_TOKEN, twilio_auth_token_secondary="")
    client = bench_server.test_client()
    with bench_server.app_context(), time_machine.travel(DAYTIME, tick=False):
        (call,) = incoming_calls(PUBLIC_URL, [(FAMILJ1, BJORNEN_LINE)])
        answer = _send(client, call)
        assert twiml(answer).find("Dial/Number").text == HANNA
        path = first_dial_action(answer.get_data(as_text=True), PUBLIC_URL)
        params = {
            "CallSid": "CAbv00000000",
            "DialCallStatus": "no-answer",
            "CallStatus": "in-progress",
        }
        nxt = _send(client, signed_post(PUBLIC_URL, path, params))
        assert twiml(nxt).find("Dial/Number").text == DUTY  # by day: hub carer, then duty
        db.session.remove()
    assert callable(dial_results)
