"""Respite in the permission matrix: own, same constellation, other constellation, other
organisation, for pages and API alike."""

from datetime import date

import pytest
import time_machine

from hubhome.extensions import db
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking, RespiteBookingChild
from tests.permission_matrix import Case, build_targets, run_cases
from tests.respite_helpers import NOW

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def targets(app, demo):
    targets = build_targets(demo)
    familj1 = demo.user("familj1")
    booking = RespiteBooking(
        constellation_id=targets.ids["bjornen"],
        hub_household_id=targets.ids["hub_bjornen"],
        household_id=targets.ids["familj1_home"],
        check_in=date(2026, 12, 4),
        check_out=date(2026, 12, 5),
        kind=BookingKind.PLANNED,
        status=BookingStatus.REQUESTED,
        requested_by_id=familj1.id,
    )
    booking.children = [RespiteBookingChild(child_id=targets.ids["familj1_child"])]
    db.session.add(booking)
    db.session.commit()
    targets.ids["booking"] = booking.id
    return targets


AVAILABILITY = "/api/v1/respite/availability?constellation_id={%s}&from=2026-12-01&to=2026-12-03"
APPROVE = "/api/v1/respite/bookings/{booking}/approve"

CASES = [
    # Free beds are shared within the constellation, never across it.
    Case("familj1", "GET", AVAILABILITY % "bjornen", 200),
    Case("familj2", "GET", AVAILABILITY % "bjornen", 200),
    Case("familj9", "GET", AVAILABILITY % "bjornen", 404),
    Case("hubb.raven", "GET", AVAILABILITY % "bjornen", 404),
    Case("other_familj", "GET", AVAILABILITY % "bjornen", 404),
    Case("other_admin", "GET", AVAILABILITY % "bjornen", 404),
    Case("admin", "GET", AVAILABILITY % "other_constellation", 404),
    # Deciding: only the hub carer of that hub home (or an admin of the organisation).
    Case("familj1", "POST", APPROVE, 403, {}),
    Case("familj2", "POST", APPROVE, 404, {}),
    Case("familj9", "POST", APPROVE, 404, {}),
    Case("hubb.raven", "POST", APPROVE, 404, {}),
    Case("jour", "POST", APPROVE, 403, {}),
    Case("other_admin", "POST", APPROVE, 404, {}),
    Case("hubb.bjornen", "POST", APPROVE, 200, {}),
    # Pages: each role reaches its own respite page.
    Case("familj1", "GET", "/respite/", 200),
    Case("familj1", "GET", "/respite/hub", 403),
    Case("familj1", "GET", "/respite/overview", 403),
    Case("hubb.bjornen", "GET", "/respite/hub", 200),
    Case("socialsekreterare", "GET", "/respite/overview", 200),
    Case("jour", "GET", "/respite/book", 200),
    Case("familj1", "GET", "/respite/book?household_id={familj2_home}", 404),
    Case("hubb.bjornen", "GET", "/respite/book?household_id={familj9_home}", 404),
    Case("other_admin", "GET", "/respite/book?household_id={familj1_home}", 404),
    Case("anonymous", "GET", "/respite/", 302),
]


def test_respite_permission_matrix(app, targets):
    with time_machine.travel(NOW, tick=False):
        failures = run_cases(app, targets, CASES)
    assert not failures, "\n".join(failures)
