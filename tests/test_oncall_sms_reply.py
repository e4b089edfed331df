"""On-call acknowledgement by SMS: the missed-call SMS says "Svara 1 för att ta ärendet"; a
"1" from a number on the call's chain takes the follow-up and tells the others; a reply
from any other number changes nothing; a repeated MessageSid is handled once."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import func, select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.notify.models import FollowUpTaken
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.models import Call, FollowUp, WebhookReceipt
from tests.phone_helpers import (
    DAYTIME,
    DUTY,
    HANNA,
    JONAS,
    dial_result,
    dialled,
    twilio_post,
    voice,
)

pytestmark = pytest.mark.clock(DAYTIME)

STRANGER = "+46709999999"


def _missed_call(client) -> FollowUp:
    dial, _ = dialled(voice(client))
    dial_result(client, dial, "canceled", call_status="completed")
    twilio_post(client, "/phone/voice/status", {"CallSid": "CA01", "CallStatus": "completed"})
    db.session.expire_all()
    return db.session.scalars(select(FollowUp).join(Call).where(Call.call_sid == "CA01")).one()


def _reply(client, frm: str, body: str = "1", sid: str = "SMreply1"):
    params = {"MessageSid": sid, "From": frm, "To": "+46100000000", "Body": body}
    return twilio_post(client, "/phone/sms/reply", params)


def _messages() -> list[tuple[str, str]]:
    db.session.expire_all()
    return sorted((m.to, m.body) for m in db.session.scalars(select(OutboxMessage)))


def _count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_missed_call_sms_asks_for_a_1(client, demo, twilio_http):
    with time_machine.travel(DAYTIME, tick=False):
        follow_up = _missed_call(client)
    link = f"/phone/follow-ups/{follow_up.id}"
    bodies = [body for _to, body in _messages() if link in body]
    assert len(bodies) == 3
    assert all(body.endswith("Svara 1 för att ta ärendet.") for body in bodies)


def test_a_1_from_a_chain_number_takes_the_follow_up_and_tells_the_others(
    client, demo, twilio_http, login_as
):
    with time_machine.travel(DAYTIME, tick=False):
        follow_up = _missed_call(client)
        before = _messages()
        response = _reply(client, JONAS)
        assert response.status_code == 200 and response.mimetype == "text/xml"
        assert _reply(client, JONAS).status_code == 200  # Twilio retried: the same MessageSid
    taken = db.session.get(FollowUpTaken, follow_up.id)
    assert taken is not None and taken.user_id == demo.user("jour").id
    assert taken.number == JONAS
    told = [m for m in _messages() if m not in before]
    assert sorted(to for to, _body in told) == sorted([HANNA, DUTY])  # not Jonas himself
    assert all("Jonas Jour har tagit ärendet" in body for _to, body in told)
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "phone.follow_up_taken")
    ).all()
    assert [(a.actor_id, a.object_id) for a in audit] == [(demo.user("jour").id, follow_up.id)]
    page = login_as("hubb.bjornen").get(f"/phone/follow-ups/{follow_up.id}")
    assert "Taget av Jonas Jour via sms" in page.get_data(as_text=True)


def test_a_second_1_from_another_chain_number_changes_nothing(client, demo, twilio_http):
    with time_machine.travel(DAYTIME, tick=False):
        follow_up = _missed_call(client)
        _reply(client, JONAS, sid="SMfirst")
        after_first = _messages()
        assert _reply(client, HANNA, sid="SMsecond").status_code == 200
    taken = db.session.get(FollowUpTaken, follow_up.id)
    assert taken is not None and taken.number == JONAS
    assert _messages() == after_first


@pytest.mark.parametrize(("frm", "body"), [(STRANGER, "1"), (JONAS, "ok, ringer"), ("", "1")])
def test_any_other_reply_changes_nothing(client, demo, twilio_http, frm, body):
    with time_machine.travel(DAYTIME, tick=False):
        _missed_call(client)
        before = _messages()
        receipts = _count(WebhookReceipt)
        assert _reply(client, frm, body).status_code == 200
    assert _count(FollowUpTaken) == 0
    assert _messages() == before
    assert _count(WebhookReceipt) == receipts


def test_an_unsigned_reply_is_refused(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        _missed_call(client)
        params = {"MessageSid": "SMx", "From": JONAS, "Body": "1"}
        response = twilio_post(client, "/phone/sms/reply", params, signature="bad")
    assert response.status_code == 403
    assert _count(FollowUpTaken) == 0


def test_a_reply_is_kept_while_the_database_is_down_and_replayed_once_it_is_back(
    app, client, demo, twilio_http, other_app, tmp_path
):
    from hubhome.phone.spool import pending, replay
    from tests.conftest import make_test_app

    with time_machine.travel(DAYTIME, tick=False):
        follow_up = _missed_call(client)
    db.session.commit()
    down = make_test_app(
        f"sqlite:///{tmp_path}/missing/dir/hubhome.sqlite",
        phone_spool_dir=str(tmp_path / "spool"),
    )
    with down.app_context():
        response = _reply(down.test_client(), JONAS, sid="SMdown")
        assert response.status_code == 200 and response.mimetype == "text/xml"
        db.session.remove()
    assert len(pending(down)) == 1
    back = other_app(phone_spool_dir=str(tmp_path / "spool"))
    with time_machine.travel(DAYTIME, tick=False):
        first = replay(back)
        again = replay(back)
    assert (first.done, again.done) == (1, 0)
    db.session.expire_all()
    taken = db.session.get(FollowUpTaken, follow_up.id)
    assert taken is not None and taken.message_sid == "SMdown"
