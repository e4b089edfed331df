"""A constellation's respite rules, and a family's planned nights against its yearly allowance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import func, select

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.network.models import Constellation, Household
from hubhome.network.services import current_constellation
from hubhome.permissions import can_set_respite_rules
from hubhome.respite.models import (
    BookingKind,
    BookingStatus,
    RespiteBooking,
    RespiteBookingChild,
    RespiteRules,
)

if TYPE_CHECKING:
    from hubhome.respite.booking import BookingRequest


@dataclass(frozen=True)
class Rules:
    """The respite rules a request is checked against: a constellation's stored ones, or
    these defaults where it stores none."""

    max_days_ahead: int = 180
    max_nights: int = 14
    yearly_planned_nights: int | None = None  # per household; None = no allowance


DEFAULT_RULES = Rules()


def _default_rules(constellation: Constellation) -> RespiteRules:
    return RespiteRules(
        constellation_id=constellation.id,
        max_days_ahead=DEFAULT_RULES.max_days_ahead,
        max_nights=DEFAULT_RULES.max_nights,
        yearly_planned_nights=DEFAULT_RULES.yearly_planned_nights,
    )


def rules_for(session: DbSession, constellation: Constellation) -> RespiteRules:
    """Return the constellation's respite rules (defaults when none are stored)."""
    return session.get(RespiteRules, constellation.id) or _default_rules(constellation)


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


@dataclass(frozen=True)
class Allowance:
    """A family's planned respite in a year: nights used (asked for, approved or stayed)
    and, where the constellation sets one, the yearly allowance and what is left of it."""

    year: int
    used: int
    allowance: int | None

    @property
    def left(self) -> int | None:
        return None if self.allowance is None else max(0, self.allowance - self.used)


def allowance_for(session: DbSession, household: Household, year: int) -> Allowance | None:
    """The family's planned respite this year, or None outside a constellation with a hub."""
    constellation = current_constellation(session, household)
    if constellation is None or constellation.hub_household_id is None:
        return None
    rules = rules_for(session, constellation)
    return Allowance(
        year, planned_nights_used(session, household.id, year), rules.yearly_planned_nights
    )


def planned_nights_used(session: DbSession, household_id: int, year: int) -> int:
    """Nights of planned respite a household has asked for or used in a calendar year."""
    bookings = session.execute(
        select(RespiteBooking.check_in, RespiteBooking.check_out).where(
            RespiteBooking.household_id == household_id,
            RespiteBooking.kind == BookingKind.PLANNED,
            RespiteBooking.status.in_(
                (BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.COMPLETED)
            ),
            RespiteBooking.check_in < date(year + 1, 1, 1),
            RespiteBooking.check_out > date(year, 1, 1),
        )
    ).all()
    return sum(nights_in_year(a, b, year) for a, b in bookings)


def nights_in_year(check_in: date, check_out: date, year: int) -> int:
    start, end = max(check_in, date(year, 1, 1)), min(check_out, date(year + 1, 1, 1))
    return max(0, (end - start).days)


def check_allowance(
    session: DbSession,
    household_id: int,
    rules: Rules,
    req: BookingRequest,
    giving_back: tuple[date, date] | None = None,
) -> None:
    """Refuse planned nights beyond the family's yearly allowance; `giving_back`: the nights
    of the booking being moved, which no longer count."""
    if req.kind != BookingKind.PLANNED or rules.yearly_planned_nights is None:
        return
    for year in {req.check_in.year, (req.check_out - timedelta(days=1)).year}:
        used = planned_nights_used(session, household_id, year)
        if giving_back is not None:
            used -= nights_in_year(*giving_back, year)
        if used + nights_in_year(req.check_in, req.check_out, year) > rules.yearly_planned_nights:
            raise invalid(
                "check_out",
                _(
                    "This exceeds the family's planned respite for %(year)s: %(left)s of "
                    "%(allowance)s nights left.",
                    year=year,
                    left=max(0, rules.yearly_planned_nights - used),
                    allowance=rules.yearly_planned_nights,
                ),
            )


def nights_by_kind(
    session: DbSession, household_ids: Sequence[int], year: int
) -> dict[tuple[int, str], int]:
    """Child-nights of respite per (household, kind) in a year (approved or completed stays)."""
    rows = session.execute(
        select(
            RespiteBooking.household_id,
            RespiteBooking.kind,
            RespiteBooking.check_in,
            RespiteBooking.check_out,
            func.count(RespiteBookingChild.child_id),
        )
        .join(RespiteBookingChild)
        .where(
            RespiteBooking.household_id.in_(list(household_ids)),
            RespiteBooking.status.in_((BookingStatus.APPROVED, BookingStatus.COMPLETED)),
            RespiteBooking.check_in < date(year + 1, 1, 1),
            RespiteBooking.check_out > date(year, 1, 1),
        )
        .group_by(
            RespiteBooking.id,
            RespiteBooking.household_id,
            RespiteBooking.kind,
            RespiteBooking.check_in,
            RespiteBooking.check_out,
        )
    ).all()
    totals: dict[tuple[int, str], int] = {}
    for household_id, kind, check_in, check_out, children in rows:
        key = (household_id, str(kind))
        totals[key] = totals.get(key, 0) + children * nights_in_year(check_in, check_out, year)
    return totals


def save_rules(
    session: DbSession,
    actor: User,
    constellation: Constellation,
    *,
    max_days_ahead: int,
    max_nights: int,
    yearly_planned_nights: int | None,
) -> RespiteRules:
    """Set a constellation's local respite rules (administrators and the liaison)."""
    if not can_set_respite_rules(actor, constellation):
        raise NotAllowed(_("Only the liaison and administrators set the respite rules."))
    rules = session.get(RespiteRules, constellation.id)
    if rules is None:
        rules = RespiteRules(constellation_id=constellation.id)
        session.add(rules)
    rules.max_days_ahead = max_days_ahead
    rules.max_nights = max_nights
    rules.yearly_planned_nights = yearly_planned_nights
    record(
        session,
        actor,
        "respite.rules_saved",
        constellation,
        detail={
            "max_days_ahead": max_days_ahead,
            "max_nights": max_nights,
            "yearly_planned_nights": yearly_planned_nights,
        },
    )
    return rules
