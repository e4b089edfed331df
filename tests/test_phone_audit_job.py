"""The auditing job: a call or voicemail that never reached a handled state is never silent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.jobs import audit_call_handling
from hubhome.phone.models import Call, CallStatus, FollowUp, FollowUpKind

START = datetime(2026, 10, 25, 1, 50, tzinfo=UTC)  # the night the clocks go back


def _call(demo, sid: str, started_at: datetime) -> Call:  # type: ignore[no-untyped-def]
    bjornen = demo.constellations["Björnen"]
    call = Call(
        call_sid=sid,
        organisation_id=bjornen.organisation_id,
        constellation_id=bjornen.id,
        household_id=demo.user("familj1").household_id,
        from_number="+46700000001",
        to_number="+46100000001",
        chain=[],
        started_at=started_at,
    )
    db.session.add(call)
    db.session.commit()
    return call


def _admin_alerts(purpose: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def test_a_call_still_ringing_long_after_it_ended_becomes_a_missed_call_once(app, demo):
    stuck = _call(demo, "CA" + "1" * 32, START)
    fresh = _call(demo, "CA" + "2" * 32, START + timedelta(minutes=10))
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        audit_call_handling(db.session)
        db.session.commit()
        audit_call_handling(db.session)
        db.session.commit()
    db.session.expire_all()
    assert stuck.status == CallStatus.MISSED
    assert stuck.follow_up is not None and stuck.follow_up.kind == FollowUpKind.MISSED_CALL
    assert fresh.status == CallStatus.RINGING  # still within its limits
    admins = [u for u in demo.users.values() if u.role == "admin" and u.phone]
    assert len(_admin_alerts("ops.call_unresolved")) == len(admins)


def test_a_follow_up_unhandled_past_every_escalation_is_reported_to_admins_once(app, demo):
    call = _call(demo, "CA" + "3" * 32, START)
    call.status = CallStatus.VOICEMAIL
    db.session.add(
        FollowUp(
            call_id=call.id,
            organisation_id=call.organisation_id,
            constellation_id=call.constellation_id,
            kind=FollowUpKind.VOICEMAIL,
            created_at=START,
            escalation_level=2,
        )
    )
    db.session.commit()
    with time_machine.travel(START + timedelta(hours=7, minutes=59), tick=False):
        audit_call_handling(db.session)
        db.session.commit()
    assert _admin_alerts("ops.follow_up_overdue") == []
    with time_machine.travel(START + timedelta(hours=8, minutes=1), tick=False):
        audit_call_handling(db.session)
        audit_call_handling(db.session)
        db.session.commit()
    admins = [u for u in demo.users.values() if u.role == "admin" and u.phone]
    assert len(_admin_alerts("ops.follow_up_overdue")) == len(admins)
