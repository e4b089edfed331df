"""The weekly dues digest: each social worker learns what is due for the children they follow."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import Role, User
from hubhome.caseload.models import REVIEW_MONTHS
from hubhome.caseload.queries import last_reviews, last_visits, visit_interval, visits_per_year
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.decisions.models import InterventionDecision
from hubhome.decisions.rules import add_months, limit_for
from hubhome.decisions.services import Status, late_since, status_on
from hubhome.ops.schedule import for_each_organisation
from hubhome.outbox.services import enqueue_sms
from hubhome.timeutil import local_today

WINDOW = timedelta(days=7)
DECISION_WARNING = timedelta(days=14)


def _decisions_near_limit(
    session: DbSession, organisation_id: int, today: date
) -> dict[int, tuple[int, int]]:
    """Per responsible social worker: (decisions reaching the three-month limit within two
    weeks, decisions already past it). Two queries for the whole organisation."""
    counts: dict[int, tuple[int, int]] = {}
    for decision in session.scalars(
        select(InterventionDecision)
        .where(
            InterventionDecision.organisation_id == organisation_id,
            InterventionDecision.responsible_id.is_not(None),
            InterventionDecision.closed_on.is_(None),
        )
        .options(selectinload(InterventionDecision.interruptions))
    ):
        worker_id = decision.responsible_id
        if worker_id is None:  # not selected; for the type checker
            continue
        near, late = counts.get(worker_id, (0, 0))
        if late_since(decision, today) is not None:
            late += 1
        elif (
            status_on(decision, today) == Status.WAITING
            and today <= limit_for(decision.decision_date) <= today + DECISION_WARNING
        ):
            near += 1
        counts[worker_id] = (near, late)
    return counts


def _dues(session: DbSession, organisation_id: int, today: date) -> dict[int, tuple[int, int]]:
    """Per responsible social worker: (follow-up visits, placement reviews) due within the
    week or overdue, as the caseload counts them. Four queries for the whole organisation."""
    interval = visit_interval(visits_per_year(session, organisation_id))
    placements = session.execute(
        select(Placement.id, Placement.social_worker_id, Placement.start_date)
        .join(Child, Child.id == Placement.child_id)
        .where(
            Child.organisation_id == organisation_id,
            Placement.end_date.is_(None),
            Placement.social_worker_id.is_not(None),
        )
    ).all()
    ids = [placement_id for placement_id, _worker, _start in placements]
    visits = last_visits(session, ids)
    reviews = last_reviews(session, ids)
    horizon = today + WINDOW
    counts: dict[int, tuple[int, int]] = {}
    for placement_id, worker_id, start in placements:
        if worker_id is None:  # not selected; for the type checker
            continue
        last_visit = visits.get(placement_id, (None, None))[0]
        next_visit = (last_visit or start) + interval
        next_review = add_months(reviews.get(placement_id) or start, REVIEW_MONTHS)
        visits_due, reviews_due = counts.get(worker_id, (0, 0))
        counts[worker_id] = (
            visits_due + (next_visit <= horizon),
            reviews_due + (next_review <= horizon),
        )
    return counts


def send_dues_digest(session: DbSession) -> int:
    """Send each social worker one SMS a week listing what is due; nothing when nothing is.

    One organisation at a time, each committed on its own. Idempotent: the dedupe key names
    the worker and the ISO week.
    """
    return for_each_organisation(session, _dues_digest_of)


def _dues_digest_of(session: DbSession, organisation_id: int) -> int:
    today = local_today()
    year, week, _day = today.isocalendar()
    dues = _dues(session, organisation_id, today)
    decisions = _decisions_near_limit(session, organisation_id, today)
    sent = 0
    for worker in session.scalars(
        select(User).where(
            User.organisation_id == organisation_id,
            User.role == Role.SOCIAL_WORKER,
            User.active.is_(True),
        )
    ):
        visits, reviews = dues.get(worker.id, (0, 0))
        near, late = decisions.get(worker.id, (0, 0))
        if not (visits or reviews or near or late):
            continue

        def render(
            visits: int = visits, reviews: int = reviews, near: int = near, late: int = late
        ) -> str:
            parts = [
                ngettext("%(num)s follow-up visit", "%(num)s follow-up visits", visits),
                ngettext("%(num)s placement review", "%(num)s placement reviews", reviews),
            ]
            text = _(
                "Hubhome this week: %(visits)s and %(reviews)s due or overdue.",
                visits=parts[0],
                reviews=parts[1],
            )
            if near:
                text += " " + ngettext(
                    "%(num)s decision reaches the three-month limit within two weeks.",
                    "%(num)s decisions reach the three-month limit within two weeks.",
                    near,
                )
            if late:
                text += " " + ngettext(
                    "%(num)s decision is past the three-month limit.",
                    "%(num)s decisions are past the three-month limit.",
                    late,
                )
            return text

        message = enqueue_sms(
            session,
            worker,
            "caseload.digest",
            render,
            dedupe_key=f"caseload-digest:{worker.id}:{year}-W{week:02d}",
        )
        sent += message is not None
    return sent
