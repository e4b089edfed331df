"""Open services: which advice and activities an organisation offers openly, participation
recorded without identifying anyone, and the counts the council follows them up by."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.openservices.models import (
    AgeBand,
    OpenGender,
    OpenParticipation,
    OpenService,
    OpenServiceKind,
)
from hubhome.permissions import can_manage_open_services, can_record_open_participation
from hubhome.timeutil import local_today

MAX_PARTICIPANTS = 500
MONTHS_BACK = 24  # participation is recorded while it is fresh, not years later
# One given name: letters, with a hyphen or an apostrophe inside (Anna-Lena, D'Arcy).
# No space (a surname), no digit (a personnummer or a phone number).
FIRST_NAME = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def create_service(
    session: DbSession, actor: User, kind: OpenServiceKind, name: str, description: str | None
) -> OpenService:
    """Offer a service openly, without an individual decision."""
    if not can_manage_open_services(actor):
        raise NotAllowed(_("Only administrators decide which services are open."))
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the service a name."), errors={"name": [_("Required.")]})
    names = session.scalars(
        select(OpenService.name).where(OpenService.organisation_id == actor.organisation_id)
    )
    if name.casefold() in {n.casefold() for n in names}:
        raise Conflict(_("There is already an open service with that name."))
    service = OpenService(
        organisation_id=actor.organisation_id,
        kind=kind,
        name=name,
        description=(description or "").strip() or None,
    )
    try:
        with session.begin_nested():
            session.add(service)
    except IntegrityError as exc:  # the same name added at the same moment
        raise Conflict(_("There is already an open service with that name.")) from exc
    record(session, actor, "open_service.created", service, organisation_id=service.organisation_id)
    return service


def set_active(session: DbSession, actor: User, service: OpenService, active: bool) -> None:
    """Stop offering a service openly (its counts stay), or offer it again."""
    if not can_manage_open_services(actor):
        raise NotAllowed(_("Only administrators decide which services are open."))
    service.active = active
    action = "open_service.reopened" if active else "open_service.closed"
    record(session, actor, action, service, organisation_id=service.organisation_id)


def record_participation(
    session: DbSession,
    actor: User,
    service: OpenService,
    *,
    month: date,
    age_band: AgeBand,
    gender: OpenGender,
    participants: int,
    first_name: str | None,
) -> OpenParticipation:
    """Count participants in an open service in a month: anonymously, or one person by first
    name only. Nothing that identifies a person is taken."""
    if not can_record_open_participation(actor):
        raise NotAllowed(_("Only administrators and social workers record open services."))
    errors: dict[str, list[str]] = {}
    if not service.active:
        errors["service_id"] = [_("This service is no longer offered openly.")]
    this_month = first_of_month(local_today())
    month = first_of_month(month)
    if month > this_month:
        errors["month"] = [_("The month cannot be in the future.")]
    elif month < this_month - relativedelta(months=MONTHS_BACK):
        errors["month"] = [_("The month is more than two years ago.")]
    if not 1 <= participants <= MAX_PARTICIPANTS:
        errors["participants"] = [_("Give a number from 1 to %(max)s.", max=MAX_PARTICIPANTS)]
    name = (first_name or "").strip() or None
    if name is not None:
        if len(name) > 40 or not FIRST_NAME.match(name):
            errors["first_name"] = [
                _("Only a first name: letters, no surname, digits or phone number.")
            ]
        elif participants != 1:
            errors["first_name"] = [_("A first name is for one participant only.")]
    if errors:
        raise ValidationFailed(_("The participation could not be recorded."), errors=errors)
    entry = OpenParticipation(
        organisation_id=service.organisation_id,
        service_id=service.id,
        month=month,
        age_band=age_band,
        gender=gender,
        participants=participants,
        first_name=name,
    )
    session.add(entry)
    session.flush()
    record(
        session,
        actor,
        "open_participation.recorded",
        entry,
        organisation_id=service.organisation_id,
        detail={"service_id": service.id, "participants": participants},
    )
    return entry


def remove_participation(session: DbSession, actor: User, entry: OpenParticipation) -> None:
    """Take back a participation recorded by mistake."""
    if not can_record_open_participation(actor):
        raise NotAllowed(_("Only administrators and social workers record open services."))
    record(
        session,
        actor,
        "open_participation.removed",
        entry,
        organisation_id=entry.organisation_id,
        detail={"service_id": entry.service_id, "participants": entry.participants},
    )
    session.delete(entry)
    session.flush()


@dataclass(frozen=True)
class CountRow:
    month: date
    kind: OpenServiceKind
    service: str
    age_band: AgeBand
    gender: OpenGender
    participants: int


def counts(session: DbSession, organisation_id: int, year: int) -> list[CountRow]:
    """Participants per month, kind, service, age band and gender in a year (one query)."""
    total = func.sum(OpenParticipation.participants)
    rows = session.execute(
        select(
            OpenParticipation.month,
            OpenService.kind,
            OpenService.name,
            OpenParticipation.age_band,
            OpenParticipation.gender,
            total,
        )
        .join(OpenService, OpenService.id == OpenParticipation.service_id)
        .where(
            OpenParticipation.organisation_id == organisation_id,
            OpenParticipation.month >= date(year, 1, 1),
            OpenParticipation.month < date(year + 1, 1, 1),
        )
        .group_by(
            OpenParticipation.month,
            OpenService.kind,
            OpenService.name,
            OpenParticipation.age_band,
            OpenParticipation.gender,
        )
        .order_by(OpenParticipation.month, OpenService.kind, OpenService.name)
    ).all()
    return [CountRow(m, k, n, a, g, int(t or 0)) for m, k, n, a, g, t in rows]


@dataclass(frozen=True)
class Summary:
    """The year's counts folded for the page: per month and kind, and per age band and
    gender."""

    by_month: dict[date, dict[OpenServiceKind, int]]
    by_band: dict[AgeBand, dict[OpenGender, int]]
    total: int


def summarise(rows: Sequence[CountRow], year: int) -> Summary:
    by_month = {date(year, m, 1): dict.fromkeys(OpenServiceKind, 0) for m in range(1, 13)}
    by_band = {band: dict.fromkeys(OpenGender, 0) for band in AgeBand}
    for row in rows:
        by_month[row.month][row.kind] += row.participants
        by_band[row.age_band][row.gender] += row.participants
    return Summary(by_month, by_band, sum(r.participants for r in rows))


def services_of(session: DbSession, organisation_id: int) -> list[OpenService]:
    return list(
        session.scalars(
            select(OpenService)
            .where(OpenService.organisation_id == organisation_id)
            .order_by(OpenService.active.desc(), OpenService.kind, OpenService.name)
        )
    )


def recent_participation(
    session: DbSession, organisation_id: int, limit: int = 30
) -> list[OpenParticipation]:
    return list(
        session.scalars(
            select(OpenParticipation)
            .where(OpenParticipation.organisation_id == organisation_id)
            .order_by(OpenParticipation.recorded_at.desc(), OpenParticipation.id.desc())
            .limit(limit)
        )
    )
