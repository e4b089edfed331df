"""The hub carer's respite page: tonight, the week, requests, the bed calendar, capacity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role
from hubhome.audit.services import record
from hubhome.errors import Conflict
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.network.models import Household
from hubhome.permissions import can_set_respite_rules, get_constellation_or_404
from hubhome.respite import capacity, queries, services
from hubhome.respite.forms import BedsForm, BlockForm, ReasonForm, RulesForm
from hubhome.respite.models import BlockedPeriod, BookingStatus, RespiteBooking
from hubhome.respite.views import bp
from hubhome.timeutil import local_today


def _own_hub() -> Household:
    if current_user.role != Role.HUB_CARER or current_user.household is None:
        abort(403)
    return current_user.household


@bp.route("/hub")
@login_required
def hub() -> Any:
    """Show tonight, the coming week with each child's notes, requests and the bed calendar.

    After a refused closed period (`closing_from`, `closing_to`) the bookings to resolve first
    are listed and the form keeps the nights asked for.
    """
    household = _own_hub()
    today = local_today()
    week = queries.visible_bookings(
        db.session,
        current_user,
        start=today,
        end=today + timedelta(days=8),
        hub_household_id=household.id,
        statuses=[BookingStatus.APPROVED, BookingStatus.REQUESTED],
    )
    pending = queries.visible_bookings(
        db.session,
        current_user,
        start=today,
        hub_household_id=household.id,
        statuses=[BookingStatus.REQUESTED],
    )
    block_form = BlockForm(formdata=None)
    colliding: Sequence[RespiteBooking] = []
    closing = _closing_asked()
    if closing is not None:
        block_form.start_date.data, block_form.last_night.data = closing
        colliding = queries.visible_bookings(
            db.session,
            current_user,
            start=closing[0],
            end=closing[1] + timedelta(days=1),
            hub_household_id=household.id,
            statuses=[BookingStatus.APPROVED, BookingStatus.REQUESTED],
        )
    child_ids = sorted({c.child_id for b in [*week, *colliding] for c in b.children})
    record(db.session, current_user, "respite.hub_view", household, detail={"child_ids": child_ids})
    return render_template(
        "respite/hub.html",
        hub=household,
        today=today,
        tonight=queries.tonight(db.session, current_user, household.id, today),
        week=week,
        pending=pending,
        nights=capacity.availability(db.session, household, today, today + timedelta(days=56)),
        reason_form=ReasonForm(),
        beds_form=BedsForm(),
        block_form=block_form,
        blocks=queries.blocked_periods(db.session, household.id, today),
        colliding=colliding,
    )


def _closing_asked() -> tuple[date, date] | None:
    """The first and last night of a refused closed period, from the query string."""
    try:
        first = date.fromisoformat(request.args.get("closing_from", ""))
        last = date.fromisoformat(request.args.get("closing_to", ""))
    except ValueError:
        return None
    return (first, last) if first <= last else None


@bp.route("/hub/beds", methods=["POST"])
@login_required
def set_beds() -> Any:
    """Change the number of beds from a date on."""
    household = _own_hub()
    form = BedsForm()
    submit(
        form,
        lambda: services.set_beds(
            db.session,
            current_user,
            household,
            effective_from=form.effective_from.data,
            beds=form.beds.data,
        ),
    ).flash(
        _("The number of beds has been saved."),
        invalid=_("Enter a date and a number of beds between 0 and 10."),
    )
    return redirect(url_for("respite.hub"), 303)


@bp.route("/hub/blocks", methods=["POST"])
@login_required
def block() -> Any:
    """Close the hub home for a period; refused with the list of bookings to resolve first."""
    household = _own_hub()
    form = BlockForm()
    done = submit(
        form,
        lambda: services.block_period(
            db.session,
            current_user,
            household,
            start=form.start_date.data,
            end=form.last_night.data + timedelta(days=1),
            reason=form.reason.data or "",
        ),
    )
    if isinstance(done.error, Conflict):  # bookings to resolve first: listed on the hub page
        flash(done.error.message, "error")
        return redirect(
            url_for(
                "respite.hub",
                closing_from=form.start_date.data.isoformat(),
                closing_to=form.last_night.data.isoformat(),
                _anchor="h-capacity",
            ),
            303,
        )
    done.flash(
        _("The period is closed for respite."), invalid=_("Enter the first and the last night.")
    )
    return redirect(url_for("respite.hub"), 303)


@bp.route("/hub/blocks/<int:block_id>/delete", methods=["POST"])
@login_required
def unblock(block_id: int) -> Any:
    """Open a closed period again."""
    household = _own_hub()
    period = db.session.get(BlockedPeriod, block_id)
    if period is None or period.household_id != household.id:
        abort(404)
    if not ReasonForm().validate_on_submit():
        abort(400)
    services.remove_block(db.session, current_user, period)
    return redirect(url_for("respite.hub"), 303)


@bp.route("/rules/<int:constellation_id>", methods=["GET", "POST"])
@login_required
def rules(constellation_id: int) -> Any:
    """Set how far ahead families may book, the longest stay and the yearly allowance."""
    constellation = get_constellation_or_404(current_user, constellation_id)
    if not can_set_respite_rules(current_user, constellation):
        abort(403)
    form = RulesForm(obj=services.rules_for(db.session, constellation))
    done = submit(
        form,
        lambda: services.save_rules(
            db.session,
            current_user,
            constellation,
            max_days_ahead=form.max_days_ahead.data,
            max_nights=form.max_nights.data,
            yearly_planned_nights=form.yearly_planned_nights.data,
        ),
    )
    if done.saved:
        flash(_("The respite rules have been saved."), "success")
        return redirect(url_for("respite.overview"), 303)
    return render_template(
        "respite/rules.html", form=form, constellation=constellation
    ), done.status
