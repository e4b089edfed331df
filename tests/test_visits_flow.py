"""Contact visits and restrictions: who sees them (every role and relationship), notes
afterwards, restriction reviews every three months, audited reads, and the API."""

from datetime import date

import pytest
from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.visits.models import ContactRestriction, ContactVisit, VisitStatus
from hubhome.visits.services import restriction_reviews_due
from tests.activity_helpers import (
    NOW,
    add_responsible_worker,
    without_demo_everyday,  # noqa: F401
)
from tests.conftest import login
from tests.permission_matrix import Case, build_targets, run_cases

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("without_demo_everyday")]


@pytest.fixture
def targets(app, demo):
    """The demo plus a second social worker responsible for familj1's child only: the
    liaison (socialsekreterare) is then no longer that child's responsible worker."""
    targets = build_targets(demo)
    targets.ids["responsible"] = add_responsible_worker(demo, targets.ids["familj1_child"])
    return targets


def _visit_form(child_id, **extra):
    form = {
        "child_id": child_id,
        "relatives": "Mamma och morbror",
        "place": "Navhemmet",
        "supervisor": "hub_carer",
        "supervisor_name": "",
        "day": "2026-12-05",
        "start": "10:00",
        "end": "12:00",
    }
    form.update(extra)
    return form


@pytest.fixture
def visit(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.bjornen")
    response = client.post("/visits/new", data=_visit_form(targets.ids["familj1_child"]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    return db.session.scalar(select(ContactVisit))


# Who sees familj1's child's visits: its household, Björnen's hub carer, the responsible
# social worker and admins of the organisation. Not the liaison who is not responsible, not
# other families (same or other constellation), not on-call staff, not another organisation.
SEES = {
    "familj1": 200,
    "hubb.bjornen": 200,
    "ansvarig": 200,
    "admin": 200,
    "socialsekreterare": 404,
    "familj2": 404,
    "familj9": 404,
    "hubb.raven": 404,
    "jour": 404,
    "other_admin": 404,
    "other_familj": 404,
}


def test_visit_is_visible_to_exactly_the_child_s_circle(visit, app, targets):
    targets.ids["visit"] = visit.id
    cases = [Case(who, "GET", "/visits/{visit}", status) for who, status in SEES.items()]
    failures = run_cases(app, targets, cases)
    assert not failures, "\n".join(failures)


def test_visit_list_and_api_agree_with_the_single_visit(visit, app, targets):
    from tests.permission_matrix import Actors

    actors = Actors(app)
    for who, status in SEES.items():
        listed = app.test_client().get("/api/v1/contact-visits", headers=actors.headers(who))
        if who == "jour":
            assert listed.status_code == 200 and listed.get_json() == []
            assert actors.request(who, "GET", "/visits/").status_code == 403
            continue
        ids = [v["id"] for v in listed.get_json()]
        assert (visit.id in ids) == (status == 200), who
        page = actors.request(who, "GET", "/visits/").get_data(as_text=True)
        assert ("Mamma och morbror" in page) == (status == 200), who


def test_reading_a_visit_is_audited_as_part_of_the_child_s_record(visit, app, targets):
    client = app.test_client()
    login(client, "familj1")
    client.get(f"/visits/{visit.id}")
    reads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "contact_visit.read")
    ).all()
    assert [e.child_id for e in reads] == [targets.ids["familj1_child"]]
    creates = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "contact_visit.create")
    ).all()
    assert [e.child_id for e in creates] == [targets.ids["familj1_child"]]


def test_hub_carer_writes_how_it_went_and_the_family_cannot(visit, app):
    family = app.test_client()
    login(family, "familj1")
    refused = family.post(f"/visits/{visit.id}/outcome", data={"held": "yes", "note": "x"})
    assert refused.status_code == 403
    hub = app.test_client()
    login(hub, "hubb.bjornen")
    response = hub.post(
        f"/visits/{visit.id}/outcome", data={"held": "yes", "note": "Lugnt och fint."}
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(ContactVisit, visit.id)
    assert saved.status == VisitStatus.HELD and saved.note_after == "Lugnt och fint."
    assert "Lugnt och fint." in family.get(f"/visits/{visit.id}").get_data(as_text=True)


def test_a_visit_for_a_child_outside_scope_is_refused(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.raven")
    response = client.post("/visits/new", data=_visit_form(targets.ids["familj1_child"]))
    assert response.status_code == 422
    assert db.session.scalar(select(ContactVisit)) is None


def test_bad_visit_times_name_the_field_and_save_nothing(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.bjornen")
    response = client.post(
        "/visits/new", data=_visit_form(targets.ids["familj1_child"], start="12:00", end="11:00")
    )
    assert response.status_code == 422
    assert "Sluttiden måste vara efter starttiden" in response.get_data(as_text=True)
    assert db.session.scalar(select(ContactVisit)) is None


def _restrict(client, child_id, decided_on="2026-08-01"):
    return client.post(
        "/visits/restrictions/new",
        data={
            "child_id": child_id,
            "decided_on": decided_on,
            "relatives": "Pappa",
            "decision": "Umgänge endast med stöd av personal.",
        },
    )


def test_restriction_review_is_due_every_three_months_and_shows_on_the_lists(frozen, app, targets):
    worker = app.test_client()
    login(worker, "ansvarig@demo.hubhome.test")
    assert _restrict(worker, targets.ids["familj1_child"]).status_code == 302
    restriction = db.session.scalar(select(ContactRestriction))
    assert restriction.review_due == date(2026, 11, 1)
    # Overdue on 23 November: on the reviews page and the home panel.
    page = worker.get("/visits/reviews").get_data(as_text=True)
    assert "Omprövning försenad sedan" in page and "Pappa" in page
    home = worker.get("/home").get_data(as_text=True)
    assert "1 omprövning av umgängesbegränsning ska göras." in home
    # The liaison who is not responsible does not see it.
    liaison = app.test_client()
    login(liaison, "socialsekreterare")
    assert "Pappa" not in liaison.get("/visits/reviews").get_data(as_text=True)
    # Kept at review: due again three months on, and off the list.
    response = worker.post(
        f"/visits/restrictions/{restriction.id}/review",
        data={"reviewed_on": "2026-11-23", "keep": "keep"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ContactRestriction, restriction.id).review_due == date(2027, 2, 23)
    assert "Pappa" not in worker.get("/visits/reviews").get_data(as_text=True)


def test_only_social_workers_and_admins_record_restrictions(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.bjornen")
    assert _restrict(client, targets.ids["familj1_child"]).status_code == 403
    assert db.session.scalar(select(ContactRestriction)) is None


def test_restriction_reviews_due_for_the_monitoring_area(frozen, app, targets):
    worker = app.test_client()
    login(worker, "ansvarig@demo.hubhome.test")
    _restrict(worker, targets.ids["familj1_child"], decided_on="2026-09-01")  # due 1 Dec
    child = targets.ids["familj1_child"]
    due = restriction_reviews_due(db.session, [child], date(2026, 11, 17))
    assert len(due) == 1 and not due[0].overdue  # within two weeks
    assert restriction_reviews_due(db.session, [child], date(2026, 11, 16)) == []
    assert restriction_reviews_due(db.session, [child], date(2026, 12, 2))[0].overdue
    assert (
        restriction_reviews_due(db.session, [targets.ids["familj2_child"]], date(2027, 1, 1)) == []
    )
