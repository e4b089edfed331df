"""Editing rotas: create one, add and remove pattern slots, add and remove overrides."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import ValidationFailed
from hubhome.rota import changes
from hubhome.rota.models import OVERRIDE_KINDS, OnCallShift, Rota, RotaSlot, ShiftKind
from hubhome.rota.patterns import HORIZON, ensure_materialised, rematerialise
from hubhome.timeutil import utcnow

WEEK_MINUTES = 7 * 24 * 60
ON_CALL_ROLES = (Role.HUB_CARER, Role.ONCALL_STAFF, Role.SOCIAL_WORKER, Role.ADMIN)


def eligible_people(session: DbSession, organisation_id: int) -> Sequence[User]:
    """People of the organisation who can be on call: active, with a phone, not families."""
    return session.scalars(
        select(User)
        .where(
            User.organisation_id == organisation_id,
            User.active.is_(True),
            User.phone.is_not(None),
            User.role.in_(ON_CALL_ROLES),
        )
        .order_by(User.name)
    ).all()


def _person(session: DbSession, organisation_id: int, user_id: int | None, field: str) -> None:
    if user_id is None:
        return
    if user_id not in {u.id for u in eligible_people(session, organisation_id)}:
        raise ValidationFailed(
            _("Choose someone who can be on call."),
            errors={field: [_("Choose someone who can be on call.")]},
        )


def create_rota(
    session: DbSession,
    actor: User,
    *,
    name: str,
    constellation_id: int | None,
    level: int,
    cycle_weeks: int = 1,
) -> Rota:
    """Create an empty rota for a constellation, or shared by the organisation."""
    rota = Rota(
        organisation_id=actor.organisation_id,
        constellation_id=constellation_id,
        name=name.strip(),
        level=level,
        cycle_weeks=cycle_weeks,
    )
    session.add(rota)
    session.flush()
    record(session, actor, "rota.create", rota, detail={"level": level})
    return rota


def _minutes(slot_week: int, weekday: int, starts: time, ends: time) -> tuple[int, int]:
    begin = (slot_week * 7 + weekday) * 1440 + starts.hour * 60 + starts.minute
    length = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    return begin, length if length > 0 else length + 1440


def _overlaps(a: tuple[int, int], b: tuple[int, int], cycle: int) -> bool:
    period = cycle * WEEK_MINUTES
    (a0, alen), (b0, blen) = a, b
    return any(a0 < b0 + shift + blen and b0 + shift < a0 + alen for shift in (-period, 0, period))


def add_slots(
    session: DbSession,
    actor: User,
    rota: Rota,
    *,
    weekdays: Iterable[int],
    starts: time,
    ends: time,
    user_id: int,
    week: int = 0,
) -> list[RotaSlot]:
    """Add the same handover-to-handover stretch on several weekdays; no overlaps allowed."""
    _person(session, rota.organisation_id, user_id, "user_id")
    if week >= rota.cycle_weeks:
        raise ValidationFailed(_("That week is not in the rota's cycle."), errors={"week": []})
    added: list[RotaSlot] = []
    taken = [_minutes(s.week, s.weekday, s.starts, s.ends) for s in rota.slots]
    for weekday in sorted(set(weekdays)):
        span = _minutes(week, weekday, starts, ends)
        if any(_overlaps(span, other, rota.cycle_weeks) for other in taken):
            message = _("That time overlaps a stretch already in the pattern.")
            raise ValidationFailed(message, errors={"starts": [message]})
        taken.append(span)
        slot = RotaSlot(week=week, weekday=weekday, starts=starts, ends=ends, user_id=user_id)
        rota.slots.append(slot)
        added.append(slot)
    session.flush()
    rematerialise(session, rota)
    record(session, actor, "rota.slots_add", rota, detail={"slots": [s.id for s in added]})
    changes.pattern_changed(session, actor, rota, [user_id], f"add:{added[0].id}" if added else "")
    return added


def remove_slot(session: DbSession, actor: User, rota: Rota, slot_id: int) -> None:
    """Remove one stretch from the pattern; shifts from now on follow the new pattern."""
    slot = next((s for s in rota.slots if s.id == slot_id), None)
    if slot is None:
        raise ValidationFailed(_("That stretch is no longer in the pattern."))
    rota.slots.remove(slot)
    session.flush()
    rematerialise(session, rota)
    record(session, actor, "rota.slot_remove", rota, detail={"slot": slot_id})
    changes.pattern_changed(session, actor, rota, [slot.user_id], f"remove:{slot_id}")


def add_override(
    session: DbSession,
    actor: User,
    rota: Rota,
    *,
    starts_at: datetime,
    ends_at: datetime,
    user_id: int | None,
    kind: ShiftKind,
    note: str = "",
) -> OnCallShift:
    """Put someone else (or, for `uncovered`, nobody) on call for a stretch; beats the pattern."""
    if kind not in OVERRIDE_KINDS:
        raise ValidationFailed(_("Choose a kind of change."), errors={"kind": []})
    if ends_at <= starts_at:
        message = _("The end must come after the start.")
        raise ValidationFailed(message, errors={"ends_at": [message]})
    if ends_at <= utcnow():
        message = _("The change must end in the future.")
        raise ValidationFailed(message, errors={"ends_at": [message]})
    if kind == ShiftKind.UNCOVERED:
        user_id = None
    elif user_id is None:
        message = _("Choose who covers.")
        raise ValidationFailed(message, errors={"user_id": [message]})
    _person(session, rota.organisation_id, user_id, "user_id")
    shift = OnCallShift(
        rota_id=rota.id,
        user_id=user_id,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note.strip() or None,
        created_by_id=actor.id,
    )
    session.add(shift)
    session.flush()
    ensure_materialised(session, rota, utcnow() + HORIZON)
    record(session, actor, "rota.override_add", rota, detail={"shift": shift.id, "kind": kind})
    changes.override_added(session, actor, rota, shift)
    return shift


def remove_override(session: DbSession, actor: User, rota: Rota, shift_id: int) -> None:
    """Remove an override; the pattern applies again."""
    shift = session.get(OnCallShift, shift_id)
    if shift is None or shift.rota_id != rota.id or shift.kind == ShiftKind.PATTERN:
        raise ValidationFailed(_("That change no longer exists."))
    changes.override_removed(session, actor, rota, shift)
    session.delete(shift)
    record(session, actor, "rota.override_remove", rota, detail={"shift": shift_id})


def upcoming(session: DbSession, rota: Rota, start: datetime, end: datetime) -> list[OnCallShift]:
    """The rota's shifts and overrides overlapping [start, end), in time order."""
    ensure_materialised(session, rota, end)
    return list(
        session.scalars(
            select(OnCallShift)
            .where(
                OnCallShift.rota_id == rota.id,
                OnCallShift.starts_at < end,
                OnCallShift.ends_at > start,
            )
            .order_by(OnCallShift.starts_at, OnCallShift.kind)
        )
    )
