"""SMS about calls: a new follow-up, its escalation, and forwarded inbound messages.

Everything goes through the outbox with a dedupe key, so a retried webhook or a job run
twice never sends the same message twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.notify.models import Kind, Via
from hubhome.notify.services import notify
from hubhome.outbox.services import enqueue_sms, enqueue_sms_to_number
from hubhome.phone.models import Call, FollowUp, FollowUpKind
from hubhome.phone.signature import public_url
from hubhome.phones import display_phone
from hubhome.rota.chain import ChainStep, chain_at
from hubhome.timeutil import utcnow


def _who(call: Call) -> str:
    if call.household is not None:
        return f"{call.household.name} ({display_phone(call.from_number)})"
    if call.from_number:
        return display_phone(call.from_number)
    return _("an unknown number")


def _line(call: Call) -> str:
    return call.constellation.name if call.constellation else _("the on-call line")


def _text(follow_up: FollowUp, escalation: int = 0) -> str:
    call = follow_up.call
    link = public_url(f"/phone/follow-ups/{follow_up.id}")
    if follow_up.kind == FollowUpKind.VOICEMAIL:
        text = _(
            "Voicemail to %(line)s from %(who)s. Listen and mark it handled: %(link)s",
            line=_line(call),
            who=_who(call),
            link=link,
        )
    else:
        text = _(
            "Missed call to %(line)s from %(who)s, nobody answered. Call back and mark it "
            "handled: %(link)s",
            line=_line(call),
            who=_who(call),
            link=link,
        )
    if escalation:
        text = _("Still not handled: %(text)s", text=text)
    reply = _("Reply 1 to take it.")
    return f"{text} {reply}"


def _send(
    session: DbSession,
    follow_up: FollowUp,
    people: Iterable[User],
    numbers: Iterable[str],
    tag: str,
    escalation: int = 0,
) -> int:
    sent = 0
    for person in people:
        # No kind in the key: a missed call that becomes a voicemail (the recording came
        # after the status callback) is the same follow-up, and nobody is texted twice.
        # Urgent: by SMS always, and by push or e-mail as well if the person chose that.
        key = f"phone.followup:{follow_up.id}:{tag}:u{person.id}"
        used = notify(
            session,
            person,
            Kind.ON_CALL,
            lambda: _text(follow_up, escalation),
            dedupe_key=key,
            purpose="phone.follow_up",
            title=lambda: _("Call to follow up"),
            url=f"/phone/follow-ups/{follow_up.id}",
            urgent=True,
        )
        if Via.SMS in used:
            sent += 1
    for number in numbers:
        with force_locale("sv"):
            body = _text(follow_up, escalation)
        key = f"phone.followup:{follow_up.id}:{tag}:n{number}"
        enqueue_sms_to_number(
            session, follow_up.organisation_id, number, "phone.follow_up", body, dedupe_key=key
        )
        sent += 1
    return sent


def _split(session: DbSession, chain: Iterable[ChainStep]) -> tuple[list[User], list[str]]:
    ids = [s.user_id for s in chain if s.user_id is not None]
    users = list(session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
    numbers = [s.number for s in chain if s.user_id is None and s.number]
    return users, numbers


def follow_up_opened(session: DbSession, follow_up: FollowUp) -> int:
    """Tell everyone on the call's frozen chain about a new voicemail or missed call."""
    people, numbers = _split(session, [ChainStep.from_dict(s) for s in follow_up.call.chain])
    return _send(session, follow_up, people, numbers, "opened")


def escalate(session: DbSession, follow_up: FollowUp, level: int) -> int:
    """Remind whoever is on call now, and the constellation's liaison, of an open follow-up.

    The second reminder also goes to the organisation's last-resort number.
    """
    people: list[User] = []
    numbers: list[str] = []
    constellation = (
        session.get(Constellation, follow_up.constellation_id)
        if follow_up.constellation_id
        else None
    )
    if constellation is not None:
        people, numbers = _split(session, chain_at(session, constellation, utcnow()))
        if constellation.liaison is not None and constellation.liaison not in people:
            people.append(constellation.liaison)
    elif follow_up.organisation_id is not None:
        people = list(
            session.scalars(
                select(User).where(
                    User.organisation_id == follow_up.organisation_id,
                    User.role == Role.ADMIN,
                    User.active.is_(True),
                )
            )
        )
    if level < 2:
        numbers = []
    return _send(session, follow_up, people, numbers, f"escalation{level}", escalation=level)


def forward_sms(
    session: DbSession,
    chain: list[ChainStep],
    render: Callable[[], str],
    message_sid: str,
    organisation_id: int | None,
) -> int | None:
    """Forward an inbound SMS to the first person on call (or the last-resort number)."""
    key = f"phone.sms:{message_sid}"
    for step in chain:
        if step.user_id is not None:
            person = session.get(User, step.user_id)
            if person is not None and enqueue_sms(
                session, person, "phone.sms_forward", render, dedupe_key=key
            ):
                return person.id
        elif step.number:
            with force_locale("sv"):
                body = render()
            enqueue_sms_to_number(
                session, organisation_id, step.number, "phone.sms_forward", body, dedupe_key=key
            )
            return None
    return None
