"""The weekly dues digest: each social worker learns what is due for the children they follow."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.caseload.queries import caseload
from hubhome.db import DbSession
from hubhome.decisions.models import InterventionDecision
from hubhome.decisions.rules import limit_for
from hubhome.decisions.services import Status, late_since, status_on
from hubhome.ops.schedule import for_each_organisation
from hubhome.outbox.services import enqueue_sms
from hubhome.timeutil import local_today

WINDOW = timedelta(days=7)
DECISION_WARNING = timedelta(days=14)


def _decisions_near_limit(session: DbSession, worker: User, today: date) -> tuple[int, int]:
    """(decisions reaching the three-month limit within two weeks, decisions already past it)."""
    near = late = 0
    for decision in session.scalars(
        select(InterventionDecision).where(
            InterventionDecision.responsible_id == worker.id,
            InterventionDecision.closed_on.is_(None),
        )
    ):
        if late_since(decision, today) is not None:
            late += 1
        elif (
            status_on(decision, today) == Status.WAITING
            and today <= limit_for(decision.decision_date) <= today + DECISION_WARNING
        ):
            near += 1
    return near, late


def send_dues_digest(session: DbSession) -> int:
    """Send each social worker one SMS a week listing what is due; nothing when nothing is.

    One organisation at a time, each committed on its own. Idempotent: the dedupe key names
    the worker and the ISO week.
    """
    return for_each_organisation(session, _dues_digest_of)


def _dues_digest_of(session: DbSession, organisation_id: int) -> int:
    today = local_today()
    year, week, _day = today.isocalendar()
    sent = 0
    for worker in session.scalars(
        select(User).where(
            User.organisation_id == organisation_id,
            User.role == Role.SOCIAL_WORKER,
            User.active.is_(True),
        )
    ):
        rows = caseload(session, worker, today)
        visits = sum(1 for r in rows if r.next_visit_due <= today + WINDOW)
        reviews = sum(1 for r in rows if r.next_review_due <= today + WINDOW)
        near, late = _decisions_near_limit(session, worker, today)
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
