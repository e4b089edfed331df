"""One leg of a call ended (`POST /phone/voice/dial-result`), in Core statements.

Through the ORM (until 2026-12-07) the call was loaded, then its legs, then the ended leg and
the next one flushed through the unit of work: 4 statements, most of the webhook's CPU.
Here the call with its legs at this step and the next is one statement, then the ended leg
is updated and the next leg inserted (3), writing what the ORM wrote, in the same cases.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, insert, select, update

from hubhome.db import DbSession, table_of
from hubhome.phone import twiml
from hubhome.phone.calls import DIAL_OUTCOMES, FINAL_CALL_STATUSES
from hubhome.phone.models import Call, CallLeg, CallStatus, LegOutcome
from hubhome.timeutil import utcnow

_CALLS, _LEGS = table_of(Call), table_of(CallLeg)
_CALL_AND_LEGS = (  # the call, with its legs at :step and :step + 1 (none: NULLs)
    select(
        _CALLS.c.status,
        _CALLS.c.chain,
        _LEGS.c.id.label("leg_id"),
        _LEGS.c.step,
        _LEGS.c.outcome,
        _LEGS.c.ended_at,
        _LEGS.c.dial_call_sid,
    )
    .select_from(
        _CALLS.outerjoin(
            _LEGS,
            and_(
                _LEGS.c.call_id == _CALLS.c.id,
                _LEGS.c.step.in_([bindparam("step"), bindparam("next_step")]),
            ),
        )
    )
    .where(_CALLS.c.id == bindparam("call_id"))
)
_END_LEG = (
    update(_LEGS)
    .where(_LEGS.c.id == bindparam("leg_id"))
    .values(
        outcome=bindparam("leg_outcome"),
        ended_at=bindparam("leg_ended_at"),
        dial_call_sid=bindparam("leg_dial_call_sid"),
    )
)
_NEXT_LEG = insert(_LEGS)
_VOICEMAIL = (
    update(_CALLS).where(_CALLS.c.id == bindparam("call_id")).values(status=CallStatus.VOICEMAIL)
)


def answer_dial_result(
    session: DbSession,
    call_id: int,
    step: int,
    *,
    dial_status: str,
    dial_call_sid: str | None,
    call_status: str | None,
) -> str | None:
    """After one person's leg: done when they accepted, else the next one, else voicemail.
    Returns the TwiML, or None when there is no such call."""
    connection = session.connection()
    rows = connection.execute(
        _CALL_AND_LEGS, {"call_id": call_id, "step": step, "next_step": step + 1}
    ).all()
    if not rows:
        return None
    legs = {row.step: row for row in rows if row.leg_id is not None}
    leg = legs.get(step)
    if leg is None:
        return str(twiml.hang_up())
    if leg.outcome == LegOutcome.ACCEPTED:
        ended_at = leg.ended_at or utcnow()
        sid = leg.dial_call_sid or dial_call_sid
        if (ended_at, sid) != (leg.ended_at, leg.dial_call_sid):
            _end(session, leg.leg_id, LegOutcome.ACCEPTED, ended_at, sid)
        return str(twiml.hang_up())
    if leg.outcome == LegOutcome.RINGING:
        outcome = DIAL_OUTCOMES.get(dial_status, LegOutcome.FAILED)
        _end(session, leg.leg_id, outcome, utcnow(), dial_call_sid)
    status = rows[0].status
    response = twiml.Voice()
    if call_status in FINAL_CALL_STATUSES or status not in (
        CallStatus.RINGING,
        CallStatus.VOICEMAIL,
    ):
        return str(response.hangup())  # the caller has gone; nobody else is rung
    chain = rows[0].chain
    following = step + 1
    if following < len(chain):  # as calls.next_move: ring the next person
        if following not in legs:
            person = chain[following]
            connection.execute(
                _NEXT_LEG,
                {
                    "call_id": call_id,
                    "step": following,
                    "user_id": person["user_id"],
                    "number": person["number"],
                },
            )
        twiml.add_dial(response, call_id, following, chain[following]["number"])
        return str(response)
    if status == CallStatus.RINGING:
        connection.execute(_VOICEMAIL, {"call_id": call_id})
    twiml.add_voicemail(response, call_id)
    return str(response)


def _end(
    session: DbSession, leg_id: int, outcome: LegOutcome, at: datetime, sid: str | None
) -> None:
    session.connection().execute(
        _END_LEG,
        {"leg_id": leg_id, "leg_outcome": outcome, "leg_ended_at": at, "leg_dial_call_sid": sid},
    )
