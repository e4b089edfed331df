"""Open services without an individual decision: participation is counted per month, kind,
age band and gender, and nothing stored identifies a person."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.network.models import Organisation
from hubhome.openservices.models import OpenParticipation, OpenService, OpenServiceKind
from hubhome.timeutil import local_today


def _month(months_back: int = 0) -> str:
    return (local_today().replace(day=1) - relativedelta(months=months_back)).strftime("%Y-%m")


def _service(demo, name: str, kind: str = "advice") -> OpenService:
    organisation_id = demo.users["admin"].organisation_id
    service = db.session.scalars(
        select(OpenService).where(
            OpenService.organisation_id == organisation_id, OpenService.name == name
        )
    ).first()
    if service is None:
        service = OpenService(organisation_id=organisation_id, kind=kind, name=name)
        db.session.add(service)
        db.session.commit()
    return service


def _record(client: FlaskClient, service: OpenService, **fields: object):
    form = {
        "service_id": service.id,
        "month": _month(),
        "participants": 1,
        "age_band": "unknown",
        "gender": "not_given",
        "first_name": "",
    } | fields
    return client.post("/open-services/", data=form)


def _stored() -> list[dict[str, object]]:
    db.session.expire_all()
    rows = db.session.execute(text("SELECT * FROM open_participations ORDER BY id"))
    return [dict(row._mapping) for row in rows]


def test_a_participation_row_has_no_column_that_identifies_a_person():
    columns = {c.name for c in inspect(OpenParticipation).columns}
    assert columns == {
        "id",
        "organisation_id",
        "service_id",
        "month",
        "age_band",
        "gender",
        "participants",
        "first_name",
        "recorded_at",
    }
    targets = {fk.column.table.name for fk in OpenParticipation.__table__.foreign_keys}
    assert targets == {"organisations", "open_services"}  # no person, household or child
    forbidden = ("personnummer", "surname", "last_name", "phone", "household", "child", "user")
    assert not [c for c in columns if any(word in c for word in forbidden)]
    assert inspect(OpenParticipation).columns["first_name"].type.length == 40


def test_what_is_stored_is_only_what_the_count_needs(app, demo, login_as):
    client = login_as("socialsekreterare")
    service = _service(demo, "Öppen rådgivning test")
    before = len(_stored())
    answer = _record(client, service, first_name="Anna-Lena", age_band="25-64", gender="female")
    assert answer.status_code == 303
    (row,) = _stored()[before:]
    assert {k: v for k, v in row.items() if k not in ("id", "recorded_at")} == {
        "organisation_id": demo.users["admin"].organisation_id,
        "service_id": service.id,
        "month": row["month"],
        "age_band": "25-64",
        "gender": "female",
        "participants": 1,
        "first_name": "Anna-Lena",
    }
    assert str(row["month"]).startswith(_month())
    # who recorded it is in the audit log, not on the row
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "open_participation.recorded")
    ).one()
    assert event.actor_id == demo.users["socialsekreterare"].id
    assert event.child_id is None and event.household_id is None


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"first_name": "Anna Svensson"}, "first_name"),  # a surname
        ({"first_name": "19121212-1212"}, "first_name"),  # a personnummer
        ({"first_name": "0701234567"}, "first_name"),  # a phone number
        ({"first_name": "Anna", "participants": 3}, "first_name"),  # a name for a group
        ({"participants": 0}, "participants"),
        ({"participants": 501}, "participants"),
        ({"participants": 99999999999999999999}, "participants"),
        ({"month": "next"}, "month"),
        ({"age_band": "99-100"}, "age_band"),
        ({"gender": "x"}, "gender"),
    ],
)
def test_bad_participation_is_refused_in_swedish_and_nothing_is_stored(
    app, demo, login_as, fields, field_error
):
    client = login_as("admin")
    service = _service(demo, "Öppen familjeträff test", "activity")
    before = len(_stored())
    answer = _record(client, service, **fields)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "error-summary" in page
    assert f'id="{field_error}-error"' in page
    assert len(_stored()) == before


def test_a_future_month_or_a_closed_service_is_refused(app, demo, login_as):
    client = login_as("admin")
    service = _service(demo, "Stängd test")
    before = len(_stored())
    assert _record(client, service, month=_month(-1)).status_code == 422
    assert _record(client, service, month=_month(25)).status_code == 422
    client.post(f"/open-services/services/{service.id}/active", data={"active": "0"})
    assert _record(client, service).status_code == 422
    assert len(_stored()) == before


def test_counts_per_month_kind_age_band_and_gender_on_the_page_and_in_the_csv(app, demo, login_as):
    client = login_as("admin")
    advice = _service(demo, "Rådgivning räknas")
    activity = _service(demo, "Aktivitet räknas", "activity")
    db.session.execute(
        text("DELETE FROM open_participations WHERE organisation_id = :o"),
        {"o": demo.users["admin"].organisation_id},
    )
    db.session.commit()
    this_month, last_month = _month(), _month(1)
    year = int(this_month[:4])
    for service, month, count, band, gender in [
        (advice, this_month, 2, "6-12", "female"),
        (advice, this_month, 3, "6-12", "female"),  # the same group: 5 together
        (advice, this_month, 1, "25-64", "male"),
        (activity, this_month, 4, "0-5", "not_given"),
        (activity, last_month, 7, "13-17", "other"),
    ]:
        answer = _record(
            client, service, month=month, participants=count, age_band=band, gender=gender
        )
        assert answer.status_code == 303

    answer = client.get(f"/open-services/report.csv?year={year}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    body = answer.data.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body[1:].strip().split("\r\n")
    assert lines[0] == "Månad;Typ;Insats;Åldersgrupp;Kön;Antal deltagare"
    rows = [line.split(";") for line in lines[1:]]
    in_year = [r for r in rows if r[0].startswith(str(year))]
    assert [
        this_month,
        "Öppen rådgivning",
        "Rådgivning räknas",
        "6–12 år",
        "Flicka eller kvinna",
        "5",
    ] in in_year  # noqa: E501
    assert [
        this_month,
        "Öppen rådgivning",
        "Rådgivning räknas",
        "25–64 år",
        "Pojke eller man",
        "1",
    ] in in_year  # noqa: E501
    assert [
        this_month,
        "Öppen aktivitet",
        "Aktivitet räknas",
        "0–5 år",
        "Kön ej angivet",
        "4",
    ] in in_year  # noqa: E501
    if last_month.startswith(str(year)):
        assert [
            last_month,
            "Öppen aktivitet",
            "Aktivitet räknas",
            "13–17 år",
            "Annat kön",
            "7",
        ] in in_year  # noqa: E501
    # the CSV is counts only: no first name and no row per person
    assert sum(int(r[5]) for r in in_year) == 10 + 7 * last_month.startswith(str(year))

    page = client.get(f"/open-services/report?year={year}").get_data(as_text=True)
    total = 10 + 7 * last_month.startswith(str(year))
    assert f"{total} deltagare under året." in page


def test_only_the_organisations_staff_reach_open_services(app, demo, login_as, client):
    other = Organisation(name="Annan kommun")
    db.session.add(other)
    db.session.flush()
    foreign = OpenService(organisation_id=other.id, kind=OpenServiceKind.ADVICE, name="Deras")
    db.session.add(foreign)
    db.session.flush()
    theirs = OpenParticipation(
        organisation_id=other.id, service_id=foreign.id, month=date.today().replace(day=1)
    )
    db.session.add(theirs)
    db.session.commit()

    admin = login_as("admin")
    before = len(_stored())
    assert _record(admin, foreign).status_code == 422  # not a service it may choose
    assert len(_stored()) == before
    assert admin.post(f"/open-services/participation/{theirs.id}/remove").status_code == 404
    assert admin.post(f"/open-services/services/{foreign.id}/active").status_code == 404
    assert "Deras" not in admin.get("/open-services/report").get_data(as_text=True)
    admin.get("/logout")


@pytest.mark.parametrize("who", ["familj1", "hubb.bjornen", "jour"])
def test_families_hub_carers_and_on_call_staff_see_no_open_services(app, demo, login_as, who):
    client = login_as(who)
    for path in ("/open-services/", "/open-services/report", "/open-services/report.csv"):
        assert client.get(path).status_code == 403


def test_social_workers_record_but_only_administrators_open_a_service(app, demo, login_as):
    worker = login_as("socialsekreterare")
    assert worker.get("/open-services/services/new").status_code == 403
    service = _service(demo, "Öppen för alla")
    assert (
        worker.post(
            f"/open-services/services/{service.id}/active", data={"active": "0"}
        ).status_code
        == 303
    )
    db.session.refresh(service)
    assert service.active  # refused: still open


def test_an_administrator_opens_a_service_once(app, demo, login_as):
    admin = login_as("admin")
    form = {"kind": "activity", "name": "Öppen simskola", "description": "Lördagar"}
    assert admin.post("/open-services/services/new", data=form).status_code == 303
    assert admin.post("/open-services/services/new", data=form).status_code == 409
    again = form | {"name": "ÖPPEN SIMSKOLA"}
    assert admin.post("/open-services/services/new", data=again).status_code == 409
    assert admin.post("/open-services/services/new", data=form | {"name": ""}).status_code == 422
    assert "Öppen simskola" in admin.get("/open-services/").get_data(as_text=True)


def test_a_mistaken_entry_is_removed_and_the_removal_audited(app, demo, login_as):
    admin = login_as("admin")
    service = _service(demo, "Ångra test")
    before = len(_stored())
    _record(admin, service)
    entry_id = _stored()[-1]["id"]
    assert admin.post(f"/open-services/participation/{entry_id}/remove").status_code == 303
    assert len(_stored()) == before
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "open_participation.removed")
    ).one()


def test_the_demo_has_open_participation_to_report(demo, login_as):
    page = login_as("admin").get("/open-services/report").get_data(as_text=True)
    assert "Öppen familjeträff" not in page  # counts, not a list of services or people
    assert "Maja" not in page
    assert "deltagare under året" in page
