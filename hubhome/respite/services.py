"""What the respite pages, the API and the jobs call.

Asking for, deciding and cancelling stays (capacity enforced in the transaction) live in
`booking`, the hub's beds and closed periods in `capacity`, the waiting list in `waitlist`;
this module is the area's one entry point to them, and adds what the pages and the API
share. Every function takes the session and the acting user, raises a domain error to refuse,
and never commits.
"""

from __future__ import annotations

from typing import Literal

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.respite.booking import (
    BookingRequest,
    approve,
    cancel,
    complete_past_stays,
    decline,
    request_booking,
)
from hubhome.respite.capacity import block_period, remove_block, set_beds
from hubhome.respite.changes import change_dates
from hubhome.respite.models import RespiteBooking
from hubhome.respite.rules import rules_for, save_rules
from hubhome.respite.waitlist import join_waitlist, withdraw

__all__ = [
    "BookingRequest",
    "Decision",
    "cancel",
    "change_dates",
    "block_period",
    "complete_past_stays",
    "decide",
    "join_waitlist",
    "remove_block",
    "request_booking",
    "rules_for",
    "save_rules",
    "set_beds",
    "withdraw",
]

Decision = Literal["approve", "decline", "cancel"]


def decide(
    session: DbSession, actor: User, booking: RespiteBooking, action: Decision, reason: str = ""
) -> RespiteBooking:
    """Approve, decline or cancel a booking (compare-and-swap on its status)."""
    if action == "approve":
        return approve(session, actor, booking)
    if action == "decline":
        return decline(session, actor, booking, reason)
    return cancel(session, actor, booking, reason)
