"""Demo follow-up visits, placement reviews and intervention decisions."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.children.models import Placement
from hubhome.db import DbSession


def seed_monitoring(session: DbSession, organisation_id: int, worker: User, today: date) -> None:
    """Follow-up visits (some overdue), reviews, and decisions: one past three months."""
    from hubhome.caseload.models import FollowUpVisit, PlacementReview
    from hubhome.decisions.models import DecisionOffer, InterventionDecision, InterventionKind
    from hubhome.decisions.rules import add_months

    placements = list(
        session.scalars(
            select(Placement)
            .where(Placement.social_worker_id == worker.id, Placement.end_date.is_(None))
            .order_by(Placement.id)
        )
    )
    for i, placement in enumerate(placements):
        # Every fourth child's last visit was half a year ago: overdue against 4 a year.
        ago = 180 if i % 4 == 0 else 20 + 7 * (i % 5)
        visit_day = max(placement.start_date, today - timedelta(days=ago))
        session.add(
            FollowUpVisit(
                organisation_id=organisation_id,
                child_id=placement.child_id,
                placement_id=placement.id,
                visit_date=visit_day,
                private_talk=i % 4 != 1,
                note="Hembesök, barnet trivs." if i % 2 else "Besök i skolan.",
                recorded_by_id=worker.id,
            )
        )
        # Every fifth child has waited too long for a placement review.
        if i % 5 != 0 and placement.start_date < today - timedelta(days=60):
            session.add(
                PlacementReview(
                    organisation_id=organisation_id,
                    child_id=placement.child_id,
                    placement_id=placement.id,
                    review_date=max(placement.start_date, today - timedelta(days=35 * (i % 5))),
                    outcome="Placeringen fortsätter.",
                    recorded_by_id=worker.id,
                )
            )
    if len(placements) < 3:
        return

    def decision(index: int, kind: InterventionKind, decided: date, **extra: object) -> None:
        item = InterventionDecision(
            organisation_id=organisation_id,
            child_id=placements[index].child_id,
            kind=kind,
            decision_date=decided,
            responsible_id=worker.id,
            created_by_id=worker.id,
            **extra,
        )
        session.add(item)
        session.flush()
        if kind == InterventionKind.CONTACT_FAMILY:
            session.add(
                DecisionOffer(
                    decision_id=item.id, offered_on=decided + timedelta(days=30), declined=True
                )
            )

    # Past the three-month limit; an offer was declined, which does not close it.
    decision(
        0,
        InterventionKind.CONTACT_FAMILY,
        add_months(today, -4),
        delay_reason="Ingen lämplig kontaktfamilj ledig.",
    )
    # Reaches the limit within two weeks.
    decision(1, InterventionKind.RESPITE, add_months(today, -3) + timedelta(days=10))
    # Carried out in time.
    decided = add_months(today, -5)
    decision(
        2, InterventionKind.CONTACT_PERSON, decided, carried_out_on=decided + timedelta(days=40)
    )
    session.flush()
