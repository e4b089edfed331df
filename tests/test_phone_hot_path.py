"""`POST /phone/voice` in Core statements and string-built TwiML: the same answers, the same
rows and the same chain as the ORM and twilio's builder gave (issue 20, the line's floor)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import event, select
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from hubhome.extensions import db
from hubhome.phone import twiml
from hubhome.phone.models import Call, CallLeg, CallStatus
from hubhome.rota.chain import chain_at, line_chain
from hubhome.rota.models import Rota
from hubhome.rota.patterns import ensure_materialised
from hubhome.timeutil import utcnow
from tests.conftest import PUBLIC_URL
from tests.phone_helpers import DAYTIME, DUTY, FAMILJ1, HANNA, dialled, twilio_post, voice

pytestmark = pytest.mark.clock(DAYTIME)

TRICKY = 'Familjen "Ö & Å" <hem>\n\tny rad\r'


def _reference_answer(call_id: int, line: str, number: str) -> str:
    """The answer to a new call as twilio's VoiceResponse built it before."""
    response = VoiceResponse()
    response.say(twiml.greeting(line), language=twiml.LANGUAGE)
    dial = Dial(
        answer_on_bridge=True,
        timeout=twiml.RING_SECONDS,
        action=f"{PUBLIC_URL}/phone/voice/dial-result?call={call_id}&step=0",
        method="POST",
    )
    dial.number(number, url=f"{PUBLIC_URL}/phone/voice/screen?call={call_id}&step=0", method="POST")
    response.append(dial)
    return str(response)


def _reference_record(response: VoiceResponse, action: str, callback: str) -> None:
    response.record(
        max_length=twiml.MAX_MESSAGE_SECONDS,
        play_beep=True,
        action=action,
        method="POST",
        recording_status_callback=callback,
        recording_status_callback_event="completed",
    )


@pytest.mark.parametrize("text", ["Björnen", TRICKY])
def test_string_built_twiml_is_twilios_byte_for_byte(app, text):
    with app.test_request_context("/phone/voice", method="POST", data={"To": text}):
        built = twiml.Voice().say(twiml.greeting(text))
        twiml.add_dial(built, 7, 0, text)
        assert str(built) == _reference_answer(7, text, text)

        built = twiml.Voice()
        twiml.add_voicemail(built, 7)
        reference = VoiceResponse()
        reference.say(twiml.VOICEMAIL, language=twiml.LANGUAGE)
        _reference_record(
            reference,
            f"{PUBLIC_URL}/phone/voice/recorded?call=7",
            f"{PUBLIC_URL}/phone/voice/recording?call=7",
        )
        reference.say(twiml.THANKS, language=twiml.LANGUAGE)
        reference.hangup()
        assert str(built) == str(reference)

        reference = VoiceResponse()
        gather = Gather(
            num_digits=1,
            timeout=8,
            action=f"{PUBLIC_URL}/phone/voice/screen?call=7&step=1",
            method="POST",
        )
        gather.say(twiml.SCREEN.format(line=text, caller=text), language=twiml.LANGUAGE)
        reference.append(gather)
        reference.say(twiml.NOT_CONNECTED, language=twiml.LANGUAGE)
        reference.hangup()
        assert str(twiml.screen(7, 1, text, text)) == str(reference)

        reference = VoiceResponse()
        reference.say(text, language=twiml.LANGUAGE)
        reference.hangup()
        assert str(twiml.hang_up(text)) == str(reference)
        reference = VoiceResponse()
        reference.hangup()
        assert str(twiml.hang_up()) == str(reference)
        reference = VoiceResponse()
        reference.say(twiml.CONNECTING, language=twiml.LANGUAGE)
        assert str(twiml.connect()) == str(reference)

        reference = VoiceResponse()
        reference.say(twiml.greeting(text), language=twiml.LANGUAGE)
        reference.dial(DUTY, answer_on_bridge=True, timeout=30)
        reference.say(twiml.VOICEMAIL, language=twiml.LANGUAGE)
        _reference_record(
            reference,
            twiml.url("/phone/voice/fallback/recorded", line=text),
            twiml.url("/phone/voice/recording", line=text),
        )
        reference.say(twiml.THANKS, language=twiml.LANGUAGE)
        reference.hangup()
        assert str(twiml.fallback(name=text, number=DUTY)) == str(reference)


