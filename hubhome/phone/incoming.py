"""An incoming call's first answer, in Core statements: the line's hot path.

`calls.start_call` and `calls.answer` through the ORM spent most of `POST /phone/voice`'s
CPU building, flushing and loading objects nothing else in the request looks at, in 8
statements. Here, in 4 Core statements: what the call needs to know (is this CallSid known,
the line with its organisation's duty number, the caller), the chain on call now (rotas,
shifts and people), then the call and its first leg inserted. The rows written are the
ones the ORM wrote; a call with nobody to ring is stored as a voicemail at once instead of
being updated to one at the commit.

The rarer paths keep the ORM code: a CallSid already known (Twilio's retry), a rota not
materialised up to now (`chain_at` makes its shifts), and every later webhook.
"""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, insert, literal, select
from sqlalchemy.orm import joinedload

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

# Each statement built once; only the values change from call to call. The first asks
# everything the call needs to know before its chain, in one round trip: is the CallSid
# known, the line and its organisation's duty number, and (as `calls.find_caller`) the
# caller in that organisation — a carer with a household first, then the lowest id — and
# a household with that phone. One row, even for a number that is no line.
_CARER = (
    select(_USERS.c.id)
    .where(
        _USERS.c.organisation_id == _LINES.c.organisation_id,
        _USERS.c.phone == bindparam("from_number"),
    )
    .order_by(_USERS.c.household_id.is_(None), _USERS.c.id)
    .limit(1)
)
_FIRST = select(
    select(_CALLS.c.id)
    .where(_CALLS.c.call_sid == bindparam("call_sid"))
    .scalar_subquery()
    .label("known"),
    _LINES.c.id,
    _LINES.c.name,
    _LINES.c.organisation_id,
    _ORGANISATIONS.c.duty_number,
    _CARER.scalar_subquery().label("carer_id"),
    _CARER.with_only_columns(_USERS.c.household_id).scalar_subquery().label("carer_household"),
    select(_HOUSEHOLDS.c.id)
    .where(
        _HOUSEHOLDS.c.organisation_id == _LINES.c.organisation_id,
        _HOUSEHOLDS.c.phone == bindparam("from_number"),
    )
    .limit(1)
    .scalar_subquery()
    .label("household_by_phone"),
).select_from(
    select(literal(1).label("one"))
    .subquery("one")
    .outerjoin(_LINES, _LINES.c.phone_number == bindparam("to_number"))
    .outerjoin(_ORGANISATIONS, _ORGANISATIONS.c.id == _LINES.c.organisation_id)
)
_NEW_CALL = insert(_CALLS).returning(_CALLS.c.id)
_FIRST_LEG = insert(_LEGS)


def answer_incoming(session: DbSession, *, call_sid: str, from_number: str, to_number: str) -> str:
    """Start the call for a CallSid (once), freezing the chain on call now, and return the
    TwiML that greets the caller and rings the chain's first person."""
    connection = session.connection()
    first = connection.execute(
        _FIRST, {"call_sid": call_sid, "to_number": to_number, "from_number": from_number}
    ).one()
    if first.known is not None:  # Twilio asked again: answer as the first time
        known = select(Call).options(joinedload(Call.constellation), joinedload(Call.legs))
        call = session.scalars(known.where(Call.id == first.known)).unique().one()
        return str(calls.answer(session, call))
    now = utcnow()
    chain: list[ChainStep] | None
    caller_id = household_id = None
    if first.id is not None:
        line_name: str | None = first.name
        organisation_id: int | None = first.organisation_id
        chain = line_chain(
            connection,
            organisation_id=first.organisation_id,
            constellation_id=first.id,
            duty_number=first.duty_number,
            at=now,
        )
        if chain is None:  # a rota to materialise first: the ORM's way
            chain = chain_at(session, session.get_one(Constellation, first.id), now)
        if from_number:
            caller_id = first.carer_id
            household_id = first.carer_household or first.household_by_phone
    else:
        final = last_resort(session, None)
        chain = [final] if final else []
        line_name = organisation_id = None
    coverage_gap = not any(step.user_id for step in chain)
    call_id = connection.execute(
        _NEW_CALL,
        {
            "call_sid": call_sid,
            "organisation_id": organisation_id,
            "constellation_id": first.id,
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
    response = twiml.Voice().say(twiml.greeting(line_name))
    if not chain:
        twiml.add_voicemail(response, call_id)
        return str(response)
    person = chain[0]
    connection.execute(
        _FIRST_LEG,
        {"call_id": call_id, "step": 0, "user_id": person.user_id, "number": person.number},
    )
    twiml.add_dial(response, call_id, 0, person.number)
    return str(response)
