"""Bad input: a clear Swedish message on the forms, 422 with field errors in the API,
and nothing half-written."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from hubhome.children.models import Child
from hubhome.extensions import db
from tests.conftest import bearer

UNTOUCHED = ("children", "placements", "users", "organisations", "households")


def _counts() -> dict[str, int]:
    counts = {
        n: db.session.execute(text(f"SELECT count(*) FROM {n}")).scalar_one() for n in UNTOUCHED
    }
    writes = db.session.execute(
        text("SELECT count(*) FROM audit_events WHERE action LIKE '%.create'")
    ).scalar_one()
    return counts | {"audit writes": writes}


def _child_form(household_id: int, **changes: str) -> dict[str, str]:
    form = {
        "first_name": "Tindra",
        "last_name": "Ny",
        "birth_date": "2015-03-14",
        "gender": "girl",
        "personnummer": "",
        "household_id": str(household_id),
        "placement_start": "2025-01-01",
    }
    form.update(changes)
    return form


def _summary_links(html: str) -> list[str]:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "the page has an error summary"
    return re.findall(r'<a href="#([^"]+)">', match.group(0))


def valid_personnummer() -> str:
    from stdnum.se import personnummer

    for serial in range(100, 999):
        body = f"150314{serial:03d}"
        for check in range(10):
            candidate = f"20{body[:6]}-{body[6:]}{check}"
            if personnummer.is_valid(candidate):
                return candidate
    raise AssertionError("no valid number")


BAD_PERSONNUMMER = [
    ("20150231-1234", "wrong date"),
    ("20150314-1235", "wrong check digit"),
    ("2015031", "too short"),
    ("abcdefgh-ijkl", "letters"),
]


@pytest.mark.parametrize(("number", "why"), BAD_PERSONNUMMER)
def test_register_child_form_refuses_a_bad_personnummer(client, login_as, demo, number, why):
    login_as("socialsekreterare")
    household_id = demo.user("familj1").household_id
    before = _counts()
    response = client.post("/children/new", data=_child_form(household_id, personnummer=number))
    assert response.status_code == 422, why
    html = response.get_data(as_text=True)
    assert "Det är inte ett giltigt personnummer" in html
    assert _summary_links(html) == ["personnummer"]
    assert 'id="personnummer"' in html and 'aria-invalid="true"' in html
    assert _counts() == before


def test_a_personnummer_that_contradicts_the_birth_date_is_refused(client, login_as, demo):
    login_as("socialsekreterare")
    number = valid_personnummer()  # born 2015-03-14
    form = _child_form(
        demo.user("familj1").household_id, personnummer=number, birth_date="2015-03-15"
    )
    before = _counts()
    response = client.post("/children/new", data=form)
    assert response.status_code == 422
    assert "stämmer inte med födelsedatumet" in response.get_data(as_text=True)
    assert _counts() == before


def test_a_valid_personnummer_is_stored_encrypted_and_shown_masked(client, login_as, demo):
    login_as("socialsekreterare")
    number = valid_personnummer()
    response = client.post(
        "/children/new", data=_child_form(demo.user("familj1").household_id, personnummer=number)
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "20150314-****" in page
    assert number.replace("-", "") not in page
    raw = db.session.execute(text("SELECT personnummer FROM children ORDER BY id DESC")).first()
    assert "20150314" not in raw[0]
    child = db.session.scalar(select(Child).order_by(Child.id.desc()))
    assert child.personnummer == number.replace("-", "")


def test_a_form_with_several_errors_lists_each_with_a_link(client, login_as, demo):
    login_as("socialsekreterare")
    form = _child_form(
        demo.user("familj1").household_id, first_name="", birth_date="not a date", personnummer=""
    )
    response = client.post("/children/new", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _summary_links(html) == ["first_name", "birth_date"]
    assert "Något behöver rättas" in html
    assert "Fältet måste fyllas i." in html


@pytest.mark.parametrize("phone", ["12", "070-123", "+46 70 123 45 67 89 00", "telefon"])
def test_create_account_refuses_a_malformed_phone_number(client, login_as, phone):
    login_as("admin")
    before = _counts()
    response = client.post(
        "/admin/users",
        data={
            "name": "Nina Ny",
            "email": "nina.ny@demokommun.se",
            "phone": phone,
            "role": "foster_carer",
            "household_id": "0",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "telefonnummer" in html
    assert _summary_links(html) == ["phone"]
    assert _counts() == before


def test_create_account_stores_the_phone_number_in_e164(client, login_as):
    from hubhome.accounts.models import User

    login_as("admin")
    response = client.post(
        "/admin/users",
        data={
            "name": "Nina Ny",
            "email": "nina.ny@demokommun.se",
            "phone": "070-123 45 67",
            "role": "foster_carer",
            "household_id": "0",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nina.ny@demokommun.se"))
    assert user.phone == "+46701234567"


def test_create_account_refuses_a_duplicate_email(client, login_as):
    login_as("admin")
    before = _counts()
    response = client.post(
        "/admin/users",
        data={
            "name": "Dubblett",
            "email": "familj1@demo.hubhome.test",
            "role": "foster_carer",
            "household_id": "0",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 422
    assert _summary_links(response.get_data(as_text=True)) == ["email"]
    assert _counts() == before


def _api_child(household_id: int, **changes):
    body = {
        "first_name": "Tindra",
        "last_name": "Ny",
        "birth_date": "2015-03-14",
        "gender": "girl",
        "household_id": household_id,
        "placement_start": "2025-01-01",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(("number", "why"), BAD_PERSONNUMMER)
def test_api_refuses_a_bad_personnummer_with_field_errors(client, demo, number, why):
    headers = bearer(client, "socialsekreterare")
    before = _counts()
    response = client.post(
        "/api/v1/children",
        headers=headers,
        json=_api_child(demo.user("familj1").household_id, personnummer=number),
    )
    assert response.status_code == 422, why
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert list(errors) == ["personnummer"]
    assert "personnummer" in errors["personnummer"][0]
    assert _counts() == before


def test_api_field_errors_name_each_bad_field(client, demo):
    response = client.post(
        "/api/v1/children",
        headers=bearer(client, "socialsekreterare"),
        json={"first_name": "", "birth_date": "2015-02-30", "gender": "robot"},
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {"first_name", "last_name", "birth_date", "gender", "household_id"} <= set(errors)


def test_api_registers_a_child(client, demo):
    number = valid_personnummer()
    response = client.post(
        "/api/v1/children",
        headers=bearer(client, "socialsekreterare"),
        json=_api_child(demo.user("familj1").household_id, personnummer=number),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["personnummer_masked"] == "20150314-****"
    assert body["placement"]["household_id"] == demo.user("familj1").household_id


@pytest.mark.parametrize(("who", "status"), [("familj1", 403), ("hubb.bjornen", 403)])
def test_api_registering_is_for_social_workers_and_admins(client, demo, who, status):
    before = _counts()
    response = client.post(
        "/api/v1/children",
        headers=bearer(client, who),
        json=_api_child(demo.user("familj1").household_id),
    )
    assert response.status_code == status
    assert _counts() == before


def test_api_refuses_a_household_outside_the_callers_scope(client, demo):
    from tests.permission_matrix import make_other_organisation

    other = make_other_organisation()
    before = _counts()
    response = client.post(
        "/api/v1/children",
        headers=bearer(client, "socialsekreterare"),
        json=_api_child(other["other_home"]),
    )
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["household_id"]
    assert _counts() == before
    assert db.session.scalar(select(func.count()).select_from(Child)) == before["children"]


def test_every_error_summary_link_leads_to_a_control_on_the_page(client, login_as, demo):
    """A radio group has no element with the field's own id: the link goes to its first option."""
    from hubhome.activities.models import Activity
    from hubhome.timeutil import utcnow

    login_as("familj1")
    bjornen = demo.constellations["Björnen"]
    activity = db.session.scalars(
        select(Activity)
        .where(Activity.constellation_id == bjornen.id, Activity.starts_at > utcnow())
        .order_by(Activity.starts_at)
    ).first()
    response = client.post(
        f"/activities/{activity.id}/answer",
        data={"household_id": str(demo.user("familj1").household_id), "adults": "1"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    links = _summary_links(html)
    assert links == ["attending-0"]
    for target in links:
        assert f'id="{target}"' in html
