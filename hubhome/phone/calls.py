"""A call's life: started with a frozen chain, screened, escalated, voicemail, ended.

Every function here is idempotent per Twilio event, because Twilio may deliver a webhook
twice: the same request gives the same answer and changes nothing the second time.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.network.models import Constellation, Household
from hubhome.phone import notify, twiml
from hubhome.phone.models import (
    Call,
    CallLeg,
    CallStatus,
    FollowUp,
    FollowUpKind,
    LegOutcome,
    WebhookReceipt,
)
from hubhome.rota.chain import ChainStep, chain_at, last_resort
from hubhome.timeutil import utcnow

log = logging.getLogger(__name__)

DIAL_OUTCOMES = {
    "completed": LegOutcome.REFUSED,  # answered, but nobody pressed 1 (a voicemail, say)
    "answered": LegOutcome.REFUSED,
    "busy": LegOutcome.BUSY,
    "no-answer": LegOutcome.NO_ANSWER,
    "failed": LegOutcome.FAILED,
    "canceled": LegOutcome.CANCELED,
}
FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}
EARLY_CALL_STATUSES = ("queued", "initiated", "ringing", "in-progress")  # in Twilio's order


def _moves_forward(old: str | None, new: str) -> bool:
    """A call's Twilio status only moves forward: nothing after a final one, and a late
    "ringing" never undoes "in-progress"."""
    if old is None:
        return True
    if old in FINAL_CALL_STATUSES:
        return False
    if new in FINAL_CALL_STATUSES or old not in EARLY_CALL_STATUSES:
        return True
    return new in EARLY_CALL_STATUSES and (
        EARLY_CALL_STATUSES.index(new) > EARLY_CALL_STATUSES.index(old)
    )


def first_time(session: DbSession, key: str) -> bool:
    """Record that an event was handled; False when it already was."""
    if session.get(WebhookReceipt, key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(WebhookReceipt(key=key))
    except IntegrityError:
        return False
    return True


def find_caller(
    session: DbSession, organisation_id: int | None, number: str
) -> tuple[User | None, Household | None]:
    """A known carer gives their household; a household's own phone works as well."""
    if organisation_id is None or not number:
        return None, None
    user = session.scalar(
        select(User)
        .options(joinedload(User.household))
        .where(User.organisation_id == organisation_id, User.phone == number)
        .order_by(User.household_id.is_(None), User.id)
        .limit(1)
    )
    if user is not None and user.household is not None:
        return user, user.household
    household = session.scalar(
        select(Household)
        .where(Household.organisation_id == organisation_id, Household.phone == number)
        .limit(1)
    )
    return user, household


def steps(call: Call) -> list[ChainStep]:
    return [ChainStep.from_dict(step) for step in call.chain]


def line_name(call: Call) -> str:
    return call.constellation.name if call.constellation else "jourtelefonen"


def start_call(session: DbSession, *, call_sid: str, from_number: str, to_number: str) -> Call:
    """Create the call for a CallSid (once), freezing the chain on call now."""
    existing = session.scalar(select(Call).where(Call.call_sid == call_sid))
    if existing is not None:
        return existing
    constellation = session.scalar(
        select(Constellation)
        .options(joinedload(Constellation.organisation))  # its duty number ends the chain
        .where(Constellation.phone_number == to_number)
    )
    if constellation is not None:
        chain = chain_at(session, constellation, utcnow())
        organisation_id: int | None = constellation.organisation_id
    else:
        final = last_resort(session, None)
        chain = [final] if final else []
        organisation_id = None
    caller, household = find_caller(session, organisation_id, from_number)
    call = Call(
        call_sid=call_sid,
        organisation_id=organisation_id,
        constellation_id=constellation.id if constellation else None,
        household_id=household.id if household else None,
        caller_id=caller.id if caller else None,
        from_number=from_number,
        to_number=to_number,
        chain=[step.as_dict() for step in chain],
        coverage_gap=not any(step.user_id for step in chain),
        constellation=constellation,
        household=household,
        legs=[],
    )
    session.add(call)
    session.flush()
    if call.coverage_gap:
        log.warning("call %s: nobody on call, straight to the last resort", call.id)
    return call


def call_for_recording(
    session: DbSession, *, call_sid: str, from_number: str, to_number: str
) -> Call:
    """The call a recording belongs to. One Hubhome never saw (it reached the fallback while
    the database was down) is made now, as a voicemail on its line's chain as it is now;
    one made without the caller's number (a recording callback carries none) gets it."""
    call = start_call(session, call_sid=call_sid, from_number=from_number, to_number=to_number)
    if not call.legs and call.status == CallStatus.RINGING:
        call.status = CallStatus.VOICEMAIL
    if not call.from_number and from_number:
        caller, household = find_caller(session, call.organisation_id, from_number)
        call.from_number = from_number
        call.caller_id = caller.id if caller else None
        call.household_id = household.id if household else None
        call.household = household
    return call


def _find_leg(call: Call, step: int) -> CallLeg | None:
    """The call's leg at `step`: its few legs load at once (none to load for a new call)."""
    return next((leg for leg in call.legs if leg.step == step), None)


def _leg(session: DbSession, call: Call, step: int) -> CallLeg:
    leg = _find_leg(call, step)
    if leg is None:
        chain_step = steps(call)[step]
        leg = CallLeg(step=step, user_id=chain_step.user_id, number=chain_step.number)
        call.legs.append(leg)
        session.flush()
    return leg


