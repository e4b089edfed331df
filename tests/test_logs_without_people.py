"""No message body, name or phone number in any log line at INFO."""

from __future__ import annotations

import logging

from hubhome.extensions import db
from hubhome.outbox.sender import send_due
from hubhome.outbox.services import enqueue_sms_to_number
from tests.conftest import TWILIO_TOKEN, login
from tests.faults.fake_twilio import FakeTwilio

BODY = "Hej Fatima Andersson, Elsa kommer klockan 17"
NUMBER = "+46700001111"


def test_sending_an_sms_and_signing_in_log_no_person(other_app, demo, caplog):
    fake = FakeTwilio("AC" + "1" * 32, TWILIO_TOKEN).start()
    try:
        app = other_app(twilio_api_base=fake.url, sms_backend="twilio")
        caplog.set_level(logging.INFO)
        with app.app_context():
            enqueue_sms_to_number(db.session, None, NUMBER, "test", BODY)
            report = send_due(db.session)
            db.session.commit()
            client = app.test_client()
            login(client, "familj1", "wrong-password")
            login(client, "familj1")
            client.get("/home")
    finally:
        fake.close()
    assert report.sent == 1
    assert fake.sent_sms[0]["Body"] == BODY
    text = caplog.text
    for secret in (BODY, NUMBER, NUMBER[3:], "Fatima", "Andersson", "familj1@"):
        assert secret not in text
