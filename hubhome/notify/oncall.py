"""Taking a voicemail or missed call by SMS, and telling the rest of its chain."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.notify.models import FollowUpTaken, Kind
from hubhome.notify.services import notify
from hubhome.outbox.services import enqueue_sms_to_number
from hubhome.phone.models import FollowUp
from hubhome.phone.signature import public_url
from hubhome.rota.chain import ChainStep
from hubhome.timeutil import utcnow

RECENT = timedelta(days=2)  # a "1" takes only a follow-up opened this recently


def _chain(follow_up: FollowUp) -> list[ChainStep]:
    return [ChainStep.from_dict(step) for step in follow_up.call.chain]


def open_follow_up_for(session: DbSession, number: str) -> FollowUp | None:
    """The follow-up a "1" from this number answers: the newest one whose frozen chain has
    the number (the last SMS it was sent), if still open and untaken. An older one is never
    taken instead: the reply was to the latest message."""
    candidates = session.execute(
        select(FollowUp, FollowUpTaken.follow_up_id)
        .outerjoin(FollowUpTaken, FollowUpTaken.follow_up_id == FollowUp.id)
        .where(FollowUp.created_at >= utcnow() - RECENT)
        .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())
        .limit(50)
    )
    for follow_up, taken in candidates:
        if any(step.number == number for step in _chain(follow_up)):
            return follow_up if taken is None and follow_up.handled_at is None else None
    return None


def take(session: DbSession, follow_up: FollowUp, number: str, message_sid: str) -> FollowUpTaken:
    """Mark the follow-up taken by the chain's person with this number; tell the others.

    The row's key is the follow-up: a concurrent "1" from another number fails to insert
    (IntegrityError), and its retried request finds the follow-up taken."""
    chain = _chain(follow_up)
    step = next(s for s in chain if s.number == number)
    taker = session.get(User, step.user_id) if step.user_id is not None else None
    taken = FollowUpTaken(
        follow_up_id=follow_up.id,
        user_id=taker.id if taker else None,
        number=number,
        message_sid=message_sid,
    )
    session.add(taken)
    session.flush()
    record(
        session,
        taker,
        "phone.follow_up_taken",
        follow_up,
        organisation_id=follow_up.organisation_id,
    )
    who = taker.name if taker else step.label
    link = public_url(f"/phone/follow-ups/{follow_up.id}")
    for other in chain:
        key = f"phone.followup:{follow_up.id}:taken:{other.user_id or other.number}"
        if other.number == number:
            continue
        if other.user_id is not None:
            person = session.get(User, other.user_id)
            if person is not None:
                notify(
                    session,
                    person,
                    Kind.ON_CALL,
                    lambda: _("%(who)s has taken the call: %(link)s", who=who, link=link),
                    dedupe_key=key,
                    purpose="phone.follow_up_taken",
                    title=lambda: _("Taken"),
                    url=f"/phone/follow-ups/{follow_up.id}",
                    urgent=True,
                )
        elif other.number:
            with force_locale("sv"):
                body = _("%(who)s has taken the call: %(link)s", who=who, link=link)
            enqueue_sms_to_number(
                session,
                follow_up.organisation_id,
                other.number,
                "phone.follow_up_taken",
                body,
                dedupe_key=key,
            )
    return taken


def taken_by(session: DbSession, follow_up_id: int) -> FollowUpTaken | None:
    return session.get(FollowUpTaken, follow_up_id)
