"""Demo activities, contact visits and the advice log."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.network.models import Constellation, ConstellationMembership
from hubhome.timeutil import local_today, utcnow


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def seed_everyday(
    session: DbSession, users: dict[str, User], bjornen: Constellation, raven: Constellation
) -> None:
    """A monthly meeting series, an activity with answers, contact visits, a restriction due
    for review and advice contacts, written directly (no SMS leaves the demo)."""
    from datetime import time

    from hubhome.activities.models import (
        Activity,
        ActivityAnswer,
        ActivityKind,
        ActivitySeries,
        AnswerStatus,
    )
    from hubhome.activities.recurrence import Repeat, occurrences, rule_text
    from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic, Urgency
    from hubhome.timeutil import local_to_utc
    from hubhome.visits.models import ContactRestriction, ContactVisit, Supervisor, VisitStatus

    today = local_today()
    hub = users["hubb.bjornen@demo.hubhome.test"]
    worker = users["socialsekreterare@demo.hubhome.test"]
    oncall = users["jour@demo.hubhome.test"]
    homes = session.scalars(
        select(ConstellationMembership.household_id)
        .where(ConstellationMembership.constellation_id == bjornen.id)
        .order_by(ConstellationMembership.household_id)
    ).all()
    attendees = list(homes[1:5])  # not familj1: its calendar feed holds only its respite

    # The monthly meeting: second Thursday 18:00, from last month, seven times.
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    first = _nth_weekday(last_month.year, last_month.month, 3, 2)
    start, end = time(18, 0), time(20, 0)
    series = ActivitySeries(
        constellation_id=bjornen.id,
        rule=rule_text(first, start, Repeat.MONTHLY_WEEKDAY, 7),
        created_by_id=hub.id,
    )
    session.add(series)
    session.flush()
    for slot in occurrences(first, start, end, Repeat.MONTHLY_WEEKDAY, 7):
        meeting = Activity(
            constellation_id=bjornen.id,
            series_id=series.id,
            kind=ActivityKind.MEETING,
            title="Konstellationsträff",
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            place="Navfamiljen Ek, Björnstigen 1",
            description="Fika, erfarenhetsutbyte och planering av kommande månad.",
            created_by_id=hub.id,
        )
        session.add(meeting)
        session.flush()
        if slot.starts_at < local_to_utc(today, time(0)):  # held: attendance recorded
            for household_id in attendees[:3]:
                session.add(
                    ActivityAnswer(
                        activity_id=meeting.id,
                        household_id=household_id,
                        status=AnswerStatus.COMING,
                        adults=2,
                        children=1,
                        answered_by_id=hub.id,
                        attended=True,
                        attendance_by_id=hub.id,
                    )
                )

    # A social activity with answers and a capacity.
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 14)
    party = Activity(
        constellation_id=bjornen.id,
        kind=ActivityKind.SOCIAL,
        title="Julpyssel på navhemmet",
        starts_at=local_to_utc(saturday, time(14, 0)),
        ends_at=local_to_utc(saturday, time(17, 0)),
        place="Navfamiljen Ek, Björnstigen 1",
        description="Vi pysslar, bakar pepparkakor och dricker glögg.",
        capacity=16,
        created_by_id=hub.id,
    )
    session.add(party)
    session.flush()
    answers = [
        (AnswerStatus.COMING, 2, 2, "En vegetarian"),
        (AnswerStatus.COMING, 1, 1, None),
        (AnswerStatus.NOT_COMING, 0, 0, None),
        (AnswerStatus.COMING, 2, 3, "Rullstolsplats"),
    ]
    for household_id, (status, adults, children, needs) in zip(attendees, answers, strict=False):
        session.add(
            ActivityAnswer(
                activity_id=party.id,
                household_id=household_id,
                status=status,
                adults=adults,
                children=children,
                needs=needs,
                answered_by_id=hub.id,
            )
        )
    raven_day = today + timedelta(days=10)
    session.add(
        Activity(
            constellation_id=raven.id,
            kind=ActivityKind.TRAINING,
            title="Kamratstöd: att prata med skolan",
            starts_at=local_to_utc(raven_day, time(18, 30)),
            ends_at=local_to_utc(raven_day, time(20, 0)),
            place="Navfamiljen Lind, Rävgången 1",
            created_by_id=users["hubb.raven@demo.hubhome.test"].id,
        )
    )

    # Contact visits for the first Björnen family's child, and a restriction due for review.
    placed = session.scalars(
        select(Placement.child_id)
        .where(Placement.household_id.in_(homes[:3]), Placement.end_date.is_(None))
        .order_by(Placement.household_id, Placement.child_id)
    ).all()
    visit_child, restricted_child = placed[0], placed[-1]
    for days, visit_status, note in (
        (-12, VisitStatus.HELD, "Lugnt umgänge. Barnet ville visa sina teckningar."),
        (5, VisitStatus.PLANNED, None),
    ):
        day = today + timedelta(days=days)
        session.add(
            ContactVisit(
                organisation_id=hub.organisation_id,
                child_id=visit_child,
                constellation_id=bjornen.id,
                relatives="Mamma och mormor",
                place="Navhemmet",
                supervisor=Supervisor.HUB_CARER,
                supervisor_name="Hanna Ek",
                starts_at=local_to_utc(day, time(10, 0)),
                ends_at=local_to_utc(day, time(12, 0)),
                status=visit_status,
                note_after=note,
                created_by_id=hub.id,
            )
        )
    decided = today - timedelta(days=80)
    session.add(
        ContactRestriction(
            organisation_id=hub.organisation_id,
            child_id=restricted_child,
            decided_on=decided,
            relatives="Morfar",
            decision="Umgänge endast under uppsikt av personal, högst en gång i månaden.",
            review_due=decided + timedelta(days=91),
            created_by_id=worker.id,
        )
    )

    # Advice contacts from the last few days.
    for logger, household_id, topic, channel, urgency, summary, follow_up, hours_ago in (
        (
            hub,
            homes[0],
            AdviceTopic.BEHAVIOUR,
            AdviceChannel.PHONE,
            Urgency.NORMAL,
            "Utbrott vid läggdags. Vi gick igenom kvällsrutinen och en lugn nedvarvning.",
            None,
            30,
        ),
        (
            oncall,
            homes[1],
            AdviceTopic.HEALTH,
            AdviceChannel.PHONE,
            Urgency.URGENT,
            "Feber på natten; rådde att ringa 1177. Ringer upp i morgon.",
            1,
            10,
        ),
        (
            hub,
            homes[2],
            AdviceTopic.SCHOOL,
            AdviceChannel.SMS,
            Urgency.LOW,
            "Frågor inför utvecklingssamtal; skickade checklista.",
            3,
            50,
        ),
        (
            hub,
            homes[0],
            AdviceTopic.PRACTICAL,
            AdviceChannel.IN_PERSON,
            Urgency.NORMAL,
            "Hjälp med ansökan om omkostnadsersättning.",
            None,
            80,
        ),
    ):
        session.add(
            AdviceContact(
                organisation_id=hub.organisation_id,
                household_id=household_id,
                constellation_id=bjornen.id,
                logged_by_id=logger.id,
                asked_by="Familjehemsförälder",
                channel=channel,
                topic=topic,
                urgency=urgency,
                summary=summary,
                follow_up_on=today + timedelta(days=follow_up) if follow_up else None,
                created_at=utcnow() - timedelta(hours=hours_ago),
            )
        )
