"""Fidelity in constellation health: was the monthly meeting held, and how many activities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from hubhome.activities.models import Activity, ActivityKind, ActivityStatus
from hubhome.db import DbSession
from hubhome.outcomes.sources import HealthFigure
from hubhome.sqltime import stockholm_month
from hubhome.timeutil import local_to_utc, local_today, utcnow


def _months(start: date, end: date) -> list[tuple[int, int]]:
    """The calendar months of [start, end] that have already begun, as (year, month)."""
    months, day = [], start.replace(day=1)
    last = min(end, local_today())
    while day <= last:
        months.append((day.year, day.month))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def health_figures(
    session: DbSession, constellation_ids: Sequence[int], start: date, end: date
) -> dict[int, list[HealthFigure]]:
    # Counted in the database: one row per constellation and kind, with the number of
    # months (Swedish time) in which a meeting was held, instead of one per activity (4,600 a
    # year at the largest organisation) or per month (12,000 rows over five years).
    held = case(
        (
            and_(Activity.kind == ActivityKind.MEETING, Activity.starts_at <= utcnow()),
            stockholm_month(Activity.starts_at),
        ),
        else_=None,
    )
    rows = session.execute(
        select(Activity.constellation_id, Activity.kind, func.count(), func.count(held.distinct()))
        .where(
            Activity.constellation_id.in_(constellation_ids),
            Activity.status != ActivityStatus.CANCELLED,
            Activity.starts_at >= local_to_utc(start, time(0)),
            Activity.starts_at < local_to_utc(end + timedelta(days=1), time(0)),
        )
        .group_by(Activity.constellation_id, Activity.kind)
    ).all()
    # A meeting held in the period fell in one of its months that have begun: the months
    # with one are counted, the months without are the rest.
    months = len(_months(start, end))
    met: dict[int, int] = dict.fromkeys(constellation_ids, 0)
    kinds: dict[int, dict[ActivityKind, int]] = {
        cid: dict.fromkeys(ActivityKind, 0) for cid in constellation_ids
    }
    for constellation_id, kind, count, months_held in rows:
        kinds[constellation_id][kind] += count
        met[constellation_id] += months_held  # 0 for any kind but meetings
    group = _("Meetings and activities")
    # Translated once, not once per constellation (200 in the largest organisation).
    label = {
        "months": _("Months with a constellation meeting"),
        "months_total": _("Constellation-months with a meeting"),
        "missed": _("Months without a constellation meeting"),
        "missed_total": _("Constellation-months without a meeting"),
        "social": _("Social activities"),
        "training": _("Training and peer-support sessions"),
        "conference": _("Family group conferences"),
    }
    result = {}
    for cid in constellation_ids:
        missed = months - met[cid]
        result[cid] = [
            HealthFigure(
                "activities.meeting_months",
                label["months"],
                met[cid],
                group,
                total_label=label["months_total"],
            ),
            HealthFigure(
                "activities.meeting_missed",
                label["missed"],
                missed,
                group,
                concern=missed > 0,
                total_label=label["missed_total"],
            ),
            HealthFigure(
                "activities.social", label["social"], kinds[cid][ActivityKind.SOCIAL], group
            ),
            HealthFigure(
                "activities.training",
                label["training"],
                kinds[cid][ActivityKind.TRAINING],
                group,
            ),
            HealthFigure(
                "activities.family_conference",
                label["conference"],
                kinds[cid][ActivityKind.FAMILY_CONFERENCE],
                group,
            ),
        ]
    return result
