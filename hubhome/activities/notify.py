"""Outbox messages about events, each in the recipient's language, each deduplicated."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from hubhome.accounts.models import User
from hubhome.accounts.services import household_carers as carers
from hubhome.activities.models import Activity, ActivityAnswer, AnswerStatus
from hubhome.db import DbSession
from hubhome.display.dates import format_instant
from hubhome.notify.models import Kind
from hubhome.notify.services import notify
from hubhome.outbox.services import enqueue_sms


def when(activity: Activity) -> str:
    return format_instant(activity.starts_at, "weekday")


def _send(
    session: DbSession,
    people: Iterable[User],
    purpose: str,
    key: str,
    render: Any,
    skip: int | None,
    kind: Kind | None = None,
) -> int:
    """SMS each person but `skip`; with a `kind`, by the channel each chose for it."""
    sent = 0
    for person in people:
        if person.id == skip:
            continue
        dedupe_key = f"{key}:{person.id}"
        if kind is not None:
            used = notify(
                session,
                person,
                kind,
                render,
                dedupe_key=dedupe_key,
                purpose=purpose,
                title=lambda: _("Activities"),
                url="/activities/",
            )
            sent += used.new
            continue
        message = enqueue_sms(session, person, purpose, render, dedupe_key=dedupe_key)
        sent += message is not None and message.new  # not one queued before
    return sent


def invited(
    session: DbSession, activity: Activity, household_ids: list[int], actor: User, count: int = 1
) -> int:
    """Tell invited families about a new event (one message for a whole series)."""
    key = (
        f"activity-series:{activity.series_id}:invited"
        if activity.series_id
        else f"activity:{activity.id}:invited"
    )

    def render() -> str:
        if count > 1:
            return _(
                "Invitation: %(title)s, %(when)s, %(place)s, and %(more)s more times. "
                "Answer in Hubhome.",
                title=activity.title,
                when=when(activity),
                place=activity.place or "",
                more=count - 1,
            )
        return _(
            "Invitation: %(title)s, %(when)s, %(place)s. Answer in Hubhome.",
            title=activity.title,
            when=when(activity),
            place=activity.place or "",
        )

    return _send(session, carers(session, household_ids), "activity.invited", key, render, actor.id)


def changed(session: DbSession, activity: Activity, household_ids: list[int], actor: User) -> int:
    """Tell invited families that an event's time or place changed."""
    return _send(
        session,
        carers(session, household_ids),
        "activity.changed",
        f"activity:{activity.id}:v{activity.version}:changed",
        lambda: _(
            "Changed: %(title)s is now %(when)s, %(place)s.",
            title=activity.title,
            when=when(activity),
            place=activity.place or "",
        ),
        actor.id,
        Kind.ACTIVITY_CHANGED,
    )


def _answered_yes(activity: Activity) -> list[int]:
    return [
        a.household_id
        for a in activity.answers
        if a.status in (AnswerStatus.COMING, AnswerStatus.WAITING)
    ]


def cancelled(session: DbSession, activity: Activity, actor: User) -> int:
    """Tell the families who answered yes (or wait for a place) that the event is off."""
    return _send(
        session,
        carers(session, _answered_yes(activity)),
        "activity.cancelled",
        f"activity:{activity.id}:cancelled",
        lambda: _("Cancelled: %(title)s, %(when)s.", title=activity.title, when=when(activity)),
        actor.id,
        Kind.ACTIVITY_CHANGED,
    )


def promoted(session: DbSession, answer: ActivityAnswer) -> int:
    """Tell a waiting family that a place became free and is theirs."""
    activity = answer.activity
    return _send(
        session,
        carers(session, [answer.household_id]),
        "activity.promoted",
        f"activity:{activity.id}:promoted:{answer.household_id}",
        lambda: _(
            "A place became free: you are now coming to %(title)s, %(when)s.",
            title=activity.title,
            when=when(activity),
        ),
        None,
    )


def reminder(session: DbSession, activity: Activity) -> int:
    """Remind the families who answered yes, the day before."""
    coming = [a.household_id for a in activity.answers if a.status == AnswerStatus.COMING]
    return _send(
        session,
        carers(session, coming),
        "activity.reminder",
        f"activity:{activity.id}:reminder",
        lambda: _(
            "Reminder: %(title)s tomorrow, %(when)s, %(place)s.",
            title=activity.title,
            when=when(activity),
            place=activity.place or "",
        ),
        None,
        Kind.REMINDER,
    )
