"""An incoming call's first answer, in Core statements: the line's hot path.

`calls.start_call` and `calls.answer` through the ORM spent most of `POST /phone/voice`'s
CPU building, flushing and loading objects nothing else in the request looks at. Here the
same statements are Core: the call (is this CallSid known?), the line with its
organisation's duty number, the chain on call now (rotas, shifts and people in one
statement), the caller, then the call and its first leg inserted. The rows written are the
ones the ORM wrote; a call with nobody to ring is stored as a voicemail at once instead of
being updated to one at the commit.

The rarer paths keep the ORM code: a CallSid already known (Twilio's retry), a rota not
materialised up to now (`chain_at` makes its shifts), and every later webhook.
"""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, insert, select

from hubhome.accounts.models import User
from hubhome.db import DbSession, table_of
from hubhome.network.models import Constellation, Household, Organisation
from hubhome.phone import calls, twiml
from hubhome.phone.models import Call, CallLeg, CallStatus
from hubhome.rota.chain import ChainStep, chain_at, last_resort, line_chain
from hubhome.timeutil import utcnow

log = logging.getLogger(__name__)

_CALLS, _LEGS = table_of(Call), table_of(CallLeg)
_LINES, _ORGANISATIONS = table_of(Constellation), table_of(Organisation)
_USERS, _HOUSEHOLDS = table_of(User), table_of(Household)

# Each statement built once; only the values change from call to call.
_KNOWN = select(_CALLS.c.id).where(_CALLS.c.call_sid == bindparam("call_sid"))
_LINE = (
    select(_LINES.c.id, _LINES.c.name, _LINES.c.organisation_id, _ORGANISATIONS.c.duty_number)
    .select_from(_LINES.outerjoin(_ORGANISATIONS, _ORGANISATIONS.c.id == _LINES.c.organisation_id))
    .where(_LINES.c.phone_number == bindparam("to_number"))
)
_CARER = (  # as `calls.find_caller`: a carer with a household first, then the lowest id
    select(_USERS.c.id, _USERS.c.household_id)
    .where(
        _USERS.c.organisation_id == bindparam("organisation_id"),
        _USERS.c.phone == bindparam("number"),
    )
    .order_by(_USERS.c.household_id.is_(None), _USERS.c.id)
    .limit(1)
)
_HOUSEHOLD = (
    select(_HOUSEHOLDS.c.id)
    .where(
        _HOUSEHOLDS.c.organisation_id == bindparam("organisation_id"),
        _HOUSEHOLDS.c.phone == bindparam("number"),
    )
    .limit(1)
)
_NEW_CALL = insert(_CALLS).returning(_CALLS.c.id)
_FIRST_LEG = insert(_LEGS)


def answer_incoming(session: DbSession, *, call_sid: str, from_number: str, to_number: str) -> str:
    """Start the call for a CallSid (once), freezing the chain on call now, and return the
    TwiML that greets the caller and rings the chain's first person."""
    connection = session.connection()
    known = connection.execute(_KNOWN, {"call_sid": call_sid}).scalar()
    if known is not None:  # Twilio asked again: answer as the first time
        return str(calls.answer(session, session.get_one(Call, known)))
    line = connection.execute(_LINE, {"to_number": to_number}).one_or_none()
    now = utcnow()
    chain: list[ChainStep] | None
    if line is not None:
        organisation_id: int | None = line.organisation_id
        chain = line_chain(
            connection,
            organisation_id=line.organisation_id,
            constellation_id=line.id,
            duty_number=line.duty_number,
            at=now,
        )
        if chain is None:  # a rota to materialise first: the ORM's way
            chain = chain_at(session, session.get_one(Constellation, line.id), now)
    else:
        final = last_resort(session, None)
        chain = [final] if final else []
        organisation_id = None
    caller_id, household_id = _caller(session, organisation_id, from_number)
    coverage_gap = not any(step.user_id for step in chain)
    call_id = connection.execute(
        _NEW_CALL,
        {
            "call_sid": call_sid,
            "organisation_id": organisation_id,
            "constellation_id": line.id if line is not None else None,
            "household_id": household_id,
            "caller_id": caller_id,
            "from_number": from_number,
            "to_number": to_number,
            "chain": [step.as_dict() for step in chain],
            "coverage_gap": coverage_gap,
            "status": CallStatus.RINGING if chain else CallStatus.VOICEMAIL,
        },
    ).scalar_one()
    if coverage_gap:
        log.warning("call %s: nobody on call, straight to the last resort", call_id)
    response = twiml.Voice().say(twiml.greeting(line.name if line is not None else None))
    if not chain:
        twiml.add_voicemail(response, call_id)
        return str(response)
    first = chain[0]
    connection.execute(
        _FIRST_LEG,
        {"call_id": call_id, "step": 0, "user_id": first.user_id, "number": first.number},
    )
    twiml.add_dial(response, call_id, 0, first.number)
    return str(response)


def _caller(
    session: DbSession, organisation_id: int | None, number: str
) -> tuple[int | None, int | None]:
    """`calls.find_caller`'s caller and household, as ids."""
    if organisation_id is None or not number:
        return None, None
    connection = session.connection()
    values = {"organisation_id": organisation_id, "number": number}
    carer = connection.execute(_CARER, values).one_or_none()
    if carer is not None and carer.household_id is not None:
        return carer.id, carer.household_id
    household = connection.execute(_HOUSEHOLD, values).scalar()
    return (carer.id if carer is not None else None), household