def next_move(session: DbSession, call: Call, step: int, response: twiml.Voice) -> None:
    """Dial chain step `step`, or, past the end of the chain, take a message."""
    chain = steps(call)
    if step < len(chain):
        _leg(session, call, step)
        twiml.add_dial(response, call.id, step, chain[step].number)
        return
    if call.status == CallStatus.RINGING:
        call.status = CallStatus.VOICEMAIL
    twiml.add_voicemail(response, call.id)


def answer(session: DbSession, call: Call) -> twiml.Voice:
    """The first answer to an incoming call: a greeting, then the first of the chain."""
    response = twiml.Voice().say(
        twiml.greeting(call.constellation.name if call.constellation else None)
    )
    next_move(session, call, 0, response)
    return response


def caller_label(call: Call) -> str | None:
    return call.household.name if call.household else None


def screen(session: DbSession, call: Call, step: int, digits: str | None) -> twiml.Voice:
    """On the called person's leg: ask for 1; record an acceptance only when it comes."""
    leg = session.scalar(select(CallLeg).where(CallLeg.call_id == call.id, CallLeg.step == step))
    if leg is None:
        return twiml.hang_up()
    if digits is None:
        return twiml.screen(call.id, step, line_name(call), caller_label(call))
    if digits != "1":
        if leg.outcome == LegOutcome.RINGING:
            leg.outcome = LegOutcome.REFUSED
            leg.ended_at = utcnow()
        return twiml.hang_up(twiml.NOT_CONNECTED)
    if leg.outcome == LegOutcome.ACCEPTED:
        return twiml.connect()
    if call.status != CallStatus.RINGING or leg.outcome != LegOutcome.RINGING:
        return twiml.hang_up(twiml.ALREADY_OVER)
    now = utcnow()
    leg.outcome = LegOutcome.ACCEPTED
    call.status = CallStatus.ACCEPTED
    call.accepted_by_id = leg.user_id
    call.accepted_at = now
    person = session.get(User, leg.user_id) if leg.user_id is not None else None
    record(
        session,
        person,
        "phone.call_accepted",
        call,
        household_id=call.household_id,
        organisation_id=call.organisation_id,
        detail={"step": step},
    )
    return twiml.connect()


def store_recording(
    session: DbSession,
    call: Call,
    *,
    recording_sid: str,
    recording_url: str | None,
    seconds: int | None,
) -> FollowUp | None:
    """Keep the message (once per recording) and make it loud: SMS and a follow-up."""
    follow_up = call.follow_up
    if follow_up is not None and follow_up.recording_sid == recording_sid:
        return follow_up
    if follow_up is None:
        follow_up = FollowUp(
            call_id=call.id,
            organisation_id=call.organisation_id,
            constellation_id=call.constellation_id,
            kind=FollowUpKind.VOICEMAIL,
        )
        session.add(follow_up)
        call.follow_up = follow_up
    follow_up.kind = FollowUpKind.VOICEMAIL
    follow_up.recording_sid = recording_sid
    follow_up.recording_url = recording_url
    follow_up.recording_seconds = seconds
    if call.status in (CallStatus.RINGING, CallStatus.MISSED):
        call.status = CallStatus.VOICEMAIL
    session.flush()
    notify.follow_up_opened(session, follow_up)
    return follow_up


def call_status(
    session: DbSession, call: Call, *, status: str, duration: int | None
) -> FollowUp | None:
    """The call's own status callback: when it ends unanswered, a follow-up opens."""
    if not _moves_forward(call.twilio_status, status):
        return call.follow_up
    call.twilio_status = status
    if status not in FINAL_CALL_STATUSES:
        return None
    call.ended_at = call.ended_at or utcnow()
    call.duration_seconds = duration
    for leg in call.legs:
        if leg.outcome == LegOutcome.RINGING:
            leg.outcome = LegOutcome.CANCELED
            leg.ended_at = call.ended_at
    if call.status == CallStatus.ACCEPTED:
        call.status = CallStatus.COMPLETED
        return None
    if call.status == CallStatus.COMPLETED or call.follow_up is not None:
        return call.follow_up
    if call.status == CallStatus.RINGING:
        call.status = CallStatus.MISSED
    follow_up = FollowUp(
        call_id=call.id,
        organisation_id=call.organisation_id,
        constellation_id=call.constellation_id,
        kind=FollowUpKind.MISSED_CALL,
    )
    session.add(follow_up)
    call.follow_up = follow_up
    session.flush()
    notify.follow_up_opened(session, follow_up)
    return follow_up


def ringing_for(session: DbSession, user: User) -> list[Call]:
    """Calls ringing for (or accepted by) a person right now, newest first."""
    live_legs = select(CallLeg.call_id).where(
        CallLeg.user_id == user.id,
        CallLeg.outcome.in_([LegOutcome.RINGING, LegOutcome.ACCEPTED]),
    )
    return list(
        session.scalars(
            select(Call)
            .options(joinedload(Call.household), joinedload(Call.constellation))
            .where(
                Call.id.in_(live_legs),
                Call.ended_at.is_(None),
                Call.started_at >= utcnow() - timedelta(hours=2),
            )
            .order_by(Call.started_at.desc())
        )
    )
