"""Who may book, decide and cancel respite, set its rules, and which bookings and waiting-list
places they see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from hubhome.accounts.models import Role, User
from hubhome.extensions import db
from hubhome.network.models import Constellation, Household
from hubhome.permissions.core import can_view_household, get_or_404, household_ids_visible_to


def can_book_for(user: User, household: Household) -> bool:
    """Families book for themselves; hub carer, liaison, on-call staff and admins for them."""
    if household.organisation_id != user.organisation_id:
        return False
    if user.role == Role.FOSTER_CARER:
        return user.household_id == household.id
    return can_view_household(user, household)


def can_decide_booking(user: User, booking: Any) -> bool:
    """The hub carer of the hub home decides; administrators may stand in."""
    if user.role == Role.HUB_CARER:
        return user.household_id == booking.hub_household_id
    return user.role == Role.ADMIN and _same_org_household(user, booking.household_id)


def can_cancel_booking(user: User, booking: Any) -> bool:
    """The family itself, the hub carer, and administrators."""
    if user.household_id == booking.household_id:
        return True
    return can_decide_booking(user, booking)


def books_approved_at_once(user: User, kind: str) -> bool:
    """An emergency stay asked for by the hub carer or on-call staff needs no approval."""
    return kind == "emergency" and user.role in (Role.HUB_CARER, Role.ONCALL_STAFF)


def can_set_respite_rules(user: User, constellation: Constellation) -> bool:
    """Administrators, and the constellation's liaison, set its local respite rules."""
    if constellation.organisation_id != user.organisation_id:
        return False
    if user.role == Role.SOCIAL_WORKER:
        return constellation.liaison_id == user.id
    return user.role == Role.ADMIN


def _same_org_household(user: User, household_id: int) -> bool:
    household = db.session.get(Household, household_id)
    return household is not None and household.organisation_id == user.organisation_id


def respite_booking_ids_visible_to(user: User) -> Select[Any]:
    """Bookings of the households a user may see, and of the hub home they run."""
    from hubhome.respite.models import RespiteBooking

    query = select(RespiteBooking.id).where(
        RespiteBooking.household_id.in_(household_ids_visible_to(user))
    )
    if user.role == Role.HUB_CARER and user.household_id is not None:
        query = select(RespiteBooking.id).where(
            or_(
                RespiteBooking.household_id.in_(household_ids_visible_to(user)),
                RespiteBooking.hub_household_id == user.household_id,
            )
        )
    return query


def get_booking_or_404(user: User, booking_id: int) -> Any:
    from hubhome.respite.models import RespiteBooking

    return get_or_404(RespiteBooking, booking_id, respite_booking_ids_visible_to(user))


def waitlist_entry_ids_visible_to(user: User) -> Select[Any]:
    """Waiting-list places of the households a user may see (a family: its own)."""
    from hubhome.respite.models import RespiteWaitlistEntry

    return select(RespiteWaitlistEntry.id).where(
        RespiteWaitlistEntry.household_id.in_(household_ids_visible_to(user))
    )


def get_waitlist_entry_or_404(user: User, entry_id: int) -> Any:
    from hubhome.respite.models import RespiteWaitlistEntry

    return get_or_404(RespiteWaitlistEntry, entry_id, waitlist_entry_ids_visible_to(user))
