"""Who is on call: a constellation's escalation chain at an instant, and gaps in coverage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Connection, and_, bindparam, or_, select

from hubhome.accounts.models import User
from hubhome.db import DbSession, table_of
from hubhome.network.models import Constellation, Organisation
from hubhome.rota.models import OnCallShift, Rota, ShiftKind
from hubhome.rota.patterns import HORIZON, ensure_materialised


@dataclass(frozen=True)
class ChainStep:
    """One number to dial; `user_id` is None for the organisation's last-resort number."""

    number: str
    label: str
    user_id: int | None = None
    level: int | None = None

    def as_dict(self) -> dict[str, object]:
        # not dataclasses.asdict, which deep-copies field by field (a call freezes its chain)
        return {
            "number": self.number,
            "label": self.label,
            "user_id": self.user_id,
            "level": self.level,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ChainStep:
        return cls(**data)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    ends_at: datetime


def rotas_for(session: DbSession, constellation: Constellation) -> Sequence[Rota]:
    """The constellation's own rotas and the organisation's shared ones, in chain order."""
    rotas = session.scalars(
        select(Rota).where(
            Rota.organisation_id == constellation.organisation_id,
            or_(Rota.constellation_id == constellation.id, Rota.constellation_id.is_(None)),
        )
    ).all()
    return sorted(rotas, key=lambda r: (r.level, r.shared, r.id))


def _shifts(
    session: DbSession, rotas: Sequence[Rota], start: datetime, end: datetime
) -> list[OnCallShift]:
    if not rotas:
        return []
    return list(
        session.scalars(
            select(OnCallShift).where(
                OnCallShift.rota_id.in_([r.id for r in rotas]),
                OnCallShift.starts_at < end,
                OnCallShift.ends_at > start,
            )
        )
    )


def _on_duty(rotas: Sequence[Rota], shifts: Iterable[OnCallShift], at: datetime) -> list[int]:
    """Return user ids in chain order at `at`; in each rota an override beats the pattern."""
    chosen: dict[int, OnCallShift] = {}
    for shift in shifts:
        if not shift.starts_at <= at < shift.ends_at:
            continue
        current = chosen.get(shift.rota_id)
        rank = (shift.kind != ShiftKind.PATTERN, shift.created_at, shift.id)
        if current is None or rank > (
            current.kind != ShiftKind.PATTERN,
            current.created_at,
            current.id,
        ):
            chosen[shift.rota_id] = shift
    people: list[int] = []
    for rota in rotas:
        duty = chosen.get(rota.id)
        if duty is not None and duty.user_id is not None and duty.user_id not in people:
            people.append(duty.user_id)
    return people


def last_resort(session: DbSession, organisation_id: int | None) -> ChainStep | None:
    """The organisation's duty number (socialjouren), else the configured fallback number."""
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    return _last_resort_number(organisation.duty_number if organisation is not None else None)


def _last_resort_number(duty_number: str | None) -> ChainStep | None:
    if duty_number:
        return ChainStep(number=duty_number, label="duty")
    fallback = current_app.config["HUBHOME"].fallback_number if has_app_context() else ""
    return ChainStep(number=fallback, label="duty") if fallback else None


def chain_at(session: DbSession, constellation: Constellation, at: datetime) -> list[ChainStep]:
    """Return whom to call, in order: primary, secondary, then the last-resort number.

    People without a phone or with a disabled account are skipped.
    """
    rotas = rotas_for(session, constellation)
    for rota in rotas:  # normally the daily job has done this; a call must not depend on it
        if rota.materialised_until is None or rota.materialised_until <= at:
            ensure_materialised(session, rota, at + HORIZON)
    shifts = _shifts(session, rotas, at, at + timedelta(microseconds=1))
    user_ids = _on_duty(rotas, shifts, at)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    return _chain(
        rotas, shifts, user_ids, users, last_resort(session, constellation.organisation_id)
    )


def _chain(
    rotas: Sequence[Any],
    shifts: Sequence[Any],
    user_ids: list[int],
    users: dict[int, Any],
    final: ChainStep | None,
) -> list[ChainStep]:
    """The steps for the people on duty (`user_ids`, in chain order), then `final`."""
    levels = {r.id: r.level for r in rotas}
    level_of = {s.user_id: levels[s.rota_id] for s in shifts if s.user_id is not None}
    steps = [
        ChainStep(number=u.phone, label=u.name, user_id=u.id, level=level_of.get(u.id))
        for uid in user_ids
        if (u := users[uid]).active and u.phone
    ]
    if final is not None:
        steps.append(final)
    return steps


_ROTAS, _SHIFTS, _USERS = table_of(Rota), table_of(OnCallShift), table_of(User)
_LINE_DUTY = (  # built once: a line's rotas, each with its shifts at :at and their people
    select(
        _ROTAS.c.id,
        _ROTAS.c.level,
        _ROTAS.c.constellation_id,
        _ROTAS.c.materialised_until,
        _SHIFTS.c.id.label("shift_id"),
        _SHIFTS.c.user_id,
        _SHIFTS.c.kind,
        _SHIFTS.c.created_at,
        _SHIFTS.c.starts_at,
        _SHIFTS.c.ends_at,
        _USERS.c.name,
        _USERS.c.phone,
        _USERS.c.active,
    )
    .select_from(
        _ROTAS.outerjoin(
            _SHIFTS,
            and_(
                _SHIFTS.c.rota_id == _ROTAS.c.id,
                _SHIFTS.c.starts_at < bindparam("until"),
                _SHIFTS.c.ends_at > bindparam("at"),
            ),
        ).outerjoin(_USERS, _USERS.c.id == _SHIFTS.c.user_id)
    )
    .where(
        _ROTAS.c.organisation_id == bindparam("organisation_id"),
        or_(
            _ROTAS.c.constellation_id == bindparam("constellation_id"),
            _ROTAS.c.constellation_id.is_(None),
        ),
    )
)


@dataclass(frozen=True)
class _RotaRow:
    id: int
    level: int
    shared: bool


@dataclass(frozen=True)
class _ShiftRow:
    id: int
    rota_id: int
    user_id: int | None
    kind: ShiftKind
    created_at: datetime
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class _UserRow:
    id: int
    name: str
    phone: str | None
    active: bool


def line_chain(
    connection: Connection,
    *,
    organisation_id: int,
    constellation_id: int,
    duty_number: str | None,
    at: datetime,
) -> list[ChainStep] | None:
    """`chain_at` for an incoming call, in one Core statement (rotas, shifts, people); None
    when a rota is not materialised up to `at` (then `chain_at` must make its shifts)."""
    rows = connection.execute(
        _LINE_DUTY,
        {
            "organisation_id": organisation_id,
            "constellation_id": constellation_id,
            "at": at,
            "until": at + timedelta(microseconds=1),
        },
    ).all()
    rotas: dict[int, _RotaRow] = {}
    shifts: list[_ShiftRow] = []
    users: dict[int, _UserRow] = {}
    for row in rows:
        if row.materialised_until is None or row.materialised_until <= at:
            return None
        rotas.setdefault(row.id, _RotaRow(row.id, row.level, row.constellation_id is None))
        if row.shift_id is None:
            continue
        shifts.append(
            _ShiftRow(
                row.shift_id,
                row.id,
                row.user_id,
                row.kind,
                row.created_at,
                row.starts_at,
                row.ends_at,
            )
        )
        if row.user_id is not None:
            users[row.user_id] = _UserRow(row.user_id, row.name, row.phone, row.active)
    ordered = sorted(rotas.values(), key=lambda r: (r.level, r.shared, r.id))
    user_ids = _on_duty(ordered, shifts, at)  # type: ignore[arg-type]
    return _chain(ordered, shifts, user_ids, users, _last_resort_number(duty_number))


def coverage_gaps(
    session: DbSession, constellation: Constellation, start: datetime, end: datetime
) -> list[Gap]:
    """Return the stretches in [start, end) when nobody is on call for the constellation."""
    rotas = rotas_for(session, constellation)
    for rota in rotas:
        ensure_materialised(session, rota, end)
    return gaps_in(rotas, _shifts(session, rotas, start, end), start, end)


def organisation_coverage_gaps(
    session: DbSession, constellations: Sequence[Constellation], start: datetime, end: datetime
) -> dict[int, list[Gap]]:
    """`coverage_gaps` for each of one organisation's constellations, by constellation id,
    in two queries whatever their number (when the rotas are materialised, as the daily job
    keeps them): the organisation's rotas, then their shifts in [start, end)."""
    if not constellations:
        return {}
    organisation_id = constellations[0].organisation_id
    rotas = session.scalars(select(Rota).where(Rota.organisation_id == organisation_id)).all()
    for rota in rotas:
        ensure_materialised(session, rota, end)
    shifts: dict[int, list[OnCallShift]] = {rota.id: [] for rota in rotas}
    for shift in _shifts(session, rotas, start, end):
        shifts[shift.rota_id].append(shift)
    gaps: dict[int, list[Gap]] = {}
    for constellation in constellations:
        own = sorted(
            (r for r in rotas if r.constellation_id in (constellation.id, None)),
            key=lambda r: (r.level, r.shared, r.id),
        )
        gaps[constellation.id] = gaps_in(
            own, [s for rota in own for s in shifts[rota.id]], start, end
        )
    return gaps


def gaps_in(
    rotas: Sequence[Rota], shifts: Sequence[OnCallShift], start: datetime, end: datetime
) -> list[Gap]:
    """The stretches in [start, end) when nobody of `rotas` is on call, given their shifts."""
    edges = sorted(
        {start, end}
        | {s.starts_at for s in shifts if start < s.starts_at < end}
        | {s.ends_at for s in shifts if start < s.ends_at < end}
    )
    gaps: list[Gap] = []
    for left, right in zip(edges, edges[1:], strict=False):
        if _on_duty(rotas, shifts, left):
            continue
        if gaps and gaps[-1].ends_at == left:
            gaps[-1] = Gap(gaps[-1].starts_at, right)
        else:
            gaps.append(Gap(left, right))
    return gaps
