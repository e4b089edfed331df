"""The register extract (GDPR art. 15): complete for the person, nothing of other people's
children beyond what concerns them, JSON and page alike, and audited."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from hubhome.advice.models import AdviceContact
from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child, Placement
from hubhome.extensions import db
from hubhome.phone.models import Call
from hubhome.privacy.extract import ExtractSection, add_section, extract_sections
from hubhome.respite.models import RespiteBooking
from hubhome.visits.models import ContactVisit

SECTIONS = [
    "profile",
    "household",
    "constellations",
    "placements",
    "bookings",
    "advice",
    "calls",
    "messages",
    "visits",
    "conferences",
    "reads",
]


def download(client, **query):
    answer = client.get("/admin/register-extract/download", query_string=query)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/json"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    return answer.get_data(as_text=True), answer.get_json()


def rows(document, key):
    return next(s["rows"] for s in document["sections"] if s["key"] == key)


def test_a_carers_extract_holds_everything_about_them(demo, login_as):
    carer = demo.user("familj1")
    home = carer.household_id
    # someone reads their household's record: that read is in the extract
    reader = login_as("socialsekreterare")
    assert reader.get(f"/households/{home}").status_code == 200
    reader.post("/logout")
    client = login_as("admin")
    _text, document = download(client, user_id=carer.id)
    assert [s["key"] for s in document["sections"]] == SECTIONS
    assert document["subject"] == {"name": carer.name, "user_id": carer.id, "household_id": home}
    (profile,) = rows(document, "profile")
    assert profile["email"] == carer.email and profile["phone"] == carer.phone
    assert profile["personnummer"].endswith("-****")  # masked, as everywhere
    assert rows(document, "household")[0]["name"] == carer.household.name
    assert [r["constellation"] for r in rows(document, "constellations")] == ["Björnen"]

    def count(model, *where):
        return len(db.session.scalars(select(model.id).where(*where)).all())

    assert len(rows(document, "bookings")) == count(
        RespiteBooking,
        or_(RespiteBooking.household_id == home, RespiteBooking.hub_household_id == home),
    )
    assert len(rows(document, "advice")) == count(AdviceContact, AdviceContact.household_id == home)
    assert len(rows(document, "calls")) == count(
        Call, or_(Call.household_id == home, Call.caller_id == carer.id)
    )
    assert len(rows(document, "calls")) > 0
    placed = db.session.scalars(
        select(Child.first_name).join(Placement).where(Placement.household_id == home)
    ).all()
    assert sorted(r["child_first_name"] for r in rows(document, "placements")) == sorted(placed)
    assert any(
        r["action"] == "household.view" and r["who"] == demo.user("socialsekreterare").name
        for r in rows(document, "reads")
    )


def test_the_extract_holds_nothing_of_other_peoples_children(demo, login_as):
    carer = demo.user("familj1")
    client = login_as("admin")
    text, _document = download(client, user_id=carer.id)
    page = client.get("/admin/register-extract/view", query_string={"user_id": carer.id})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    children = db.session.scalars(select(Child)).all()
    placed_here = set(
        db.session.scalars(
            select(Placement.child_id).where(Placement.household_id == carer.household_id)
        )
    )
    assert placed_here  # the demo's familj1 has children placed
    names_here = {c.first_name for c in children if c.id in placed_here}
    for child in children:
        for shown in (text, html):
            assert child.personnummer not in shown
            assert child.birth_date.isoformat() not in shown
            assert f"{child.first_name} {child.last_name}" not in shown
            if child.first_name not in names_here:
                assert f'"child_first_name": "{child.first_name}"' not in shown


def test_a_person_without_an_account_is_found_by_name(demo, login_as):
    visit = db.session.scalars(select(ContactVisit).order_by(ContactVisit.id)).first()
    name = visit.relatives.split()[-1]  # a relative named in the visit, e.g. "mormor"
    client = login_as("admin")
    _text, document = download(client, name=name.upper())
    assert document["subject"]["user_id"] is None
    assert rows(document, "profile") == [
        {"name": name.upper(), "email": None, "phone": None, "role": None}
    ]
    assert visit.place in [r["place"] for r in rows(document, "visits")]
    assert rows(document, "household") == [] and rows(document, "calls") == []


def test_producing_an_extract_is_audited(demo, login_as):
    carer = demo.user("familj2")
    client = login_as("admin")
    download(client, user_id=carer.id)
    client.get("/admin/register-extract/view", query_string={"user_id": carer.id})
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "register_extract.produce")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.object_type, e.object_id, e.detail["format"]) for e in events] == [
        ("users", carer.id, "json"),
        ("users", carer.id, "html"),
    ]
    assert events[0].actor_id == demo.user("admin").id
    assert events[0].household_id == carer.household_id


def test_bad_choices_are_refused_clearly(demo, login_as):
    client = login_as("admin")
    answer = client.get("/admin/register-extract/view")
    assert answer.status_code == 422
    assert "Välj en person med konto" in answer.get_data(as_text=True)
    assert client.get("/admin/register-extract/view?user_id=99999999").status_code == 422
    assert client.get("/admin/register-extract/view?user_id=abc").status_code == 422
    assert client.get(f"/admin/register-extract/view?name={'x' * 121}").status_code == 422
    produced = select(AuditEvent.id).where(AuditEvent.action == "register_extract.produce")
    assert db.session.scalars(produced).all() == []


def test_only_administrators_produce_extracts(demo, login_as):
    for short in ("socialsekreterare", "granskare"):
        client = login_as(short)
        assert f"{short}@" in client.get("/account").get_data(as_text=True)
        assert client.get("/admin/register-extract").status_code == 403
        user_id = demo.user("familj1").id
        assert client.get(f"/admin/register-extract/download?user_id={user_id}").status_code == 403
        client.post("/logout")


def test_another_area_adds_its_section(app, demo, login_as):
    section = ExtractSection(
        "example",
        _l("Messages"),
        {"body": _l("Message")},
        lambda session, subject: [{"body": f"written by {subject.name}"}],
        order=45,
    )
    add_section(app, section)
    try:
        client = login_as("admin")
        carer = demo.user("familj1")
        _text, document = download(client, user_id=carer.id)
        keys = [s["key"] for s in document["sections"]]
        assert keys.index("example") == keys.index("bookings") + 1
        assert rows(document, "example") == [{"body": f"written by {carer.name}"}]
    finally:
        extract_sections.remove(app, section)
    json.dumps(document)


def test_the_messages_a_person_wrote_are_in_their_extract_and_nobody_elses(demo, login_as):
    carer, hub = demo.user("familj1"), demo.user("hubb.bjornen")
    client = login_as("admin")
    _text, document = download(client, user_id=carer.id)
    written = rows(document, "messages")
    assert written, "the demo's threads hold messages familj1 wrote"
    assert {r["thread"] for r in written} >= {"Björnen"}
    _text, hubs = download(client, user_id=hub.id)
    assert not {r["body"] for r in written} & {r["body"] for r in rows(hubs, "messages")}
