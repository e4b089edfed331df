"""The monthly access review: open it, mark its items, sign it off."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from config import Settings
from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, ValidationFailed
from hubhome.outbox.services import enqueue_sms
from hubhome.privacy.models import LogReview, LogReviewItem, Verdict
from hubhome.privacy.selection import RULES, select_for_review
from hubhome.timeutil import local_today, utcnow

COMMENT_MAX = 2000
SUMMARY_MAX = 4000


def previous_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def open_review(
    session: DbSession,
    actor: User | None,
    organisation_id: int,
    month: date,
    *,
    seed: int | None = None,
    sample_size: int | None = None,
) -> tuple[LogReview, bool]:
    """Open the organisation's review of `month` with its selection; an open one is kept.

    Returns the review and whether this call opened it.
    """
    month = month.replace(day=1)
    if month > local_today().replace(day=1) or month.year < 2000:
        raise ValidationFailed(
            _("The review was not opened."),
            errors={"month": [_("Choose this month or an earlier one.")]},
        )
    existing = _review_of(session, organisation_id, month)
    if existing is not None:
        return existing, False
    settings: Settings = current_app.config["HUBHOME"]
    seed = seed if seed is not None else secrets.randbelow(2**31)
    size = sample_size if sample_size is not None else settings.log_review_sample_size
    selection = select_for_review(
        session,
        organisation_id,
        month,
        seed=seed,
        sample_size=size,
        heavy_factor=settings.log_review_heavy_factor,
        heavy_minimum=settings.log_review_heavy_minimum,
    )
    review = LogReview(
        organisation_id=organisation_id,
        month=month,
        seed=seed,
        sample_size=size,
        reads=selection.reads,
    )
    try:
        with session.begin_nested():  # a concurrent opening of the same month wins
            session.add(review)
            session.flush()
    except IntegrityError:
        kept = _review_of(session, organisation_id, month)
        if kept is None:  # the conflict was not the month's review: let it be seen
            raise
        return kept, False
    items: list[dict[str, Any]] = []
    for event_id, reasons in sorted(selection.flagged.items()):
        read = selection.by_id[event_id]
        items.append(
            {
                "review_id": review.id,
                "reasons": sorted(reasons, key=RULES.index),
                "audit_event_id": event_id,
                "actor_id": read.actor_id,
                "child_id": read.child_id,
                "at": read.at,
                "action": read.action,
                "read_count": None,
            }
        )
    for actor_id, count in sorted(selection.heavy.items()):
        items.append(
            {
                "review_id": review.id,
                "reasons": ["heavy"],
                "audit_event_id": None,
                "actor_id": actor_id,
                "child_id": None,
                "at": None,
                "action": None,
                "read_count": count,
            }
        )
    if items:  # one bulk statement: a month may flag thousands of reads
        session.execute(insert(LogReviewItem), items)
    session.expire(review, ["items"])  # written past the ORM: load them when asked
    session.flush()
    record(
        session,
        actor,
        "log_review.open",
        review,
        detail={"month": month.isoformat(), "items": len(selection.flagged) + len(selection.heavy)},
    )
    return review, True


def _review_of(session: DbSession, organisation_id: int, month: date) -> LogReview | None:
    return session.scalar(
        select(LogReview).where(
            LogReview.organisation_id == organisation_id, LogReview.month == month
        )
    )


def open_last_month(session: DbSession, organisation_id: int) -> int:
    """Open the organisation's review of last month unless it is open (the job's step)."""
    _review, opened = open_review(session, None, organisation_id, previous_month(local_today()))
    return int(opened)


def open_due_reviews(session: DbSession) -> int:
    """The monthly job: every organisation's review of last month, once."""
    from hubhome.ops.schedule import for_each_organisation

    return for_each_organisation(session, open_last_month)


def _writable(review: LogReview) -> None:
    if review.signed_off_at is not None:
        raise Conflict(_("This review is signed off and can no longer be changed."))


def mark_item(
    session: DbSession, actor: User, item: LogReviewItem, verdict: str, comment: str
) -> LogReviewItem:
    """Record the reviewer's finding on one item; an unjustified one tells the admins."""
    review = item.review
    _writable(review)
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if verdict not in {v.value for v in Verdict}:
        errors["verdict"] = [_("Choose justified or not justified.")]
    if not comment:
        errors["comment"] = [_("Write what you found.")]
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = [_("At most %(num)d characters.", num=COMMENT_MAX)]
    if errors:
        raise ValidationFailed(_("The finding was not saved."), errors=errors)
    item.verdict = Verdict(verdict)
    item.comment = comment
    item.decided_by_id = actor.id
    item.decided_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "log_review.mark",
        item,
        organisation_id=review.organisation_id,
        detail={"review_id": review.id, "verdict": verdict},
    )
    if item.verdict == Verdict.UNJUSTIFIED:
        _tell_admins(session, review, item)
    return item


def _tell_admins(session: DbSession, review: LogReview, item: LogReviewItem) -> None:
    """An SMS to each active administrator, once per item (no names: only the review's link)."""
    from hubhome.phone.signature import public_url

    admins = session.scalars(
        select(User).where(
            User.organisation_id == review.organisation_id,
            User.role == Role.ADMIN,
            User.active.is_(True),
        )
    )
    link = public_url(f"/admin/log-review/{review.id}")
    for admin in admins:
        enqueue_sms(
            session,
            admin,
            "log_review.unjustified",
            lambda: _(
                "Hubhome: the access review of %(month)s found a read that was not "
                "justified. See %(link)s",
                month=format_date(review.month, "MMMM yyyy"),
                link=link,
            ),
            dedupe_key=f"log_review.unjustified:{item.id}:{admin.id}",
        )


def undecided(session: DbSession, review: LogReview) -> int:
    return int(
        session.scalar(
            select(func.count(LogReviewItem.id)).where(
                LogReviewItem.review_id == review.id, LogReviewItem.verdict.is_(None)
            )
        )
        or 0
    )


def sign_off(session: DbSession, actor: User, review: LogReview, summary: str) -> LogReview:
    """Sign the review off: every item marked, a summary written; then it is read-only."""
    _writable(review)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed(
            _("The review was not signed off."), errors={"summary": [_("Summarise the review.")]}
        )
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            _("The review was not signed off."),
            errors={"summary": [_("At most %(num)d characters.", num=SUMMARY_MAX)]},
        )
    left = undecided(session, review)
    if left:
        raise Conflict(
            ngettext(
                "%(num)d item is not marked yet; mark every item before signing off.",
                "%(num)d items are not marked yet; mark every item before signing off.",
                left,
            )
        )
    review.summary = summary
    review.signed_off_at = utcnow()
    review.signed_off_by_id = actor.id
    session.flush()
    unjustified = sum(1 for i in review.items if i.verdict == Verdict.UNJUSTIFIED)
    record(
        session,
        actor,
        "log_review.sign_off",
        review,
        detail={"items": len(review.items), "unjustified": unjustified},
    )
    return review
