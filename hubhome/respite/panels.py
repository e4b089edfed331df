"""The respite panel on the home page: requests to decide, or the family's next stay."""

from __future__ import annotations

from typing import Any

from hubhome.accounts.models import Role, User
from hubhome.extensions import db
from hubhome.respite import queries
from hubhome.respite.models import BookingStatus
from hubhome.respite.queries import visible_bookings
from hubhome.timeutil import local_today


def home_panel(user: User) -> dict[str, Any] | None:
    if user.household_id is None:
        return None
    today = local_today()
    if user.role == Role.HUB_CARER:
        pending = visible_bookings(
            db.session,
            user,
            start=today,
            hub_household_id=user.household_id,
            statuses=[BookingStatus.REQUESTED],
        )
        tonight = queries.tonight(db.session, user, user.household_id, today)
        return {"pending": len(pending), "tonight": len(tonight), "hub": True}
    coming = [
        b
        for b in visible_bookings(db.session, user, start=today)
        if b.household_id == user.household_id
        and b.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED)
    ]
    return {"next": coming[0] if coming else None, "hub": False}
