"""Moving a booking races a new booking for the last bed: one wins, the night never holds
more children than beds (PostgreSQL, under the hub's row lock)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hubhome.extensions import db
from hubhome.respite.models import RespiteBooking, RespiteBookingChild
from tests.conftest import is_postgres, login
from tests.respite_helpers import NOW, booking_body, children_of, set_beds
from tests.test_respite_concurrency import race

pytestmark = [
    pytest.mark.clock(NOW),
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="concurrency is proven on PostgreSQL"),
]

ROUNDS = 8


def test_a_move_and_a_booking_racing_for_the_last_bed_one_wins(app, demo, api_headers, frozen):
    set_beds(demo, 1)
    mover, other = demo.user("familj1"), demo.user("familj2")
    jour = api_headers("jour")
    mover_kid, other_kid = children_of(mover)[:1], children_of(other)[:1]
    other_household = other.household_id
    family = app.test_client()
    assert login(family, "familj1").status_code == 302
    for round_number in range(ROUNDS):
        start = date(2026, 12, 1) + timedelta(days=round_number)
        target = date(2027, 1, 4) + timedelta(days=round_number)
        created = app.test_client().post(
            "/api/v1/respite/bookings",
            json=booking_body(mover_kid, start, start + timedelta(days=1)),
            headers=api_headers("familj1"),
        )
        booking_id = created.get_json()["id"]

        def move(_client, booking_id=booking_id, target=target):
            return family.post(
                f"/respite/bookings/{booking_id}/dates",
                data={
                    "check_in": target.isoformat(),
                    "check_out": (target + timedelta(days=1)).isoformat(),
                },
            )

        def book(client, target=target):
            body = booking_body(
                other_kid,
                target,
                target + timedelta(days=1),
                household_id=other_household,
            )
            return client.post("/api/v1/respite/bookings", json=body, headers=jour)

        moved, booked = race(app, [move, book])
        assert sorted([moved.status_code == 303, booked.status_code == 201]) == [False, True]
        assert {moved.status_code, booked.status_code} - {303, 201} <= {409}
        held = db.session.scalar(
            select(func.count())
            .select_from(RespiteBookingChild)
            .join(RespiteBooking)
            .where(
                RespiteBooking.check_in <= target,
                RespiteBooking.check_out > target,
                RespiteBooking.status.in_(("requested", "approved")),
            )
        )
        assert held == 1, round_number
