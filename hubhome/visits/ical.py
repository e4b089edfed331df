"""Contact visits and planned follow-up visits in the personal calendar (page and feed).

Each time the calendar is read, the reads of the children's records are audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from hubhome.accounts.models import Role, User
from hubhome.calendar.services import absolute_url, event
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.permissions import visit_child_ids_visible_to
from hubhome.timeutil import utcnow
from hubhome.visits import planned, services
from hubhome.visits.models import (
    ContactVisit,
    PlannedFollowUpVisit,
    PlannedVisitStatus,
    VisitStatus,
)

if TYPE_CHECKING:
    from icalendar import Event  # imported where an event is made: calendar.services

SINCE = timedelta(days=31)


def contact_visit_events(session: DbSession, user: User) -> list[Event]:
    """From a month back, the contact visits of the children the user cares for or is
    responsible for (an administrator's calendar is their own, not the whole municipality's)."""
    if user.role == Role.ADMIN:
        return []
    visits = session.scalars(
        select(ContactVisit)
        .where(
            ContactVisit.child_id.in_(visit_child_ids_visible_to(user)),
            ContactVisit.organisation_id == user.organisation_id,
            ContactVisit.status != VisitStatus.CANCELLED,
            ContactVisit.starts_at >= utcnow() - SINCE,
        )
        .options(joinedload(ContactVisit.child))
        .order_by(ContactVisit.starts_at)
    ).all()
    services.audit_reads(session, user, [v.child_id for v in visits])
    with force_locale(user.locale or "sv"):
        return [
            event(
                f"contact-visit-{v.id}",
                _("Contact visit: %(child)s", child=v.child.first_name),
                v.starts_at,
                v.ends_at,
                stamp=v.created_at,
                location=v.place,
                url=absolute_url(f"/visits/{v.id}"),
            )
            for v in visits
        ]


def follow_up_events(session: DbSession, user: User) -> list[Event]:
    """From a month back, the social worker's own planned visits, or for a family the visits
    planned to its children."""
    p = PlannedFollowUpVisit
    mine = [p.social_worker_id == user.id] if user.role == Role.SOCIAL_WORKER else []
    if user.household_id is not None:
        mine.append(
            p.child_id.in_(
                select(Placement.child_id).where(
                    Placement.household_id == user.household_id, Placement.end_date.is_(None)
                )
            )
        )
    if not mine:
        return []
    plans = session.scalars(
        select(p)
        .where(
            or_(*mine),
            p.status != PlannedVisitStatus.CANCELLED,
            p.starts_at >= utcnow() - SINCE,
        )
        .options(joinedload(p.child))
        .order_by(p.starts_at)
    ).all()
    planned.audit_reads(session, user, plans)
    with force_locale(user.locale or "sv"):
        return [
            event(
                f"follow-up-visit-{plan.id}",
                _("Social worker's visit: %(child)s", child=plan.child.first_name),
                plan.starts_at,
                plan.ends_at,
                stamp=plan.updated_at,
                location=plan.place,
                description=_("A private talk with the child is planned.")
                if plan.talk_alone
                else None,
                url=absolute_url(f"/visits/follow-ups/{plan.id}"),
            )
            for plan in plans
        ]
