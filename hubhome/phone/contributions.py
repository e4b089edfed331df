"""What the phone area tells other areas: calls in the monthly report and constellation
health, and a family's unhandled voicemail on the social worker's caseload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from hubhome.caseload.sources import CaseloadExtra, CaseloadNote
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.display.dates import format_instant
from hubhome.outcomes.sources import HealthFigure
from hubhome.phone.models import Call, CallStatus, FollowUp
from hubhome.sqltime import stockholm_hour
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


def health_figures(
    session: DbSession, constellation_ids: Sequence[int], start: date, end: date
) -> dict[int, list[HealthFigure]]:
    """Calls by day and night, unanswered calls and open voicemails, per constellation."""
    hour = stockholm_hour(Call.started_at)
    daytime = and_(hour >= DAY_STARTS.hour, hour < NIGHT_STARTS.hour)
    rows = session.execute(
        select(
            Call.constellation_id,
            func.count(),
            func.sum(case((daytime, 1), else_=0)),
            func.sum(case((Call.status.in_(UNANSWERED), 1), else_=0)),
        )
        .where(
            Call.constellation_id.in_(constellation_ids),
            Call.started_at >= local_to_utc(start, time(0)),
            Call.started_at < local_to_utc(end + timedelta(days=1), time(0)),
        )
        .group_by(Call.constellation_id)
    ).all()
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
    for constellation_id, calls, day, unanswered in rows:  # one row per constellation
        counts[constellation_id] = {
            "day": int(day),
            "night": calls - int(day),
            "unanswered": int(unanswered),
        }
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