class Statements:
    """The statements the application sends while the block runs (BEGIN and COMMIT aside)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def __enter__(self) -> list[str]:
        event.listen(db.engine, "before_cursor_execute", self._keep)
        return self.sent

    def __exit__(self, *_exc: object) -> None:
        event.remove(db.engine, "before_cursor_execute", self._keep)

    def _keep(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            self.sent.append(statement)


def test_a_new_call_is_answered_as_before_in_four_statements(client, demo):
    with Statements() as ran, time_machine.travel(DAYTIME, tick=False):
        params = {"CallSid": "CA01", "From": FAMILJ1, "To": "+46100000001"}
        answer = twilio_post(client, "/phone/voice", params).get_data(as_text=True)
    call = db.session.scalars(select(Call).where(Call.call_sid == "CA01")).one()
    assert answer == _reference_answer(call.id, "Björnen", HANNA)
    assert len(ran) == 4, ran  # the ORM's path ran 8
    with Statements() as again, time_machine.travel(DAYTIME, tick=False):
        retried = twilio_post(client, "/phone/voice", params).get_data(as_text=True)
    assert retried == answer
    assert len(again) == 2, again  # Twilio's retry: the call with its line and legs (was 3)
    (leg,) = db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id))
    assert (leg.step, leg.number, leg.user_id) == (0, HANNA, call.chain[0]["user_id"])
    assert call.status == CallStatus.RINGING and call.household.name == "Familjen Andersson"
    assert call.started_at is not None and leg.started_at is not None


def test_the_line_chain_is_chain_at_every_two_hours_of_a_week(app, demo):
    with time_machine.travel(DAYTIME, tick=False):
        start = utcnow()
        for rota in db.session.scalars(select(Rota)):
            ensure_materialised(db.session, rota, start + timedelta(days=40))
        db.session.commit()
        for constellation in demo.constellations.values():
            for hours in range(0, 7 * 24, 2):
                at = start + timedelta(hours=hours, minutes=1)
                fast = line_chain(
                    db.session.connection(),
                    organisation_id=constellation.organisation_id,
                    constellation_id=constellation.id,
                    duty_number=constellation.organisation.duty_number,
                    at=at,
                )
                assert fast == chain_at(db.session, constellation, at), (constellation.name, at)


def test_a_rota_not_materialised_up_to_now_is_made_before_the_chain_is_frozen(client, demo):
    bjornen = demo.constellations["Björnen"]
    with time_machine.travel(DAYTIME, tick=False):
        for rota in db.session.scalars(select(Rota)):
            rota.materialised_until = None
        db.session.commit()
        assert (
            line_chain(
                db.session.connection(),
                organisation_id=bjornen.organisation_id,
                constellation_id=bjornen.id,
                duty_number=bjornen.organisation.duty_number,
                at=utcnow(),
            )
            is None
        )
        db.session.rollback()
        assert dialled(voice(client))[1].text == HANNA
    db.session.expire_all()
    own = select(Rota).where(
        Rota.organisation_id == bjornen.organisation_id,
        (Rota.constellation_id == bjornen.id) | Rota.constellation_id.is_(None),
    )
    assert all(rota.materialised_until is not None for rota in db.session.scalars(own))


def test_with_no_one_to_ring_the_call_is_a_voicemail_from_the_start(demo, other_app):
    line = other_app(fallback_number="")
    with line.app_context(), time_machine.travel(DAYTIME, tick=False):
        params = {"CallSid": "CA77", "From": FAMILJ1, "To": "+46100000555"}
        answer = twilio_post(line.test_client(), "/phone/voice", params)
        assert answer.status_code == 200
        root_text = answer.get_data(as_text=True)
        call = db.session.scalars(select(Call).where(Call.call_sid == "CA77")).one()
        assert call.status == CallStatus.VOICEMAIL and call.coverage_gap and call.chain == []
        assert "<Record " in root_text and "<Dial" not in root_text
        assert f"recorded?call={call.id}" in root_text
        db.session.remove()


def test_a_chain_step_is_stored_with_every_field():
    from dataclasses import asdict

    from hubhome.rota.chain import ChainStep

    step = ChainStep(number=HANNA, label="Hanna", user_id=3, level=1)
    assert step.as_dict() == asdict(step)
    assert ChainStep.from_dict(step.as_dict()) == step


def test_the_webhooks_skip_the_hooks_for_people(app):
    assert "phone_hooks" in app.machine_blueprints
    assert not {"phone", "api", "accounts"} & app.machine_blueprints


def test_the_caller_is_found_as_find_caller_finds_them(client, demo):
    from hubhome.network.models import Household
    from hubhome.phone.calls import find_caller

    bjornen = demo.constellations["Björnen"]
    staff = demo.user("jour")  # a user without a household
    assert staff.phone and staff.household_id is None
    family = db.session.scalars(select(Household).where(Household.name.like("Familjen%"))).first()
    family.phone = "+46700005555"  # a household's own phone, no carer has it
    other = db.session.scalars(
        select(Household).where(Household.id != family.id, Household.name.like("Familjen%"))
    ).first()
    other.phone = staff.phone  # a staff member's number that is also a household's
    db.session.commit()
    numbers = [FAMILJ1, "+46700005555", staff.phone, "+46709999999", ""]
    with time_machine.travel(DAYTIME, tick=False):
        for i, number in enumerate(numbers):
            params = {"CallSid": f"CAc{i}", "From": number, "To": "+46100000001"}
            assert twilio_post(client, "/phone/voice", params).status_code == 200
    db.session.expire_all()
    for i, number in enumerate(numbers):
        call = db.session.scalars(select(Call).where(Call.call_sid == f"CAc{i}")).one()
        user, household = find_caller(db.session, bjornen.organisation_id, number)
        expected = (user.id if user else None, household.id if household else None)
        assert (call.caller_id, call.household_id) == expected, number


def test_a_leg_unanswered_rings_the_next_person_in_three_statements(client, demo):
    from tests.phone_helpers import JONAS, dial_result

    with time_machine.travel(DAYTIME, tick=False):
        dial, _ = dialled(voice(client))
        with Statements() as ran:
            _dial, number = dialled(dial_result(client, dial, "no-answer"))
    assert number.text == JONAS
    assert len(ran) == 3, ran  # the ORM's path ran 4
    db.session.expire_all()
    call = db.session.scalars(select(Call).where(Call.call_sid == "CA01")).one()
    first, second = call.legs
    assert (first.outcome.value, first.dial_call_sid) == ("no-answer", "CA01-leg")
    assert first.ended_at is not None and second.number == JONAS and second.ended_at is None


@pytest.mark.parametrize("port", ["", ":443"])
def test_a_signature_over_the_url_with_or_without_its_default_port_is_accepted(client, demo, port):
    from urllib.parse import urlsplit

    from tests.conftest import TWILIO_TOKEN
    from tests.phone_helpers import sign

    parts = urlsplit(PUBLIC_URL)
    assert parts.scheme == "https" and parts.port is None
    params = {"CallSid": "CA01", "From": FAMILJ1, "To": "+46100000001"}
    url = f"https://{parts.hostname}{port}{parts.path}/phone/voice"
    signature = sign(url, params, TWILIO_TOKEN)
    with time_machine.travel(DAYTIME, tick=False):
        answer = twilio_post(client, "/phone/voice", params, signature=signature)
        wrong = twilio_post(client, "/phone/voice", params, signature=signature[:-2] + "x=")
    assert answer.status_code == 200 and wrong.status_code == 403
