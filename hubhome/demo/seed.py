"""The demo municipality: two constellations, their families and an account for each role.

Other issues' tests rely on these names, numbers and accounts; change them with care.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.children.models import Child, Gender, Placement
from hubhome.db import DbSession
from hubhome.network.models import (
    Constellation,
    ConstellationMembership,
    Household,
    HouseholdKind,
    Organisation,
)
from hubhome.timeutil import local_today, utcnow

DEMO_PASSWORD = "demo-hubhome"  # noqa: S105  (published demo credential)
ORGANISATION = "Demo kommun"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    phone: str | None


ACCOUNTS = [
    DemoAccount("admin@demo.hubhome.test", "Alva Admin", Role.ADMIN, "+46700000001"),
    DemoAccount(
        "socialsekreterare@demo.hubhome.test",
        "Sara Socialsekreterare",
        Role.SOCIAL_WORKER,
        "+46700000202",
    ),
    DemoAccount("hubb.bjornen@demo.hubhome.test", "Hanna Ek", Role.HUB_CARER, "+46700000101"),
    DemoAccount("hubb.raven@demo.hubhome.test", "Henrik Lind", Role.HUB_CARER, "+46700000102"),
    DemoAccount("jour@demo.hubhome.test", "Jonas Jour", Role.ONCALL_STAFF, "+46700000909"),
    DemoAccount("familj1@demo.hubhome.test", "Fatima Andersson", Role.FOSTER_CARER, "+46700001111"),
    DemoAccount("familj2@demo.hubhome.test", "Fredrik Berg", Role.FOSTER_CARER, "+46700002222"),
    DemoAccount("familj9@demo.hubhome.test", "Frida Nyström", Role.FOSTER_CARER, "+46700009999"),
]

BJORNEN_SATELLITES = ["Andersson", "Berg", "Carlsson", "Dahl", "Eriksson", "Falk", "Gustafsson"]
RAVEN_SATELLITES = ["Nyström", "Olsson", "Persson", "Quist", "Rask", "Sjöberg"]
GIRL_NAMES = ["Alma", "Maja", "Saga", "Wilma", "Ella", "Stella", "Agnes", "Ebba", "Alva", "Nova"]
BOY_NAMES = ["Elis", "Noah", "Liam", "Hugo", "Otto", "Loke", "Vincent", "Sixten"]
FIRST_NAMES = [
    "Alma",
    "Elis",
    "Maja",
    "Noah",
    "Saga",
    "Liam",
    "Wilma",
    "Hugo",
    "Ella",
    "Otto",
    "Stella",
    "Loke",
    "Agnes",
    "Vincent",
    "Ebba",
    "Alva",
    "Sixten",
    "Nova",
]
LAST_NAMES = ["Holm", "Ström", "Lund", "Sandberg", "Wikström", "Ekholm", "Forsberg", "Hedlund"]


def _luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def fictional_personnummer(birth: date, serial: int) -> str:
    """A well-formed personnummer with a high serial, not meant to match anyone."""
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{_luhn_digit(body)}"


def first_name_for(gender: Gender, drawn: str, taken: set[str]) -> str:
    """Return `drawn` if it is a name for `gender` not `taken` in the family, else the next one.

    The seed keeps drawing from FIRST_NAMES so the random stream, and with it every
    household's children, ages and placements, stays as it was.
    """
    names = GIRL_NAMES if gender == Gender.GIRL else BOY_NAMES
    start = names.index(drawn) if drawn in names else FIRST_NAMES.index(drawn)
    for step in range(len(names)):
        name = names[(start + step) % len(names)]
        if name not in taken:
            return name
    return names[start % len(names)]


def is_seeded(session: DbSession) -> bool:
    return (
        session.scalar(select(Organisation.id).where(Organisation.name == ORGANISATION)) is not None
    )


def seed_demo(session: DbSession) -> bool:
    """Create the demo municipality once; return False when it already exists."""
    if is_seeded(session):
        return False
    rng = random.Random(20261123)  # noqa: S311  (repeatable fiction, not security)
    today = local_today()
    org = Organisation(name=ORGANISATION, duty_number="+46100000099")
    session.add(org)
    session.flush()
    password_hash = hash_password(DEMO_PASSWORD)

    def household(name: str, kind: HouseholdKind, street: str) -> Household:
        item = Household(
            organisation_id=org.id,
            name=name,
            kind=kind,
            street=street,
            postcode="265 30",
            city="Demoköping",
            registered_on=today - timedelta(days=rng.randint(400, 3000)),
        )
        session.add(item)
        return item

    hub_bjornen = household("Navfamiljen Ek", HouseholdKind.HUB, "Björnstigen 1")
    hub_raven = household("Navfamiljen Lind", HouseholdKind.HUB, "Rävgången 1")
    sats_bjornen = [
        household(f"Familjen {n}", HouseholdKind.SATELLITE, f"Björnstigen {i + 2}")
        for i, n in enumerate(BJORNEN_SATELLITES)
    ]
    sats_raven = [
        household(f"Familjen {n}", HouseholdKind.SATELLITE, f"Rävgången {i + 2}")
        for i, n in enumerate(RAVEN_SATELLITES)
    ]
    session.flush()

    users: dict[str, User] = {}
    homes = {
        "hubb.bjornen@demo.hubhome.test": hub_bjornen,
        "hubb.raven@demo.hubhome.test": hub_raven,
        "familj1@demo.hubhome.test": sats_bjornen[0],
        "familj2@demo.hubhome.test": sats_bjornen[1],
        "familj9@demo.hubhome.test": sats_raven[0],
    }
    for account in ACCOUNTS:
        home = homes.get(account.email)
        user = User(
            organisation_id=org.id,
            email=account.email,
            name=account.name,
            role=account.role,
            phone=account.phone,
            password_hash=password_hash,
            locale="sv",
            household_id=home.id if home else None,
        )
        session.add(user)
        users[account.email] = user
    session.flush()
    social_worker = users["socialsekreterare@demo.hubhome.test"]

    bjornen = Constellation(
        organisation_id=org.id,
        name="Björnen",
        phone_number="+46100000001",
        hub_household_id=hub_bjornen.id,
        liaison_id=social_worker.id,
    )
    raven = Constellation(
        organisation_id=org.id,
        name="Räven",
        phone_number="+46100000002",
        hub_household_id=hub_raven.id,
        liaison_id=social_worker.id,
    )
    session.add_all([bjornen, raven])
    session.flush()

    serial = 900
    for constellation, satellites in ((bjornen, sats_bjornen), (raven, sats_raven)):
        for sat in satellites:
            session.add(
                ConstellationMembership(
                    constellation_id=constellation.id,
                    household_id=sat.id,
                    joined_on=today - timedelta(days=rng.randint(200, 900)),
                )
            )
            taken: set[str] = set()
            for _ in range(rng.randint(1, 3)):
                birth = today - timedelta(days=rng.randint(3 * 365, 16 * 365))
                serial += 2
                drawn, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                gender = rng.choice([Gender.GIRL, Gender.BOY])
                child = Child(
                    organisation_id=org.id,
                    first_name=first_name_for(gender, drawn, taken),
                    last_name=last_name,
                    birth_date=birth,
                    gender=gender,
                    personnummer=fictional_personnummer(birth, serial),
                    protected_identity=serial == 904,
                )
                taken.add(child.first_name)
                session.add(child)
                session.flush()
                session.add(
                    Placement(
                        child_id=child.id,
                        household_id=sat.id,
                        social_worker_id=social_worker.id,
                        start_date=today - timedelta(days=rng.randint(30, 1500)),
                    )
                )
    session.flush()
    seed_everyday(session, users, bjornen, raven)
    seed_phone(session, org, users, bjornen, raven)
    seed_monitoring(session, org.id, social_worker, today)
    return True


# --- activities, contact visits and the advice log -------------------------------------------


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


def seed_phone(
    session: DbSession,
    org: Organisation,
    users: dict[str, User],
    bjornen: Constellation,
    raven: Constellation,
) -> None:
    """A rota that gives both constellations a chain at every hour, and a few calls."""
    from datetime import time

    from hubhome.phone.models import (
        Call,
        CallLeg,
        CallStatus,
        FollowUp,
        FollowUpKind,
        LegOutcome,
    )
    from hubhome.rota.models import ChainLevel, OnCallShift, Rota, RotaSlot, ShiftKind
    from hubhome.rota.patterns import HORIZON, materialise
    from hubhome.timeutil import local_to_utc, utcnow

    day, night = (time(8), time(20)), (time(20), time(8))
    jour = users["jour@demo.hubhome.test"]
    plan = [
        ("Björnen dagtid", bjornen, ChainLevel.PRIMARY, day, "hubb.bjornen"),
        ("Björnen reserv natt", bjornen, ChainLevel.SECONDARY, night, "hubb.bjornen"),
        ("Räven dagtid", raven, ChainLevel.PRIMARY, day, "hubb.raven"),
        ("Nattjouren", None, ChainLevel.PRIMARY, night, "jour"),
        ("Dagreserv", None, ChainLevel.SECONDARY, day, "jour"),
    ]
    now = utcnow()
    rotas: dict[str, Rota] = {}
    for name, constellation, level, (starts, ends), who in plan:
        rota = Rota(
            organisation_id=org.id,
            constellation_id=constellation.id if constellation else None,
            name=name,
            level=level,
        )
        person = users[f"{who}@demo.hubhome.test"]
        rota.slots = [
            RotaSlot(weekday=weekday, starts=starts, ends=ends, user_id=person.id)
            for weekday in range(7)
        ]
        session.add(rota)
        session.flush()
        materialise(session, rota, since=now - timedelta(days=3), until=now + HORIZON, clip=True)
        rotas[name] = rota
    # Jonas is off sick one night in ten days with nobody to cover: Räven shows a gap.
    sick_night = local_today() + timedelta(days=10)
    session.add(
        OnCallShift(
            rota_id=rotas["Nattjouren"].id,
            user_id=None,
            kind=ShiftKind.UNCOVERED,
            starts_at=local_to_utc(sick_night, time(20)),
            ends_at=local_to_utc(sick_night + timedelta(days=1), time(8)),
            note="Sjuk, ingen ersättare ännu",
        )
    )

    hub = users["hubb.bjornen@demo.hubhome.test"]
    familj1 = users["familj1@demo.hubhome.test"]
    familj2 = users["familj2@demo.hubhome.test"]
    chain: list[dict[str, Any]] = [
        {"number": jour.phone, "label": jour.name, "user_id": jour.id, "level": 1},
        {"number": hub.phone, "label": hub.name, "user_id": hub.id, "level": 2},
        {"number": org.duty_number, "label": "duty", "user_id": None, "level": None},
    ]
    yesterday_evening = local_to_utc(local_today() - timedelta(days=1), time(21, 40))
    night_call = local_to_utc(local_today(), time(2, 10))
    answered = Call(
        call_sid="CA" + "d" * 31 + "1",
        organisation_id=org.id,
        constellation_id=bjornen.id,
        household_id=familj1.household_id,
        caller_id=familj1.id,
        from_number=familj1.phone or "",
        to_number=bjornen.phone_number or "",
        chain=chain,
        status=CallStatus.COMPLETED,
        twilio_status="completed",
        accepted_by_id=jour.id,
        accepted_at=yesterday_evening + timedelta(seconds=12),
        started_at=yesterday_evening,
        ended_at=yesterday_evening + timedelta(minutes=14),
        duration_seconds=14 * 60,
        note=(
            "Svårt med nattningen efter umgänget. Gick igenom kvällsrutinen; ringer igen vid behov."
        ),
    )
    answered.legs = [
        CallLeg(
            step=0,
            user_id=jour.id,
            number=jour.phone or "",
            outcome=LegOutcome.ACCEPTED,
            started_at=yesterday_evening,
            ended_at=answered.ended_at,
        )
    ]
    voicemail = Call(
        call_sid="CA" + "d" * 31 + "2",
        organisation_id=org.id,
        constellation_id=bjornen.id,
        household_id=familj2.household_id,
        caller_id=familj2.id,
        from_number=familj2.phone or "",
        to_number=bjornen.phone_number or "",
        chain=chain,
        status=CallStatus.VOICEMAIL,
        twilio_status="completed",
        started_at=night_call,
        ended_at=night_call + timedelta(minutes=2),
        duration_seconds=120,
    )
    voicemail.legs = [
        CallLeg(
            step=step,
            user_id=c["user_id"],
            number=c["number"] or "",
            outcome=outcome,
            started_at=night_call,
            ended_at=night_call + timedelta(seconds=20 * (step + 1)),
        )
        for step, (c, outcome) in enumerate(
            zip(
                chain, [LegOutcome.NO_ANSWER, LegOutcome.REFUSED, LegOutcome.NO_ANSWER], strict=True
            )
        )
    ]
    session.add_all([answered, voicemail])
    session.flush()
    session.add(
        FollowUp(
            call_id=voicemail.id,
            organisation_id=org.id,
            constellation_id=bjornen.id,
            kind=FollowUpKind.VOICEMAIL,
            recording_sid="RE" + "d" * 32,
            recording_url="https://api.twilio.com/2010-04-01/Accounts/ACdemo/Recordings/REdemo",
            recording_seconds=38,
            created_at=night_call + timedelta(minutes=2),
            escalation_level=2,
        )
    )
    session.flush()


def seed_monitoring(session: DbSession, organisation_id: int, worker: User, today: date) -> None:
    """Follow-up visits (some overdue), reviews, and decisions: one past three months."""
    from hubhome.caseload.models import FollowUpVisit, PlacementReview
    from hubhome.decisions.models import DecisionOffer, InterventionDecision, InterventionKind
    from hubhome.decisions.rules import add_months

    placements = list(
        session.scalars(
            select(Placement)
            .where(Placement.social_worker_id == worker.id, Placement.end_date.is_(None))
            .order_by(Placement.id)
        )
    )
    for i, placement in enumerate(placements):
        # Every fourth child's last visit was half a year ago: overdue against 4 a year.
        ago = 180 if i % 4 == 0 else 20 + 7 * (i % 5)
        visit_day = max(placement.start_date, today - timedelta(days=ago))
        session.add(
            FollowUpVisit(
                organisation_id=organisation_id,
                child_id=placement.child_id,
                placement_id=placement.id,
                visit_date=visit_day,
                private_talk=i % 4 != 1,
                note="Hembesök, barnet trivs." if i % 2 else "Besök i skolan.",
                recorded_by_id=worker.id,
            )
        )
        # Every fifth child has waited too long for a placement review.
        if i % 5 != 0 and placement.start_date < today - timedelta(days=60):
            session.add(
                PlacementReview(
                    organisation_id=organisation_id,
                    child_id=placement.child_id,
                    placement_id=placement.id,
                    review_date=max(placement.start_date, today - timedelta(days=35 * (i % 5))),
                    outcome="Placeringen fortsätter.",
                    recorded_by_id=worker.id,
                )
            )
    if len(placements) < 3:
        return

    def decision(index: int, kind: InterventionKind, decided: date, **extra: object) -> None:
        item = InterventionDecision(
            organisation_id=organisation_id,
            child_id=placements[index].child_id,
            kind=kind,
            decision_date=decided,
            responsible_id=worker.id,
            created_by_id=worker.id,
            **extra,
        )
        session.add(item)
        session.flush()
        if kind == InterventionKind.CONTACT_FAMILY:
            session.add(
                DecisionOffer(
                    decision_id=item.id, offered_on=decided + timedelta(days=30), declined=True
                )
            )

    # Past the three-month limit; an offer was declined, which does not close it.
    decision(
        0,
        InterventionKind.CONTACT_FAMILY,
        add_months(today, -4),
        delay_reason="Ingen lämplig kontaktfamilj ledig.",
    )
    # Reaches the limit within two weeks.
    decision(1, InterventionKind.RESPITE, add_months(today, -3) + timedelta(days=10))
    # Carried out in time.
    decided = add_months(today, -5)
    decision(
        2, InterventionKind.CONTACT_PERSON, decided, carried_out_on=decided + timedelta(days=40)
    )
    session.flush()
