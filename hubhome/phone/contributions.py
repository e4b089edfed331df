"""What the phone area tells other areas: calls in the monthly report and constellation
health, and a family's unhandled voicemail on the social worker's caseload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from hubhome.caseload.sources import CaseloadExtra, CaseloadNote
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.display.dates import format_instant
from hubhome.outcomes.sources import HealthFigure
from hubhome.phone.models import Call, CallStatus, FollowUp
from hubhome.sqltime import stockholm_hour_between
from hubhome.timeutil import local_to_utc, to_local

DAY_STARTS, NIGHT_STARTS = time(8), time(20)  # day 08–20 Stockholm time, night the rest
UNANSWERED = (CallStatus.VOICEMAIL, CallStatus.MISSED)


def is_daytime(started_at: datetime) -> bool:
    return DAY_STARTS <= to_local(started_at).time() < NIGHT_STARTS


def count_calls(
    session: DbSession, constellation_id: int, start: datetime, end: datetime
) -> tuple[int, int]:
    """Calls to a constellation in [start, end): (by day, by night)."""
    instants = session.scalars(
        select(Call.started_at).where(
            Call.constellation_id == constellation_id,
            Call.started_at >= start,
            Call.started_at < end,
        )
    ).all()
    day = sum(is_daytime(at) for at in instants)
    return day, len(instants) - day


CallCounts = dict[tuple[int, int], tuple[int, int]]


def calls_by_constellation_and_hour(
    session: DbSession, constellation_ids: Sequence[int], start: date, end: date
) -> CallCounts:
    """Calls, and calls nobody accepted, per (constellation, hour of the day in Stockholm) in
    [start, end].

    One pass over the calls serves the constellations' health (by day and night) and the
    outcomes page's chart (by hour): each call's instant is converted to Swedish time once
    (41,000 calls over ten years at the largest organisation; the conversion is most of the
    statement's cost). Within a request the answer is kept for the same constellations and
    period, so the page's second use costs no query.
    """
    key = (tuple(constellation_ids), start, end)
    kept: dict[tuple[tuple[int, ...], date, date], CallCounts] | None = None
    if has_request_context():
        kept = request.environ.setdefault("hubhome.phone.call_counts", {})
        if key in kept:
            return kept[key]
    after, before = local_to_utc(start, time(0)), local_to_utc(end + timedelta(days=1), time(0))
    hour = stockholm_hour_between(
        Call.started_at, after.replace(tzinfo=None), before.replace(tzinfo=None)
    )
    rows = session.execute(
        select(
            Call.constellation_id,
            hour,
            func.count(),
            func.sum(case((Call.status.in_(UNANSWERED), 1), else_=0)),
        )
        .where(
            Call.constellation_id.in_(constellation_ids),
            Call.started_at >= after,
            Call.started_at < before,
        )
        .group_by(Call.constellation_id, hour)
    ).all()
    # 24 rows per constellation at most, however many calls.
    counts = {(cid, at_hour): (calls, int(unanswered)) for cid, at_hour, calls, unanswered in rows}
    if kept is not None:
        kept[key] = counts
    return counts


def health_figures(
    session: DbSession, constellation_ids: Sequence[int], start: date, end: date
) -> dict[int, list[HealthFigure]]:
    """Calls by day and night, unanswered calls and open voicemails, per constellation."""
    counted = calls_by_constellation_and_hour(session, constellation_ids, start, end)
    open_followups = dict(
        session.execute(
            select(FollowUp.constellation_id, func.count())
            .where(FollowUp.constellation_id.in_(constellation_ids), FollowUp.handled_at.is_(None))
            .group_by(FollowUp.constellation_id)
        ).all()
    )
    counts: dict[int, dict[str, int]] = {
        cid: {"day": 0, "night": 0, "unanswered": 0} for cid in constellation_ids
    }
    for (constellation_id, hour), (calls, unanswered) in counted.items():
        c = counts[constellation_id]
        c["day" if DAY_STARTS.hour <= hour < NIGHT_STARTS.hour else "night"] += calls
        c["unanswered"] += unanswered
    group = _("Telephone support")
    label = {  # translated once, not once per constellation
        "day": _("Calls by day (08–20)"),
        "night": _("Calls by night (20–08)"),
        "unanswered": _("Calls nobody accepted"),
        "open": _("Voicemails and missed calls not yet handled"),
    }
    result: dict[int, list[HealthFigure]] = {}
    for cid, c in counts.items():
        voicemails = open_followups.get(cid, 0)
        result[cid] = [
            HealthFigure("calls.day", label["day"], c["day"], group),
            HealthFigure("calls.night", label["night"], c["night"], group),
            HealthFigure(
                "calls.unanswered",
                label["unanswered"],
                c["unanswered"],
                group,
                concern=c["unanswered"] > 0,
            ),
            HealthFigure(
                "calls.open_follow_ups",
                label["open"],
                voicemails,
                group,
                concern=voicemails > 0,
            ),
        ]
    return result


def caseload_notes(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, CaseloadExtra]:
    """An unhandled voicemail or missed call from a child's family is a concern."""
    rows = session.execute(
        select(Placement.child_id, FollowUp.created_at)
        .join(Call, Call.household_id == Placement.household_id)
        .join(FollowUp, FollowUp.call_id == Call.id)
        .where(
            Placement.child_id.in_(child_ids),
            Placement.end_date.is_(None),
            FollowUp.handled_at.is_(None),
        )
        .order_by(FollowUp.created_at)
    ).all()
    extras: dict[int, CaseloadExtra] = {}
    for child_id, created_at in rows:
        extras.setdefault(child_id, CaseloadExtra()).notes.append(
            CaseloadNote(
                _(
                    "The family's call of %(date)s is not yet handled",
                    date=format_instant(created_at),
                ),
                concern=True,
                url="/phone/follow-ups",
            )
        )
    return extras
