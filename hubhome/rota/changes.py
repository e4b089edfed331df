"""Telling people when their on-call shifts change, whoever changed them.

Overrides and pattern edits (by an administrator, a hub carer, or a cover taken) each tell
the people who are now on call and those who no longer are; the person who made the change
is not told of their own change. Messages go through `hubhome.notify` (kind on-call), each
with a dedupe key.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.notify.models import Kind
from hubhome.notify.services import notify
from hubhome.rota.models import OnCallShift, Rota


def span(starts_at: object, ends_at: object) -> str:
    return f"{format_datetime(starts_at, 'EEE d MMM HH:mm')}–{format_datetime(ends_at, 'HH:mm')}"


def _tell(
    session: DbSession,
    user_ids: Iterable[int],
    actor: User | None,
    key: str,
    render_for: object,
) -> None:
    ids = {uid for uid in user_ids if actor is None or uid != actor.id}
    if not ids:
        return
    for person in session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True))):
        notify(
            session,
            person,
            Kind.ON_CALL,
            render_for,  # type: ignore[arg-type]
            dedupe_key=f"{key}:u{person.id}",
            purpose="rota.shift_changed",
            title=lambda: _("Your on-call shift changed"),
            url="/rota/cover",
        )


def _others_in(session: DbSession, shift: OnCallShift) -> set[int]:
    """People with another shift of the same rota overlapping this one's stretch."""
    return {
        uid
        for uid in session.scalars(
            select(OnCallShift.user_id).where(
                OnCallShift.rota_id == shift.rota_id,
                OnCallShift.id != shift.id,
                OnCallShift.starts_at < shift.ends_at,
                OnCallShift.ends_at > shift.starts_at,
                OnCallShift.user_id.is_not(None),
            )
        )
        if uid is not None and uid != shift.user_id
    }


def override_added(session: DbSession, actor: User | None, rota: Rota, shift: OnCallShift) -> None:
    """Tell the person now on call, and those the override takes off call."""
    when = span(shift.starts_at, shift.ends_at)
    cover = session.get(User, shift.user_id) if shift.user_id else None
    name = cover.name if cover else None
    if shift.user_id is not None:
        _tell(
            session,
            [shift.user_id],
            actor,
            f"rota.change:{shift.id}:on",
            lambda: _("You are now on call for %(rota)s, %(when)s.", rota=rota.name, when=when),
        )

    def off() -> str:
        if name:
            return _(
                "You are no longer on call for %(rota)s, %(when)s: %(name)s covers.",
                rota=rota.name,
                when=when,
                name=name,
            )
        return _("You are no longer on call for %(rota)s, %(when)s.", rota=rota.name, when=when)

    _tell(session, _others_in(session, shift), actor, f"rota.change:{shift.id}:off", off)


def override_removed(
    session: DbSession, actor: User | None, rota: Rota, shift: OnCallShift
) -> None:
    """Tell the override's person they are off, and the pattern's people they are back on."""
    when = span(shift.starts_at, shift.ends_at)
    if shift.user_id is not None:
        _tell(
            session,
            [shift.user_id],
            actor,
            f"rota.change:{shift.id}:removed-off",
            lambda: _(
                "You are no longer on call for %(rota)s, %(when)s.", rota=rota.name, when=when
            ),
        )
    _tell(
        session,
        _others_in(session, shift),
        actor,
        f"rota.change:{shift.id}:removed-on",
        lambda: _("You are on call again for %(rota)s, %(when)s.", rota=rota.name, when=when),
    )


def pattern_changed(
    session: DbSession, actor: User | None, rota: Rota, user_ids: Iterable[int], key: str
) -> None:
    """Tell the people whose regular stretches were added or removed."""
    _tell(
        session,
        user_ids,
        actor,
        f"rota.pattern:{rota.id}:{key}",
        lambda: _(
            "Your regular on-call shifts in %(rota)s have changed. See the rota in Hubhome.",
            rota=rota.name,
        ),
    )
