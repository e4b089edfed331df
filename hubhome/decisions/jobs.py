"""After each quarter: tell the responsible people the IVO report is ready for review."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, subqueryload

from hubhome.accounts.models import Role, User
from hubhome.db import DbSession
from hubhome.decisions.models import InterventionDecision
from hubhome.decisions.reports import quarter_rows
from hubhome.decisions.rules import Quarter
from hubhome.ops.schedule import for_each_organisation
from hubhome.outbox.services import enqueue_sms
from hubhome.timeutil import local_today

CATCH_UP = timedelta(days=14)  # a scheduler that was down still sends within two weeks


def notify_ivo_report_ready(session: DbSession) -> int:
    """In the first two weeks of a quarter, announce last quarter's report once per person.

    Administrators always hear (even "nothing to report"); a social worker hears when
    decisions they are responsible for are in it. One organisation at a time, each
    committed on its own, with only its decisions in memory. Idempotent through dedupe keys.
    """
    today = local_today()
    current = Quarter.containing(today)
    if today > current.start + CATCH_UP:
        return 0
    quarter = current.previous()
    return for_each_organisation(
        session, lambda session, organisation_id: _announce(session, organisation_id, quarter)
    )


def _announce(session: DbSession, organisation_id: int, quarter: Quarter) -> int:
    """One organisation's announcements: four queries however many decisions it has (the
    decisions with their child and responsible, their offers, their interruptions, the
    people to tell), then one insert per message."""
    decisions = list(
        session.scalars(
            select(InterventionDecision)
            .where(
                InterventionDecision.organisation_id == organisation_id,
                InterventionDecision.decision_date <= quarter.end,
            )
            .options(  # one query each, whatever the number of decisions
                subqueryload(InterventionDecision.offers),
                subqueryload(InterventionDecision.interruptions),
                joinedload(InterventionDecision.child),
                joinedload(InterventionDecision.responsible),
            )
        )
    )
    rows = {d.id: d for d in decisions}
    report = quarter_rows(decisions, quarter)
    sent = 0
    for admin_or_worker in session.scalars(
        select(User).where(
            User.organisation_id == organisation_id,
            User.role.in_((Role.ADMIN, Role.SOCIAL_WORKER)),
            User.active.is_(True),
        )
    ):
        mine = report
        if admin_or_worker.role == Role.SOCIAL_WORKER:
            mine = [r for r in mine if rows[r.decision_id].responsible_id == admin_or_worker.id]
            if not mine:
                continue
        count = len(mine)

        def render(count: int = count) -> str:
            return _(
                "Hubhome: the IVO report on decisions not carried out for %(quarter)s "
                "is ready for review (%(rows)s).",
                quarter=str(quarter),
                rows=ngettext("%(num)s decision", "%(num)s decisions", count),
            )

        message = enqueue_sms(
            session,
            admin_or_worker,
            "decisions.ivo_ready",
            render,
            dedupe_key=f"ivo-ready:{quarter}:{admin_or_worker.id}",
        )
        sent += message is not None
    return sent
