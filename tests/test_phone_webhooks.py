"""Webhook security, the database-down fallback, unknown numbers, SMS in and delivery status."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import delete, func, select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.sender import send_due
from hubhome.phone.models import Call, CallLeg, InboundSms, WebhookReceipt
from hubhome.rota.models import OnCallShift, Rota, RotaSlot
from tests.conftest import PUBLIC_URL, TWILIO_TOKEN_SECONDARY, make_test_app
from tests.phone_helpers import (
    BJORNEN_LINE,
    DAYTIME,
    DUTY,
    FAMILJ1,
    HANNA,
    dialled,
    sign,
    twilio_post,
    twiml,
    verbs,
    voice,
)

pytestmark = pytest.mark.clock(DAYTIME)

CALL = {"CallSid": "CA77", "From": FAMILJ1, "To": BJORNEN_LINE, "CallStatus": "ringing"}
WEBHOOKS = [
    "/phone/voice",
    "/phone/voice/screen?call=1&step=0",
    "/phone/voice/dial-result?call=1&step=0",
    "/phone/voice/recording?call=1",
    "/phone/voice/recorded?call=1",
    "/phone/voice/status",
    "/phone/voice/fallback",
    "/phone/sms",
    "/phone/sms/status",
]


def _rows() -> int:
    return sum(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Call, CallLeg, InboundSms, WebhookReceipt, OutboxMessage)
    )


@pytest.mark.parametrize("path", WEBHOOKS)
def test_a_request_without_a_valid_signature_is_refused_and_changes_nothing(client, demo, path):
    before = _rows()
    assert client.post(path, data=CALL).status_code == 403  # no signature at all
    forged = sign(PUBLIC_URL + path, CALL, token="not-the-token")
    assert twilio_post(client, path, CALL, signature=forged).status_code == 403
    tampered = sign(PUBLIC_URL + path, {**CALL, "From": "+46700000000"})
    assert twilio_post(client, path, CALL, signature=tampered).status_code == 403
    db.session.expire_all()
    assert _rows() == before


def test_a_signature_over_another_query_string_is_refused(client, demo):
    good = sign(PUBLIC_URL + "/phone/voice/screen?call=1&step=0", {"Digits": "1"})
    response = twilio_post(
        client, "/phone/voice/screen?call=1&step=1", {"Digits": "1"}, signature=good
    )
    assert response.status_code == 403


def test_the_secondary_token_is_accepted_during_rotation(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        response = twilio_post(client, "/phone/voice", CALL, token=TWILIO_TOKEN_SECONDARY)
    assert dialled(twiml(response))[1].text == HANNA


def test_accepted_behind_a_proxy_that_changed_scheme_and_host(client, demo):
    # Twilio signed https://hubhome.example.test/...; the app sees http://10.0.0.5:8000/...
    with time_machine.travel(DAYTIME, tick=False):
        response = twilio_post(client, "/phone/voice", CALL, base_url="http://10.0.0.5:8000")
    assert response.status_code == 200


def test_fallback_url_dials_the_fallback_number_then_records(client, demo):
    root = twiml(twilio_post(client, "/phone/voice/fallback", CALL))
    assert verbs(root) == ["Say", "Dial", "Say", "Record", "Say", "Hangup"]
    assert root.find("Dial").text == "+46100000099"
    assert root.find("Record").get("maxLength") == "180"


def test_the_line_answers_with_the_database_unreachable(app, tmp_path):
    down = make_test_app(f"sqlite:///{tmp_path}/missing/dir/hubhome.sqlite")
    client = down.test_client()
    with down.app_context():
        for path in (
            "/phone/voice",
            "/phone/voice/fallback",
            "/phone/voice/dial-result?call=1&step=0",
        ):
            root = twiml(twilio_post(client, path, CALL))
            dial = root.find("Dial")
            assert dial is not None and dial.text == "+46100000099", path
            assert root.find("Record") is not None
        sms = {"MessageSid": "SM99", "From": FAMILJ1, "To": BJORNEN_LINE, "Body": "Hjälp"}
        forwarded = twiml(twilio_post(client, "/phone/sms", sms)).find("Message")
        assert forwarded is not None and forwarded.get("to") == "+46100000099"
        assert "Hjälp" in (forwarded.text or "")
        db.session.remove()


def test_a_call_to_an_unknown_number_reaches_the_fallback_and_is_logged_as_a_gap(
    client, demo, login_as
):
    with time_machine.travel(DAYTIME, tick=False):
        root = voice(client, call_sid="CA88", to="+46100000555")
    assert dialled(root)[1].text == "+46100000099"
    call = db.session.scalar(select(Call).where(Call.call_sid == "CA88"))
    assert call.coverage_gap and call.constellation_id is None
    with time_machine.travel(DAYTIME, tick=False):
        admin_log = login_as("admin").get("/phone/calls").get_data(as_text=True)
    assert "Ingen hade jour" in admin_log and "Okänt nummer" in admin_log


def test_with_nobody_on_call_the_last_resort_is_rung_and_the_gap_shown(client, demo, login_as):
    db.session.execute(delete(OnCallShift))
    db.session.execute(delete(RotaSlot))
    db.session.execute(delete(Rota))
    db.session.commit()
    with time_machine.travel(DAYTIME, tick=False):
        root = voice(client, call_sid="CA89")
        assert dialled(root)[1].text == DUTY
        page = login_as("admin").get("/phone/calls").get_data(as_text=True)
    assert db.session.scalar(select(Call.coverage_gap).where(Call.call_sid == "CA89"))
    assert "Ingen hade jour" in page


def test_an_inbound_sms_goes_to_the_person_on_call_once(client, demo):
    params = {"MessageSid": "SM01", "From": FAMILJ1, "To": BJORNEN_LINE, "Body": "Kan ni ringa?"}
    with time_machine.travel(DAYTIME, tick=False):
        for _ in range(2):
            root = twiml(twilio_post(client, "/phone/sms", params))
            assert list(root) == []
    forwarded = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "phone.sms_forward")
    ).one()
    assert forwarded.to == HANNA
    assert "Familjen Andersson" in forwarded.body and "Kan ni ringa?" in forwarded.body
    logged = db.session.scalars(select(InboundSms)).one()
    assert logged.forwarded_to_id == demo.user("hubb.bjornen").id


def test_outbound_sms_is_sent_through_twilio_and_its_delivery_recorded(client, demo, twilio_http):
    params = {"MessageSid": "SM02", "From": FAMILJ1, "To": BJORNEN_LINE, "Body": "Hej"}
    with time_machine.travel(DAYTIME, tick=False):
        twilio_post(client, "/phone/sms", params)
        send_due(db.session)
    assert twilio_http.sent_sms[0]["To"] == HANNA
    message = db.session.scalars(select(OutboxMessage)).one()
    callback = f"{PUBLIC_URL}/phone/sms/status?message={message.id}"
    assert twilio_http.sent_sms[0]["StatusCallback"] == callback
    status = {"MessageSid": message.provider_sid, "MessageStatus": "delivered"}
    assert twilio_post(client, "/phone/sms/status", status).status_code == 204
    db.session.expire_all()
    assert message.status == OutboxStatus.DELIVERED and message.delivered_at is not None
    late = {"MessageSid": message.provider_sid, "MessageStatus": "sent"}
    twilio_post(client, "/phone/sms/status", late)  # arrives out of order: ignored
    db.session.expire_all()
    assert message.status == OutboxStatus.DELIVERED


def test_undelivered_sms_is_marked_failed(client, demo, twilio_http):
    with time_machine.travel(DAYTIME, tick=False):
        twilio_post(
            client,
            "/phone/sms",
            {"MessageSid": "SM03", "From": FAMILJ1, "To": BJORNEN_LINE, "Body": "x"},
        )
        send_due(db.session)
    message = db.session.scalars(select(OutboxMessage)).one()
    status = {
        "MessageSid": message.provider_sid,
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
    }
    twilio_post(client, "/phone/sms/status", status)
    db.session.expire_all()
    assert message.status == OutboxStatus.FAILED and "30003" in message.last_error


def test_sms_goes_through_the_messaging_service_when_configured(demo, other_app):
    from tests.conftest import FakeTwilioHttp

    service = other_app(twilio_messaging_service_sid="MG" + "2" * 32)
    fake = FakeTwilioHttp()
    service.extensions["twilio_http_client"] = fake
    with service.app_context(), time_machine.travel(DAYTIME, tick=False):
        twilio_post(
            service.test_client(),
            "/phone/sms",
            {"MessageSid": "SM09", "From": FAMILJ1, "To": BJORNEN_LINE, "Body": "x"},
        )
        send_due(db.session)
        db.session.remove()
    assert fake.sent_sms[0]["MessagingServiceSid"] == "MG" + "2" * 32
    assert "From" not in fake.sent_sms[0]
