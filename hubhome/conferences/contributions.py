"""A family group conference's plan to follow up appears on the social worker's caseload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.caseload.sources import CaseloadExtra, CaseloadNote
from hubhome.conferences.models import FamilyConference
from hubhome.db import DbSession


def caseload_notes(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, CaseloadExtra]:
    """Each child's conference plans with their follow-up date (one query)."""
    conferences = session.scalars(
        select(FamilyConference)
        .where(
            FamilyConference.child_id.in_(list(child_ids)),
            FamilyConference.plan_follow_up_on.is_not(None),
        )
        .order_by(FamilyConference.plan_follow_up_on)
    ).all()
    extras: dict[int, CaseloadExtra] = {}
    for conference in conferences:
        due = conference.plan_follow_up_on
        extras.setdefault(conference.child_id, CaseloadExtra()).notes.append(
            CaseloadNote(
                _("Follow up the family group conference's plan"),
                due=due,
                overdue=due is not None and due < today,
                url=f"/conferences/{conference.id}",
            )
        )
    return extras
