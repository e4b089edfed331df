"""What the advice log tells other areas: recent contacts and open follow-ups on the
caseload (concerns first), and advice contacts by topic in constellation health."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from hubhome.advice.labels import TOPIC_LABELS
from hubhome.advice.models import AdviceContact, AdviceTopic
from hubhome.caseload.sources import CaseloadExtra, CaseloadNote
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.display.dates import format_day
from hubhome.outcomes.sources import HealthFigure
from hubhome.timeutil import local_to_utc, utcnow

RECENT = timedelta(days=90)
RECENT_PER_CHILD = 3


def caseload_notes(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, CaseloadExtra]:
    """Advice to each child's family: concerns and open follow-ups, then the latest contacts."""
    rows = session.execute(
        select(Placement.child_id, AdviceContact)
        .join(AdviceContact, AdviceContact.household_id == Placement.household_id)
        .where(
            Placement.child_id.in_(child_ids),
            Placement.end_date.is_(None),
            or_(
                AdviceContact.created_at >= utcnow() - RECENT,
                (AdviceContact.follow_up_on.is_not(None))
                & (AdviceContact.follow_up_done_at.is_(None)),
            ),
        )
        .order_by(AdviceContact.created_at.desc(), AdviceContact.id.desc())
    ).all()
    extras: dict[int, CaseloadExtra] = {}
    shown: dict[int, int] = {}
    for child_id, contact in rows:
        concern = contact.topic == AdviceTopic.PLACEMENT_CONCERN
        follow_up_on = contact.follow_up_on if contact.follow_up_done_at is None else None
        if not (concern or follow_up_on) and shown.get(child_id, 0) >= RECENT_PER_CHILD:
            continue
        shown[child_id] = shown.get(child_id, 0) + 1
        topic = str(TOPIC_LABELS[contact.topic])
        when = format_day(contact.created_at)
        if follow_up_on:
            text = _("Advice follow-up (%(topic)s, %(date)s)", topic=topic, date=when)
        else:
            text = _("Advice: %(topic)s, %(date)s", topic=topic, date=when)
        extras.setdefault(child_id, CaseloadExtra()).notes.append(
            CaseloadNote(
                text,
                concern=concern,
                due=follow_up_on,
                overdue=follow_up_on is not None and follow_up_on < today,
                url=f"/advice/{contact.id}",
            )
        )
    return extras


def health_figures(
    session: DbSession, constellation_ids: Sequence[int], start: date, end: date
) -> dict[int, list[HealthFigure]]:
    """Advice contacts by topic in [start, end], per constellation."""
    rows = session.execute(
        select(AdviceContact.constellation_id, AdviceContact.topic, func.count())
        .where(
            AdviceContact.constellation_id.in_(constellation_ids),
            AdviceContact.created_at >= local_to_utc(start, time(0)),
            AdviceContact.created_at < local_to_utc(end + timedelta(days=1), time(0)),
        )
        .group_by(AdviceContact.constellation_id, AdviceContact.topic)
    ).all()
    counts = {(cid, topic): n for cid, topic, n in rows}
    group = _("Advice contacts by topic")
    # Translated once, not once per constellation and topic (1,200 at the largest organisation).
    labels = {topic: str(TOPIC_LABELS[topic]) for topic in AdviceTopic}
    return {
        cid: [
            HealthFigure(
                f"advice.{topic}",
                labels[topic],
                counts.get((cid, topic), 0),
                group,
                concern=topic == AdviceTopic.PLACEMENT_CONCERN and counts.get((cid, topic), 0) > 0,
            )
            for topic in AdviceTopic
        ]
        for cid in constellation_ids
    }
