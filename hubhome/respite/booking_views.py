"""Changing one booking from the pages: confirming a cancellation, moving it to other nights."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role
from hubhome.audit.services import record
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.permissions import can_cancel_booking, can_decide_booking, get_booking_or_404
from hubhome.respite import services
from hubhome.respite.forms import DatesForm, ReasonForm
from hubhome.respite.models import RespiteBooking
from hubhome.respite.views import bp


def _back(booking: RespiteBooking) -> str:
    """Where the user came from: the hub carer's page, or the family's respite page."""
    if current_user.role == Role.HUB_CARER and can_decide_booking(current_user, booking):
        return url_for("respite.hub")
    return url_for("respite.index")


def record_shown(action: str, obj: Any, household_id: int, child_ids: Iterable[int]) -> None:
    """A page that names a family's children is a read of their record: audit it."""
    record(
        db.session,
        current_user,
        action,
        obj,
        household_id=household_id,
        detail={"child_ids": sorted(child_ids)},
    )


def _shown(booking: RespiteBooking) -> None:
    record_shown(
        "respite.booking_viewed",
        booking,
        booking.household_id,
        (c.child_id for c in booking.children),
    )


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(booking_id: int) -> Any:
    """Ask before cancelling a booking; cancel it when the user confirms."""
    booking = get_booking_or_404(current_user, booking_id)
    if not can_cancel_booking(current_user, booking):
        abort(403)
    form = ReasonForm()
    done = submit(
        form,
        lambda: services.cancel(db.session, current_user, booking, form.reason.data or ""),
    )
    if done.saved:
        flash(_("The booking has been cancelled."), "success")
        return redirect(_back(booking), 303)
    if not form.is_submitted():
        _shown(booking)
    by_family = current_user.household_id == booking.household_id
    return render_template(
        "respite/cancel.html",
        form=form,
        booking=booking,
        by_family=by_family,
        back=_back(booking),
    ), done.status


@bp.route("/bookings/<int:booking_id>/dates", methods=["GET", "POST"])
@login_required
def change_dates(booking_id: int) -> Any:
    """Move a booking to other nights, checked against the free beds."""
    booking = get_booking_or_404(current_user, booking_id)
    if not can_cancel_booking(current_user, booking):
        abort(403)
    form = DatesForm(obj=booking)
    done = submit(
        form,
        lambda: services.change_dates(
            db.session, current_user, booking, form.check_in.data, form.check_out.data
        ),
    )
    if done.saved:
        flash(
            _("The new dates have been sent to the hub home.")
            if done.value.status == "requested"
            else _("The booking has been moved."),
            "success",
        )
        return redirect(_back(booking), 303)
    if not form.is_submitted():
        _shown(booking)
    return render_template(
        "respite/dates.html", form=form, booking=booking, back=_back(booking)
    ), done.status
