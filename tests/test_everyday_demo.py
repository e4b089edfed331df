"""The demo shows the constellation's everyday life: a meeting series, an activity with
answers, contact visits, a restriction due for review and advice contacts."""

from sqlalchemy import func, select

from hubhome.activities.models import Activity, ActivityAnswer, ActivitySeries
from hubhome.advice.models import AdviceContact
from hubhome.extensions import db
from hubhome.visits.models import ContactRestriction, ContactVisit


def test_demo_has_everyday_data(demo):
    series = db.session.scalar(select(ActivitySeries))
    assert series is not None and "FREQ=MONTHLY" in series.rule
    meetings = db.session.scalar(
        select(func.count()).select_from(Activity).where(Activity.series_id == series.id)
    )
    assert meetings == 7
    assert db.session.scalar(select(func.count()).select_from(ActivityAnswer)) >= 4
    assert db.session.scalar(select(func.count()).select_from(ContactVisit)) == 2
    assert db.session.scalar(select(func.count()).select_from(ContactRestriction)) == 1
    assert db.session.scalar(select(func.count()).select_from(AdviceContact)) == 4


def test_demo_pages_show_it_to_each_role(client, login_as):
    login_as("hubb.bjornen")
    assert "Julpyssel på navhemmet" in client.get("/activities/").get_data(as_text=True)
    assert "Mamma och mormor" in client.get("/visits/").get_data(as_text=True)
    assert "Utbrott vid läggdags" in client.get("/advice/").get_data(as_text=True)
    client.post("/logout")
    login_as("socialsekreterare")
    assert "Morfar" in client.get("/visits/reviews").get_data(as_text=True)
    assert "omprövning av umgängesbegränsning" in client.get("/home").get_data(as_text=True)
