"""The reminder the day before a planned follow-up visit, to the family and the worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.accounts.services import household_carers
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.ops.schedule import for_each_organisation
from hubhome.outbox.services import enqueue_sms
from hubhome.timeutil import local_now, local_to_utc
from hubhome.visits.models import PlannedFollowUpVisit, PlannedVisitStatus

REMINDER_AT = time(18, 0)
PURPOSE = "visits.follow_up_reminder"


def send_follow_up_reminders(session: DbSession) -> int:
    """From 18:00 Stockholm time, remind the family and the social worker of tomorrow's
    planned visits. Idempotent: each message has a dedupe key per plan, person and time."""
    if local_now().time() < REMINDER_AT:
        return 0
    return for_each_organisation(session, _remind)


def _remind(session: DbSession, organisation_id: int) -> int:
    tomorrow = local_now().date() + timedelta(days=1)
    start = local_to_utc(tomorrow, time(0, 0))
    end = local_to_utc(tomorrow + timedelta(days=1), time(0, 0))
    p = PlannedFollowUpVisit
    plans = session.scalars(
        select(p)
        .where(
            p.organisation_id == organisation_id,
            p.status == PlannedVisitStatus.PLANNED,
            p.starts_at >= start,
            p.starts_at < end,
        )
        .order_by(p.id)
    ).all()
    if not plans:
        return 0
    homes = dict(
        session.execute(
            select(Placement.id, Placement.household_id).where(
                Placement.id.in_([plan.placement_id for plan in plans])
            )
        ).all()
    )
    carers = household_carers(session, sorted(set(homes.values())))
    worker_ids = {plan.social_worker_id for plan in plans}
    workers = {u.id: u for u in session.scalars(select(User).where(User.id.in_(worker_ids)))}
    sent = 0
    for plan in plans:
        family = [c for c in carers if c.household_id == homes[plan.placement_id]]
        worker = workers[plan.social_worker_id]
        for person in [*family, worker]:
            if not person.active:
                continue
            queued = enqueue_sms(
                session,
                person,
                PURPOSE,
                _family_text(plan, worker) if person is not worker else _worker_text(plan),
                dedupe_key=f"follow-up-plan:{plan.id}:reminder:{person.id}:"
                f"{plan.starts_at:%Y%m%dT%H%M}",
            )
            sent += queued is not None and queued.new
    return sent


def _family_text(plan: PlannedFollowUpVisit, worker: User) -> Callable[[], str]:
    return lambda: _(
        "Reminder: %(worker)s from social services visits %(child)s tomorrow, %(when)s, "
        "at %(place)s.",
        worker=worker.name,
        child=plan.child.first_name,
        when=format_datetime(plan.starts_at, "HH:mm"),
        place=plan.place,
    )


def _worker_text(plan: PlannedFollowUpVisit) -> Callable[[], str]:
    return lambda: _(
        "Reminder: follow-up visit to %(child)s tomorrow, %(when)s, at %(place)s.",
        child=plan.child.first_name,
        when=format_datetime(plan.starts_at, "HH:mm"),
        place=plan.place,
    )
