"""The hub's monthly report: the month's numbers for one constellation, page and CSV alike.

Calls by day and night come from the phone area, which adds a counter to `call_counters` in
its init_app; without one the report shows no call figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hubhome.activities.models import Activity, ActivityKind, ActivityStatus
from hubhome.activities.queries import month_bounds
from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic
from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.registry import Registry
from hubhome.respite.models import BookingStatus, RespiteBooking
from hubhome.timeutil import utcnow
from hubhome.visits.models import ContactVisit, VisitStatus

# (session, constellation_id, start_utc, end_utc) -> (calls by day, calls by night)
CallCounter = Callable[[DbSession, int, datetime, datetime], tuple[int, int]]
call_counters: Registry[CallCounter] = Registry("call_counters")


@dataclass(frozen=True)
class HeldActivity:
    id: int
    kind: str
    title: str
    starts_at: datetime
    households: int
    people: int


@dataclass
class MonthlyReport:
    constellation: Constellation
    month: date
    activities: list[HeldActivity] = field(default_factory=list)
    advice_by_topic: dict[str, int] = field(default_factory=dict)
    advice_by_channel: dict[str, int] = field(default_factory=dict)
    respite_planned: int = 0
    respite_emergency: int = 0
    visits_held: int = 0
    calls_day: int | None = None
    calls_night: int | None = None

    def count_of(self, kind: str) -> int:
        return sum(1 for a in self.activities if a.kind == kind)

    def attendance_of(self, kind: str) -> int:
        return sum(a.people for a in self.activities if a.kind == kind)

    @property
    def advice_total(self) -> int:
        return sum(self.advice_by_topic.values())


def _held_activities(
    session: DbSession, constellation_id: int, start: datetime, end: datetime
) -> list[HeldActivity]:
    rows = session.scalars(
        select(Activity)
        .where(
            Activity.constellation_id == constellation_id,
            Activity.status == ActivityStatus.PLANNED,
            Activity.starts_at >= start,
            Activity.starts_at < min(end, utcnow()),
        )
        .options(selectinload(Activity.answers))
        .order_by(Activity.starts_at)
    ).all()
    return [
        HeldActivity(
            id=a.id,
            kind=str(a.kind),
            title=a.title,
            starts_at=a.starts_at,
            households=sum(1 for x in a.answers if x.attended),
            people=sum(x.people for x in a.answers if x.attended),
        )
        for a in rows
    ]


def _respite_nights(
    session: DbSession, constellation_id: int, first: date, following: date
) -> Counter[str]:
    """Child-nights of approved and completed stays falling inside the month, by kind."""
    bookings = session.scalars(
        select(RespiteBooking)
        .where(
            RespiteBooking.constellation_id == constellation_id,
            RespiteBooking.status.in_([BookingStatus.APPROVED, BookingStatus.COMPLETED]),
            RespiteBooking.check_in < following,
            RespiteBooking.check_out > first,
        )
        .options(selectinload(RespiteBooking.children))
    ).all()
    nights: Counter[str] = Counter()
    for booking in bookings:
        inside = (min(booking.check_out, following) - max(booking.check_in, first)).days
        nights[str(booking.kind)] += inside * len(booking.children)
    return nights


def monthly_report(session: DbSession, constellation: Constellation, month: date) -> MonthlyReport:
    """Count the month's activities, advice, respite, contact visits and calls."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start, end = month_bounds(first)
    report = MonthlyReport(constellation=constellation, month=first)
    report.activities = _held_activities(session, constellation.id, start, end)
    in_month = (
        AdviceContact.constellation_id == constellation.id,
        AdviceContact.created_at >= start,
        AdviceContact.created_at < end,
    )
    by_topic: dict[Any, int] = dict(
        session.execute(
            select(AdviceContact.topic, func.count()).where(*in_month).group_by(AdviceContact.topic)
        ).all()
    )
    by_channel: dict[Any, int] = dict(
        session.execute(
            select(AdviceContact.channel, func.count())
            .where(*in_month)
            .group_by(AdviceContact.channel)
        ).all()
    )
    report.advice_by_topic = {str(t): by_topic.get(t, 0) for t in AdviceTopic}
    report.advice_by_channel = {str(c): by_channel.get(c, 0) for c in AdviceChannel}
    nights = _respite_nights(session, constellation.id, first, following)
    report.respite_planned = nights["planned"]
    report.respite_emergency = nights["emergency"]
    report.visits_held = (
        session.scalar(
            select(func.count()).where(
                ContactVisit.constellation_id == constellation.id,
                ContactVisit.status == VisitStatus.HELD,
                ContactVisit.starts_at >= start,
                ContactVisit.starts_at < end,
            )
        )
        or 0
    )
    if counters := call_counters.items():
        day, night = 0, 0
        for counter in counters:
            d, n = counter(session, constellation.id, start, end)
            day, night = day + d, night + n
        report.calls_day, report.calls_night = day, night
    return report


def report_table(report: MonthlyReport) -> tuple[list[str], list[list[Any]]]:
    """The report as rows in the user's language: the CSV and the Excel sheet hold the same
    numbers as the page."""
    from flask_babel import gettext as _

    from hubhome.activities.labels import KIND_LABELS
    from hubhome.advice.labels import CHANNEL_LABELS, TOPIC_LABELS

    rows: list[tuple[str, str, int | str]] = []
    activities = _("Meetings and activities")
    for kind in ActivityKind:
        label = str(KIND_LABELS.get(kind, kind))
        rows.append((activities, _("%(kind)s: held", kind=label), report.count_of(kind)))
        rows.append((activities, _("%(kind)s: attendance", kind=label), report.attendance_of(kind)))
    for topic, count in report.advice_by_topic.items():
        rows.append((_("Advice by topic"), str(TOPIC_LABELS.get(topic, topic)), count))
    for channel, count in report.advice_by_channel.items():
        rows.append((_("Advice by channel"), str(CHANNEL_LABELS.get(channel, channel)), count))
    rows.append((_("Advice contacts"), _("Total"), report.advice_total))
    nights = _("Respite child-nights")
    rows.append((nights, _("Planned"), report.respite_planned))
    rows.append((nights, _("Emergency"), report.respite_emergency))
    rows.append((_("Contact visits"), _("Held"), report.visits_held))
    calls = _("Calls")
    rows.append((calls, _("By day"), "" if report.calls_day is None else report.calls_day))
    rows.append((calls, _("By night"), "" if report.calls_night is None else report.calls_night))
    header = [_("Constellation"), _("Month"), _("Section"), _("Item"), _("Value")]
    month = f"{report.month:%Y-%m}"
    return header, [[report.constellation.name, month, *row] for row in rows]
