"""`/healthz/ready` and sign-in under gunicorn while what they depend on is broken.

Health checks answer within 2 s and never send anything: not while the scheduler has
stopped and Twilio hangs, not while Redis never answers. Redis is an accelerator: with it
unreachable, signing in (web and API) still works, and readiness says Redis is down.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from hubhome.extensions import db
from hubhome.ops.models import SchedulerLease
from hubhome.outbox.services import enqueue_sms
from tests.conftest import DEMO_PASSWORD
from tests.faults.fake_twilio import HANG
from tests.faults.processes import HubhomeServer, sign_in

READY_SECONDS = 2.5  # the 2 s deadline, and a little for a busy machine


def _beat(minutes_ago: float) -> None:
    db.session.merge(
        SchedulerLease(
            name="scheduler",
            holder="gone:1:x",
            expires_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
            heartbeat_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )
    )
    db.session.commit()


def test_ready_says_not_ready_within_2_s_with_a_stale_heartbeat_and_a_hanging_twilio(
    demo, fake_twilio, start_server
):
    _beat(10)
    fake_twilio.default = HANG  # anything sent to Twilio would hang past every deadline
    enqueue_sms(db.session, demo.user("familj1"), "phone.follow_up", lambda: "Väntar")
    db.session.commit()
    server = start_server()
    for _poll in range(3):
        ready = server.get("/healthz/ready")
        assert ready.status == 503, ready.body
        assert ready.seconds < READY_SECONDS, f"answered after {ready.seconds:.2f} s"
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["scheduler"] == "stale"
        assert body["outbox_backlog"] == 1
    plain = server.get("/healthz")
    assert plain.status == 200 and plain.seconds < READY_SECONDS
    assert server.get("/healthz/live").status == 200
    assert fake_twilio.requests == []  # no health check sent anything
    print(f"/healthz/ready with a stale heartbeat and a hanging Twilio: {ready.seconds:.3f} s")


def _sign_in(server: HubhomeServer) -> int:
    return sign_in(server, "admin@demo.hubhome.test")[0]


@pytest.mark.parametrize("dead", ["silent_address", "refusing_address"])
def test_sign_in_works_and_ready_says_redis_is_down_while_redis_is_unreachable(
    dead, request, demo, start_server
):
    _beat(0)
    address = request.getfixturevalue(dead)
    server = start_server(HUBHOME_REDIS_URL=address.redis_url)
    assert _sign_in(server) == 302
    assert _sign_in(server) == 302  # and again, once the limiter knows Redis is down
    credentials = {"email": "admin@demo.hubhome.test", "password": DEMO_PASSWORD}
    token = server.request(
        "POST",
        "/api/v1/auth/token",
        json.dumps(credentials).encode(),
        {"Content-Type": "application/json"},
    )
    assert token.status == 201, token.body
    ready = server.get("/healthz/ready")
    assert ready.status == 503, ready.body
    assert ready.seconds < READY_SECONDS
    assert ready.json()["redis"] == "unreachable"
    assert ready.json()["database"] == "ok"
