"""Demo planned follow-up visit and family group conference, so the calendars show them."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.timeutil import local_to_utc


def seed_planning(session: DbSession, users: dict[str, User], today: date) -> None:
    """For the first Björnen family's child: the social worker's next visit, and a family
    group conference with its network and a meeting ahead (written directly: no SMS)."""
    from hubhome.conferences.models import ConferenceMeeting, ConferenceMember, FamilyConference
    from hubhome.visits.models import PlannedFollowUpVisit

    family = users["familj1@demo.hubhome.test"]
    worker = users["socialsekreterare@demo.hubhome.test"]
    placement = session.scalars(
        select(Placement)
        .where(Placement.household_id == family.household_id, Placement.end_date.is_(None))
        .order_by(Placement.child_id)
    ).first()
    if placement is None:
        return
    visit_day = today + timedelta(days=4)
    session.add(
        PlannedFollowUpVisit(
            organisation_id=worker.organisation_id,
            child_id=placement.child_id,
            placement_id=placement.id,
            social_worker_id=worker.id,
            starts_at=local_to_utc(visit_day, time(14, 0)),
            ends_at=local_to_utc(visit_day, time(15, 0)),
            place="Familjehemmet",
            talk_alone=True,
            created_by_id=worker.id,
        )
    )
    conference = FamilyConference(
        organisation_id=worker.organisation_id,
        child_id=placement.child_id,
        household_id=placement.household_id,
        coordinator_id=worker.id,
        created_by_id=worker.id,
    )
    session.add(conference)
    session.flush()
    meeting_day = today + timedelta(days=11)
    session.add_all(
        [
            ConferenceMeeting(
                conference_id=conference.id,
                starts_at=local_to_utc(meeting_day, time(17, 0)),
                ends_at=local_to_utc(meeting_day, time(20, 0)),
                place="Församlingshemmet, Storgatan 4",
            ),
            ConferenceMember(
                conference_id=conference.id,
                name="Britt Mormorsdotter",
                relation="Mormor",
                phone="+46700009901",
            ),
            ConferenceMember(conference_id=conference.id, name="Anna Lärare", relation="Lärare"),
        ]
    )
