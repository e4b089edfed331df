"""Cover for a shift: the person on call asks, those who could take it are told, the first
to accept gets the stretch as an override (compare-and-swap on the request), and the rota's
owners and the asker are told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.network.models import Constellation
from hubhome.notify.models import Kind
from hubhome.notify.services import notify
from hubhome.rota.changes import span
from hubhome.rota.models import CoverRequest, CoverStatus, OnCallShift, Rota, ShiftKind
from hubhome.rota.services import add_override, eligible_people
from hubhome.timeutil import utcnow

AHEAD = timedelta(days=28)
MAX_NOTE = 500


def my_shifts(session: DbSession, user: User) -> Sequence[OnCallShift]:
    """The person's shifts in the coming four weeks (not yet ended), in time order."""
    now = utcnow()
    return session.scalars(
        select(OnCallShift)
        .where(
            OnCallShift.user_id == user.id,
            OnCallShift.ends_at > now,
            OnCallShift.starts_at < now + AHEAD,
        )
        .order_by(OnCallShift.starts_at)
    ).all()


def _could_cover(session: DbSession, rota: Rota) -> list[User]:
    """People who may be on call for this rota: the organisation's on-call people; for a
    constellation's rota, hub carers only of that constellation."""
    people = list(eligible_people(session, rota.organisation_id))
    if rota.constellation_id is None:
        return people
    hubs = set(
        session.scalars(
            select(User.id)
            .join(Constellation, Constellation.hub_household_id == User.household_id)
            .where(Constellation.id == rota.constellation_id)
        )
    )
    return [p for p in people if p.role != Role.HUB_CARER or p.id in hubs]


def open_requests(session: DbSession, user: User) -> Sequence[CoverRequest]:
    """Open requests on the rotas the person sees that have not ended, soonest first."""
    from hubhome.permissions import cover_request_ids_visible_to

    return session.scalars(
        select(CoverRequest)
        .where(
            CoverRequest.id.in_(cover_request_ids_visible_to(user)),
            CoverRequest.status == CoverStatus.OPEN,
            CoverRequest.ends_at > utcnow(),
        )
        .order_by(CoverRequest.starts_at)
    ).all()


def can_take(session: DbSession, user: User, cover: CoverRequest) -> bool:
    return user.id != cover.asked_by_id and user in _could_cover(session, cover.rota)


def ask(session: DbSession, actor: User, shift_id: int, note: str = "") -> CoverRequest:
    """Ask for cover of one of the actor's own coming shifts; tell who could take it."""
    shift = session.get(OnCallShift, shift_id)
    if shift is None or shift.user_id != actor.id or shift.ends_at <= utcnow():
        raise ValidationFailed(_("Choose one of your own coming shifts."))
    if len(note) > MAX_NOTE:
        message = _("Write at most %(n)s characters.", n=MAX_NOTE)
        raise ValidationFailed(message, errors={"note": [message]})
    starts_at = max(shift.starts_at, utcnow())
    asked_before = session.scalar(
        select(CoverRequest.id).where(
            CoverRequest.asked_by_id == actor.id,
            CoverRequest.rota_id == shift.rota_id,
            CoverRequest.status == CoverStatus.OPEN,
            CoverRequest.starts_at < shift.ends_at,
            CoverRequest.ends_at > starts_at,
        )
    )
    if asked_before is not None:
        raise Conflict(_("You have already asked for cover of this shift."))
    cover = CoverRequest(
        rota_id=shift.rota_id,
        organisation_id=actor.organisation_id,
        asked_by_id=actor.id,
        starts_at=starts_at,
        ends_at=shift.ends_at,
        note=note.strip() or None,
    )
    session.add(cover)
    session.flush()
    record(session, actor, "rota.cover_ask", shift.rota, detail={"cover": cover.id})
    rota, when, asker = shift.rota, span(starts_at, shift.ends_at), actor.name
    for person in _could_cover(session, rota):
        if person.id == actor.id:
            continue
        notify(
            session,
            person,
            Kind.ON_CALL,
            lambda: _(
                "%(name)s asks for cover: %(rota)s, %(when)s. Take it in Hubhome.",
                name=asker,
                rota=rota.name,
                when=when,
            ),
            dedupe_key=f"rota.cover:{cover.id}:asked:u{person.id}",
            purpose="rota.cover_asked",
            title=lambda: _("Cover wanted"),
            url="/rota/cover",
        )
    return cover


def _owners(session: DbSession, rota: Rota) -> list[User]:
    """Who edits the rota: the organisation's administrators, and for a constellation's rota
    its hub carers."""
    query = select(User).where(
        User.organisation_id == rota.organisation_id,
        User.active.is_(True),
        or_(User.role == Role.ADMIN, User.role == Role.HUB_CARER),
    )
    owners = list(session.scalars(query))
    if rota.constellation_id is None:
        return [o for o in owners if o.role == Role.ADMIN]
    hubs = {u.id for u in _could_cover(session, rota) if u.role == Role.HUB_CARER}
    return [o for o in owners if o.role == Role.ADMIN or o.id in hubs]


def accept(session: DbSession, actor: User, cover: CoverRequest) -> OnCallShift:
    """Take an open request (found in the actor's scope): the first to accept wins (409 for
    the rest)."""
    if not can_take(session, actor, cover):
        raise NotAllowed(_("You cannot take this shift."))
    now = utcnow()
    won = session.execute(  # compare-and-swap: of two concurrent accepts, one updates a row
        update(CoverRequest)
        .where(
            CoverRequest.id == cover.id,
            CoverRequest.status == CoverStatus.OPEN,
            CoverRequest.ends_at > now,
        )
        .values(status=CoverStatus.TAKEN, taken_by_id=actor.id, taken_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(won, "rowcount", 0):
        raise Conflict(_("Someone else has already taken this shift."))
    session.refresh(cover)
    asker = cover.asked_by
    shift = add_override(
        session,
        actor,
        cover.rota,
        starts_at=max(cover.starts_at, now),
        ends_at=cover.ends_at,
        user_id=actor.id,
        kind=ShiftKind.SWAP,
        note=_("Cover for %(name)s", name=asker.name),
    )
    cover.override_id = shift.id
    record(session, actor, "rota.cover_take", cover.rota, detail={"cover": cover.id})
    rota, when, taker = cover.rota, span(shift.starts_at, shift.ends_at), actor.name
    # The asker hears it from the override itself (they are off call: `changes`).
    for person in _owners(session, rota):
        if person.id in (actor.id, asker.id):
            continue
        notify(
            session,
            person,
            Kind.ON_CALL,
            lambda: _("%(name)s covers %(rota)s, %(when)s.", name=taker, rota=rota.name, when=when),
            dedupe_key=f"rota.cover:{cover.id}:taken:u{person.id}",
            purpose="rota.cover_taken",
            title=lambda: _("Shift covered"),
            url="/rota/cover",
        )
    return shift


def withdraw(session: DbSession, actor: User, cover_id: int) -> None:
    """The asker takes an open request back."""
    done = session.execute(
        update(CoverRequest)
        .where(
            CoverRequest.id == cover_id,
            CoverRequest.asked_by_id == actor.id,
            CoverRequest.status == CoverStatus.OPEN,
        )
        .values(status=CoverStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 0):
        raise Conflict(_("That request is no longer open."))
    record(session, actor, "rota.cover_withdraw", detail={"cover": cover_id})
