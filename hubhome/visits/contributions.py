"""Contact restrictions due for review appear on the social worker's caseload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _

from hubhome.caseload.sources import CaseloadExtra, CaseloadNote
from hubhome.db import DbSession
from hubhome.display.dates import format_day
from hubhome.visits.services import restriction_reviews_due


def caseload_notes(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, CaseloadExtra]:
    extras: dict[int, CaseloadExtra] = {}
    for due in restriction_reviews_due(session, child_ids, today):
        restriction = due.restriction
        day = format_day(restriction.review_due)
        text = (
            _("Contact restriction review overdue since %(date)s", date=day)
            if due.overdue
            else _("Contact restriction review due %(date)s", date=day)
        )
        extras.setdefault(restriction.child_id, CaseloadExtra()).notes.append(
            CaseloadNote(
                text, due=restriction.review_due, overdue=due.overdue, url="/visits/reviews"
            )
        )
    return extras


def planned_visit_notes(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, CaseloadExtra]:
    """The next planned follow-up visit of each child, linked (one query)."""
    from flask_babel import format_datetime
    from sqlalchemy import select

    from hubhome.timeutil import utcnow
    from hubhome.visits.models import PlannedFollowUpVisit as P
    from hubhome.visits.models import PlannedVisitStatus

    plans = session.scalars(
        select(P)
        .where(
            P.child_id.in_(list(child_ids)),
            P.status == PlannedVisitStatus.PLANNED,
            P.starts_at >= utcnow(),
        )
        .order_by(P.starts_at)
    ).all()
    extras: dict[int, CaseloadExtra] = {}
    for plan in plans:
        if plan.child_id in extras:
            continue  # the next one is enough
        text = _(
            "Follow-up visit planned %(when)s",
            when=format_datetime(plan.starts_at, "EEE d MMM HH:mm"),
        )
        extras[plan.child_id] = CaseloadExtra(
            notes=[CaseloadNote(text, url=f"/visits/follow-ups/{plan.id}")]
        )
    return extras
