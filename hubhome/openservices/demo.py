"""The demo's open services: open advice and an open family activity, with three months of
anonymous (and a few first-name) participation."""

from __future__ import annotations

import random

from dateutil.relativedelta import relativedelta

from hubhome.db import DbSession
from hubhome.openservices.models import (
    AgeBand,
    OpenGender,
    OpenParticipation,
    OpenService,
    OpenServiceKind,
)
from hubhome.openservices.services import first_of_month
from hubhome.timeutil import local_today

FIRST_NAMES = ["Maja", "Elias", "Noor", "Alva", "Omar", "Saga"]


def seed_open_services(session: DbSession, organisation_id: int) -> int:
    rng = random.Random(2025)  # noqa: S311  (repeatable fiction, not security)
    advice = OpenService(
        organisation_id=organisation_id,
        kind=OpenServiceKind.ADVICE,
        name="Öppen rådgivning för familjer",
        description="Drop-in tisdagar 13–16 på familjecentralen, och per telefon.",
    )
    activity = OpenService(
        organisation_id=organisation_id,
        kind=OpenServiceKind.ACTIVITY,
        name="Öppen familjeträff",
        description="Lek och fika för familjer i närområdet, varannan lördag.",
    )
    session.add_all([advice, activity])
    session.flush()
    this_month = first_of_month(local_today())
    entries = []
    for back in range(3):
        month = this_month - relativedelta(months=back)
        for _ in range(6):
            entries.append(
                OpenParticipation(
                    organisation_id=organisation_id,
                    service_id=rng.choice([advice.id, activity.id]),
                    month=month,
                    age_band=rng.choice(list(AgeBand)),
                    gender=rng.choice(list(OpenGender)),
                    participants=rng.randint(1, 6),
                )
            )
        entries.append(
            OpenParticipation(
                organisation_id=organisation_id,
                service_id=advice.id,
                month=month,
                age_band=AgeBand.ADULT,
                gender=OpenGender.FEMALE,
                participants=1,
                first_name=FIRST_NAMES[back],
            )
        )
    session.add_all(entries)
    session.flush()
    return len(entries)
