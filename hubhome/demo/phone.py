"""Demo on-call rota and a few calls to the constellation phone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.network.models import Constellation, Organisation
from hubhome.timeutil import local_today


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
    # Last night's call, never in the future: seeded before 02:40 it rang half an hour ago.
    night_call = min(local_to_utc(local_today(), time(2, 10)), utcnow() - timedelta(minutes=30))
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
