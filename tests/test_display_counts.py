"""Counts agree with their nouns in both languages (ngettext)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.timeutil import local_today
from tests.respite_helpers import booking_body, children_of
from tests.test_display_dates import VisibleTextOf


def test_a_request_for_one_bed_says_one_bed_in_the_sms(client, api_headers, demo):
    family = demo.user("familj1")
    check_in = local_today() + timedelta(days=25)
    answer = client.post(
        "/api/v1/respite/bookings",
        json=booking_body(children_of(family)[:1], check_in, check_in + timedelta(days=1)),
        headers=api_headers("familj1"),
    )
    assert answer.status_code == 201, answer.get_json()
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.purpose == "respite.requested")
    ).all()
    assert bodies and all("1 säng." in b and "1 sängar" not in b for b in bodies), bodies


def test_the_caseload_counts_respite_nights_with_the_right_plural(client, login_as, demo):
    login_as("socialsekreterare")
    text = VisibleTextOf(client.get("/caseload/").get_data(as_text=True))
    mixes = re.findall(
        r"(\d+) (planerade nätter|planerad natt), (\d+) (akuta nätter|akut natt)", text
    )
    assert mixes
    for planned, planned_noun, emergency, emergency_noun in mixes:
        assert (planned == "1") == (planned_noun == "planerad natt")
        assert (emergency == "1") == (emergency_noun == "akut natt")
