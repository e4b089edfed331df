"""A change of a hub's beds from any form goes through capacity: under the hub's lock, and
refused, naming the nights, when it would leave booked children without a bed."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_date
from sqlalchemy import delete, select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.respite.models import (
    BookingKind,
    BookingStatus,
    RespiteBooking,
    RespiteBookingChild,
)
from hubhome.timeutil import local_today
from tests.respite_helpers import children_of, hub_of


def _book_two_children(demo, nights: int) -> list:  # type: ignore[no-untyped-def]
    """Two families' children at the Björnen hub for the same nights, from next week."""
    hub = hub_of(demo)
    db.session.execute(
        delete(RespiteBookingChild).where(
            RespiteBookingChild.booking_id.in_(
                select(RespiteBooking.id).where(RespiteBooking.hub_household_id == hub.id)
            )
        )
    )
    db.session.execute(delete(RespiteBooking).where(RespiteBooking.hub_household_id == hub.id))
    check_in = local_today() + timedelta(days=7)
    for short in ("familj1", "familj2"):
        family = demo.user(short)
        booking = RespiteBooking(
            constellation_id=demo.constellations["Björnen"].id,
            hub_household_id=hub.id,
            household_id=family.household_id,
            check_in=check_in,
            check_out=check_in + timedelta(days=nights),
            kind=BookingKind.PLANNED,
            status=BookingStatus.APPROVED,
            requested_by_id=family.id,
        )
        booking.children = [RespiteBookingChild(child_id=children_of(family)[0])]
        db.session.add(booking)
    hub.respite_beds = 2
    db.session.commit()
    return [check_in + timedelta(days=n) for n in range(nights)]


def _edit_beds(client, hub, beds: int):  # type: ignore[no-untyped-def]
    return client.post(
        f"/households/{hub.id}/edit",
        data={"name": hub.name, "kind": str(hub.kind), "respite_beds": str(beds)},
    )


def test_fewer_beds_than_booked_children_is_refused_naming_the_nights(client, login_as, demo):
    nights = _book_two_children(demo, 3)
    hub = hub_of(demo)
    login_as("admin")
    refused = _edit_beds(client, hub, 1)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "Bokade barn skulle stå utan säng de här nätterna" in page
    for night in nights:
        assert format_date(night, "d MMM yyyy", locale="sv") in page
    db.session.expire_all()
    assert hub_of(demo).respite_beds == 2  # nothing stranded
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "respite.beds_changed")
    ).all()


def test_a_change_that_strands_no_one_is_made_and_audited(client, login_as, demo):
    _book_two_children(demo, 2)
    hub = hub_of(demo)
    login_as("admin")
    assert _edit_beds(client, hub, 3).status_code == 302
    db.session.expire_all()
    assert hub_of(demo).respite_beds == 3
    changed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "respite.beds_changed")
    ).all()
    assert len(changed) == 1
