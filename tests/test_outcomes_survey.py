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


def test_survey_round_links_answers_and_minimum_group(app, demo, client):
    with time_machine.travel(NOW, tick=False):
        login(client, "admin")
        assert client.post("/outcomes/survey", data={"year": "2026"}).status_code == 302
        # A second round for the same year is refused.
        assert client.post("/outcomes/survey", data={"year": "2026"}).status_code == 422
        survey_round = db.session.scalar(select(SurveyRound))
        invited = db.session.scalars(
            select(SurveyInvitation).where(SurveyInvitation.round_id == survey_round.id)
        ).all()
        assert len(invited) == 13  # every satellite family of the two constellations
        sms = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "survey.invitation")
        ).all()
        assert {m.recipient_id for m in sms} == {
            demo.user(u).id for u in ("familj1", "familj2", "familj9")
        }
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
        assert "5 av 13 familjer har svarat." in text
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
