"""Administrators build the network; nobody else may, and the history is kept."""

from datetime import date

from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.network.models import ConstellationMembership, Household
from hubhome.timeutil import local_today


def test_admin_creates_a_household_and_moves_it_between_constellations(client, login_as, demo):
    login_as("admin")
    created = client.post(
        "/households/new",
        data={
            "name": "Familjen Test",
            "kind": "satellite",
            "street": "Testvägen 1",
            "phone": "070-123 45 67",
            "respite_beds": "2",
        },
    )
    assert created.status_code == 302
    household = db.session.scalar(select(Household).where(Household.name == "Familjen Test"))
    assert household.phone == "+46701234567"
    bjornen, raven = demo.constellations["Björnen"], demo.constellations["Räven"]
    url = f"/households/{household.id}/membership"
    assert (
        client.post(
            url, data={"constellation_id": bjornen.id, "joined_on": "2026-01-10"}
        ).status_code
        == 302
    )
    assert (
        client.post(url, data={"constellation_id": raven.id, "joined_on": "2026-06-01"}).status_code
        == 302
    )
    history = db.session.scalars(
        select(ConstellationMembership)
        .where(ConstellationMembership.household_id == household.id)
        .order_by(ConstellationMembership.joined_on)
    ).all()
    assert [(m.constellation_id, m.joined_on, m.left_on) for m in history] == [
        (bjornen.id, date(2026, 1, 10), date(2026, 6, 1)),
        (raven.id, date(2026, 6, 1), None),
    ]
    page = client.get(f"/households/{household.id}").get_data(as_text=True)
    assert "Björnen" in page and "Räven" in page
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"household.save", "household.join"} <= actions


def test_a_malformed_phone_number_is_refused_with_nothing_written(client, login_as, demo):
    login_as("admin")
    before = db.session.scalar(select(db.func.count()).select_from(Household))
    response = client.post(
        "/households/new", data={"name": "X", "kind": "satellite", "phone": "12ab"}
    )
    assert response.status_code == 422
    assert 'href="#phone"' in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Household)) == before


def test_a_second_constellation_cannot_take_a_used_phone_number(client, login_as, demo):
    login_as("admin")
    response = client.post(
        "/constellations/new", data={"name": "Ugglan", "phone_number": "+46100000001"}
    )
    assert response.status_code == 422


def test_leaving_and_stopping_fostering_is_recorded(client, login_as, demo):
    login_as("admin")
    household = demo.user("familj2").household
    today = local_today()  # the demo family joined a while before the day the test runs
    response = client.post(
        f"/households/{household.id}/leave",
        data={"left_on": today.isoformat(), "deregister": "yes"},
    )
    assert response.status_code == 302
    db.session.refresh(household)
    assert household.deregistered_on == today


def test_only_administrators_manage_the_network(client, login_as, demo):
    login_as("socialsekreterare")
    household = demo.user("familj1").household
    for url in (
        "/households/new",
        f"/households/{household.id}/edit",
        f"/households/{household.id}/membership",
        f"/households/{household.id}/leave",
        "/constellations/new",
    ):
        assert client.get(url).status_code == 403, url


def test_foster_carers_do_not_get_the_household_list(client, login_as):
    login_as("familj1")
    assert client.get("/households").status_code == 403
