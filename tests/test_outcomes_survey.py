"""The yearly carer survey: one-time links by SMS, anonymous answers, minimum group size."""

from __future__ import annotations

import re

import pytest
import time_machine
from sqlalchemy import inspect, select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.outcomes.models import SurveyAnswer, SurveyInvitation, SurveyRound
from hubhome.outcomes.survey import token_hash
from tests.conftest import login
from tests.monitoring_helpers import NOW

pytestmark = pytest.mark.clock(NOW)


def answer(client, token: str, hub: int, comment: str = "", stopped: str = "no"):
    return client.post(
        f"/survey/{token}",
        data={
            "support_hub": str(hub),
            "support_families": "4",
            "support_social_services": "3",
            "would_have_stopped": stopped,
            "placement_would_have_broken": "unsure",
            "comment": comment,
        },
    )


def _give_carers_phones(demo, constellation: str, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Give `count` of a constellation's satellite homes without an account a carer with a
    phone of their own; return those homes."""
    from hubhome.accounts.models import Role, User
    from hubhome.accounts.services import create_user
    from hubhome.network.models import ConstellationMembership, Household, HouseholdKind

    with_accounts = set(db.session.scalars(select(User.household_id)))
    homes = db.session.scalars(
        select(Household.id)
        .join(ConstellationMembership, ConstellationMembership.household_id == Household.id)
        .where(
            ConstellationMembership.constellation_id == demo.constellations[constellation].id,
            Household.kind == HouseholdKind.SATELLITE,
        )
        .order_by(Household.id)
    ).all()
    chosen = [h for h in homes if h not in with_accounts][:count]
    for n, home in enumerate(chosen):
        create_user(
            db.session,
            organisation_id=demo.user("admin").organisation_id,
            email=f"carer{n}@example.se",
            name=f"Carer {n}",
            role=Role.FOSTER_CARER,
            password="",
            phone=f"+4670555000{n}",
            household_id=home,
        )
    db.session.commit()
    return chosen


def test_survey_round_links_answers_and_minimum_group(app, demo, client):
    with time_machine.travel(NOW, tick=False):
        _give_carers_phones(demo, "Björnen", 4)
        login(client, "admin")
        assert client.post("/outcomes/survey", data={"year": "2026"}).status_code == 302
        # A second round for the same year is refused.
        assert client.post("/outcomes/survey", data={"year": "2026"}).status_code == 422
        survey_round = db.session.scalar(select(SurveyRound))
        invited = db.session.scalars(
            select(SurveyInvitation).where(SurveyInvitation.round_id == survey_round.id)
        ).all()
        assert len(invited) == 7  # the satellite families someone can be sent a link to
        sms = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "survey.invitation")
        ).all()
        assert {m.recipient_id for m in sms} >= {
            demo.user(u).id for u in ("familj1", "familj2", "familj9")
        }
        assert len(sms) == 7
        token = re.search(r"/survey/([\w-]+)", sms[0].body).group(1)
        assert all(i.token_hash != token for i in invited)  # only a hash is stored

        anonymous = app.test_client()
        assert anonymous.get(f"/survey/{token}").status_code == 200
        assert anonymous.get("/survey/not-a-token").status_code == 404
        assert answer(anonymous, token, 6).status_code == 422  # out of range
        assert answer(anonymous, token, 5, "Navet är ovärderligt").status_code == 200
        assert answer(anonymous, token, 1).status_code == 410  # one answer per link

        text = client.get(f"/outcomes/survey/{survey_round.id}").get_data(as_text=True)
        assert "Färre än 5 svar" in text
        assert "Navet är ovärderligt" not in text  # comments only from a large enough group

        # Four more families answer (links made here for the test).
        bjornen = demo.constellations["Björnen"].id
        unused = [i for i in invited if not i.used and i.constellation_id == bjornen][:4]
        for n, invitation in enumerate(unused):
            invitation.token_hash = token_hash(f"test-token-{n}")
        db.session.commit()
        for n, hub in enumerate([4, 3, 5, 4]):
            assert (
                answer(
                    anonymous, f"test-token-{n}", hub, stopped="yes" if n == 0 else "no"
                ).status_code
                == 200
            )
        text = client.get(f"/outcomes/survey/{survey_round.id}").get_data(as_text=True)
        # Hub: 5, 4, 3, 5, 4 -> mean 4.2; 4 of 5 good or excellent; 1 of 5 would have stopped.
        assert "<td>4,2</td>" in text and "<td>80 %</td>" in text and "<td>20 %</td>" in text
        assert "Navet är ovärderligt" in text
        assert "5 av 7 familjer har svarat." in text
    db.session.commit()  # release SQLite's write lock before inspecting on another connection
    columns = {c["name"] for c in inspect(db.engine).get_columns(SurveyAnswer.__tablename__)}
    assert not columns & {"household_id", "user_id", "created_at", "invitation_id"}
    invitation_columns = {c["name"] for c in inspect(db.engine).get_columns("survey_invitations")}
    assert not invitation_columns & {"used_at", "answered_at"}


def test_only_administrators_run_surveys(app, demo, client):
    with time_machine.travel(NOW, tick=False):
        login(client, "socialsekreterare")
        assert client.get("/outcomes/survey").status_code == 403
        familj = app.test_client()
        login(familj, "familj1")
        assert familj.get("/outcomes/survey").status_code == 403


def test_two_accounts_sharing_a_phone_get_one_survey_sms(app, demo, client):
    from hubhome.accounts.models import Role
    from hubhome.accounts.services import create_user

    familj1 = demo.user("familj1")
    with time_machine.travel(NOW, tick=False):
        partner = create_user(
            db.session,
            organisation_id=familj1.organisation_id,
            email="partner1@example.se",
            name="Partner Andersson",
            role=Role.FOSTER_CARER,
            password="",
            phone=familj1.phone,
            household_id=familj1.household_id,
        )
        db.session.commit()
        login(client, "admin")
        assert client.post("/outcomes/survey", data={"year": "2026"}).status_code == 302
        sms = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "survey.invitation")
        ).all()
        to_familj1 = [m for m in sms if m.recipient_id in (familj1.id, partner.id)]
        assert len(to_familj1) == 1
