"""The caseload: what is due for each placed child, in words, and recording follow-up."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from hubhome.audit.models import AuditEvent
from hubhome.caseload.sources import (
    CaseloadExtra,
    CaseloadNote,
    register_caseload_source,
    unregister_caseload_source,
)
from hubhome.extensions import db
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking, RespiteBookingChild
from tests.conftest import login
from tests.monitoring_helpers import NOW, WORKER, household, make_worker, place_child

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def caseload(app, demo, client, frozen):
    """Two children: Alma is overdue for a visit and a review, Bo was placed last month."""
    worker = make_worker()
    alma = place_child(worker, "Familjen Andersson", "Alma", date(2026, 1, 10))
    bo = place_child(worker, "Familjen Nyström", "Bo", date(2026, 10, 1))
    login(client, WORKER)
    return {"worker": worker, "alma": alma, "bo": bo}


def page(client, url="/caseload/"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_overdue_visit_and_review_are_said_in_words(client, caseload):
    client.post(
        f"/caseload/children/{caseload['alma'].id}/visit",
        data={"visit_date": "2026-06-01", "private_talk": "y", "note": "Bra samtal."},
    )
    text = page(client)
    # Visit on 1 June + 365/4 = 91 days -> due 31 August: 84 days overdue on 23 November.
    assert "Overdue by 84 days" in text
    # No review: due six calendar months after the start (10 July), 136 days ago.
    assert "Overdue by 136 days" in text
    assert "Talked with the child alone" in text
    # Bo: placed 1 October, first visit due 31 December (38 days), review 1 April.
    assert "in 38 days" in text
    assert "No visit recorded" in text
    assert "Constellation Björnen" in text and "Constellation Räven" in text
    assert "0 years, 10 months" in text


def test_recording_visit_and_review_moves_the_dues(client, caseload):
    alma = caseload["alma"].id
    response = client.post(
        f"/caseload/children/{alma}/visit",
        data={"visit_date": "2026-11-20", "note": "Hembesök."},
    )
    assert response.status_code == 302
    response = client.post(
        f"/caseload/children/{alma}/review",
        data={"review_date": "2026-11-23", "outcome": "Placeringen fortsätter"},
    )
    assert response.status_code == 302
    text = page(client, "/caseload/?due=overdue")
    assert "Alma" not in text  # nothing overdue any more
    text = page(client)
    assert "in 88 days" in text  # 20 Nov + 91 days = 19 Feb
    assert "No private talk" in text
    text = page(client, "/caseload/?due=private_talk")
    assert "Alma" in text and "Bo" in text


def test_filters_and_sorting(client, caseload):
    text = page(client, "/caseload/?due=overdue")
    assert "Alma" in text and "Bo Testsson" not in text
    text = page(client, "/caseload/?constellation=Räven")
    assert "Bo Testsson" in text and "Alma Testsson" not in text
    text = page(client, "/caseload/?sort=start")
    assert text.index("Alma Testsson") < text.index("Bo Testsson")
    text = page(client, "/caseload/?sort=review")
    assert text.index("Alma Testsson") < text.index("Bo Testsson")


def test_a_visit_in_the_future_is_refused_and_nothing_is_written(client, caseload):
    response = client.post(
        f"/caseload/children/{caseload['alma'].id}/visit", data={"visit_date": "2026-12-01"}
    )
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.get_data(as_text=True)
    response = client.post(
        f"/caseload/children/{caseload['alma'].id}/review", data={"review_date": "2026-11-01"}
    )
    assert response.status_code == 422
    from hubhome.caseload.models import FollowUpVisit, PlacementReview

    alma = caseload["alma"].id
    assert not db.session.scalar(select(func.count()).where(FollowUpVisit.child_id == alma))
    assert not db.session.scalar(select(func.count()).where(PlacementReview.child_id == alma))


def test_respite_nights_this_year_by_kind(client, caseload, demo):
    alma = caseload["alma"]
    hub = household("Navfamiljen Ek")
    for check_in, check_out, kind, status in [
        (date(2026, 3, 6), date(2026, 3, 8), BookingKind.PLANNED, BookingStatus.COMPLETED),
        (date(2025, 12, 30), date(2026, 1, 2), BookingKind.EMERGENCY, BookingStatus.COMPLETED),
        (date(2026, 12, 4), date(2026, 12, 5), BookingKind.PLANNED, BookingStatus.APPROVED),
        (date(2026, 5, 1), date(2026, 5, 9), BookingKind.PLANNED, BookingStatus.DECLINED),
    ]:
        booking = RespiteBooking(
            constellation_id=demo.constellations["Björnen"].id,
            hub_household_id=hub.id,
            household_id=household("Familjen Andersson").id,
            check_in=check_in,
            check_out=check_out,
            kind=kind,
            status=status,
            requested_by_id=demo.user("familj1").id,
        )
        booking.children = [RespiteBookingChild(child_id=alma.id)]
        db.session.add(booking)
    db.session.commit()
    text = page(client)
    # 2 + 1 planned nights; 1 emergency night falls in 2026 (1 January).
    assert "3 planned nights, 1 emergency night" in text


def test_each_child_shown_is_an_audited_read(client, caseload):
    page(client)
    viewed = set(
        db.session.scalars(
            select(AuditEvent.child_id).where(
                AuditEvent.action == "child.view", AuditEvent.actor_id == caseload["worker"].id
            )
        )
    )
    assert viewed == {caseload["alma"].id, caseload["bo"].id}


def test_registered_sources_fill_the_extra_column_concerns_first(client, caseload):
    alma = caseload["alma"].id

    def fake(session, child_ids, today):
        assert alma in child_ids
        return {
            alma: CaseloadExtra(
                notes=[
                    CaseloadNote(
                        "Contact restriction to review", due=date(2026, 11, 1), overdue=True
                    ),
                    CaseloadNote("Advice call about sleep", concern=True),
                ]
            )
        }

    register_caseload_source(fake)
    try:
        text = page(client)
    finally:
        unregister_caseload_source(fake)
    assert "Not connected yet" not in text
    assert text.index("Advice call about sleep") < text.index("Contact restriction to review")
    assert "Concern:" in text
    assert "overdue since" in text


def test_queries_do_not_grow_with_the_caseload(app, other_app, caseload):
    counting = other_app(count_queries=True)
    client = counting.test_client()
    login(client, WORKER)
    small = int(client.get("/caseload/").headers["X-Query-Count"])
    for i in range(12):
        place_child(caseload["worker"], "Familjen Berg", f"Extra{i}", date(2025, 1, 1 + i))
    db.session.commit()
    response = client.get("/caseload/")
    assert "Extra11" in response.get_data(as_text=True)
    assert int(response.headers["X-Query-Count"]) == small


def test_the_page_is_swedish_by_default(app, demo, client, frozen):
    worker = make_worker("sv.handlaggare@demo.hubhome.test", locale="sv")
    place_child(worker, "Familjen Andersson", "Alma", date(2026, 1, 10))
    login(client, "sv.handlaggare@demo.hubhome.test")
    text = page(client)
    assert "Försenat med 136 dagar" in text


def test_admin_sets_the_target_and_sees_any_workers_caseload(app, demo, client, caseload):
    client = app.test_client()
    login(client, "admin")
    response = client.post("/caseload/settings", data={"visits_per_year": "0"})
    assert response.status_code == 422
    response = client.post("/caseload/settings", data={"visits_per_year": "12"})
    assert response.status_code == 302
    text = page(client, f"/caseload/?worker={caseload['worker'].id}")
    assert "Alma Testsson" in text
    # No visit: placed 10 Jan + 30 days (365/12) = 9 Feb.
    assert "Försenat med 287 dagar" in text


def test_home_panel_says_what_is_overdue(client, caseload):
    text = page(client, "/home")
    assert "1 follow-up visit is overdue." in text
    assert "1 placement review is overdue." in text
    assert "1 child has a visit or review due within two weeks." not in text
