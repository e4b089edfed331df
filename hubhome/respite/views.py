"""Respite pages for families, on-call staff and the liaison."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role
from hubhome.api.bounds import db_int
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.network.models import Household
from hubhome.network.services import current_constellation, visible_constellations
from hubhome.permissions import (
    can_book_for,
    can_set_respite_rules,
    get_booking_or_404,
    get_household_or_404,
    get_waitlist_entry_or_404,
)
from hubhome.respite import queries, services
from hubhome.respite.capacity import availability
from hubhome.respite.forms import BookingForm, ReasonForm, WaitlistForm
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking
from hubhome.respite.month import clamp_month, month_view, next_month, parse_month
from hubhome.respite.reports import household_mix
from hubhome.respite.rules import allowance_for
from hubhome.timeutil import local_today

bp = Blueprint("respite", __name__, url_prefix="/respite")


@bp.route("/")
@login_required
def index() -> Any:
    """Send each role to its respite page; families see their own."""
    if current_user.role == Role.HUB_CARER:
        return redirect(url_for("respite.hub"))
    if current_user.role in (Role.SOCIAL_WORKER, Role.ADMIN):
        return redirect(url_for("respite.overview"))
    if current_user.role == Role.ONCALL_STAFF:
        return redirect(url_for("respite.book"))
    household = current_user.household
    if household is None:
        abort(404)
    today = local_today()
    return render_template(
        "respite/family.html",
        **_calendar(household),
        bookings=queries.visible_bookings(db.session, current_user, start=today),
        waiting=queries.waitlist_for(db.session, household.id),
        cancel_form=ReasonForm(),
        today=today,
    )


def _booking_form(household: Household | None) -> BookingForm:
    form = BookingForm()
    if current_user.role == Role.FOSTER_CARER:
        form.household_id.choices = choices(
            [(current_user.household_id, current_user.household.name)]
        )
        household = current_user.household
    else:
        form.household_id.choices = choices(
            [(0, _("Choose a family"))]
            + [(h.id, h.name) for h in queries.bookable_households(db.session, current_user)]
        )
    chosen = household or (
        db.session.get(Household, form.household_id.data) if form.household_id.data else None
    )
    kids = queries.placed_children(db.session, chosen.id) if chosen else []
    form.child_ids.choices = choices((c.id, c.first_name) for c in kids)
    if not form.idempotency_key.data:
        form.idempotency_key.data = uuid.uuid4().hex
    return form


@bp.route("/book", methods=["GET", "POST"])
@login_required
def book() -> Any:
    """Ask for respite nights, chosen on a month of free nights or typed in; a full night
    is named and the waiting list offered."""
    household = None
    wanted = request.args.get("household_id", type=db_int)
    if wanted:
        household = get_household_or_404(current_user, wanted)
        if not can_book_for(current_user, household):
            abort(403)
    form = _booking_form(household)
    if household is not None and request.method == "GET":
        form.household_id.data = household.id
    if request.method == "GET":
        form.check_in.data = _date_arg("check_in")
        form.check_out.data = _date_arg("check_out")
    done = submit(
        form,
        lambda: services.request_booking(
            db.session,
            current_user,
            services.BookingRequest(
                household_id=form.household_id.data or (household.id if household else 0),
                child_ids=form.child_ids.data or [],
                check_in=form.check_in.data,
                check_out=form.check_out.data,
                kind=BookingKind(form.kind.data),
                note=form.note.data or "",
                idempotency_key=form.idempotency_key.data or None,
            ),
        ),
    )
    if done.saved:
        flash(booked_message(done.value), "success")
        return redirect(url_for("respite.index"))
    extra = done.error.extra if done.error else {}
    free_on = {date.fromisoformat(day): free for day, free in extra.get("free", {}).items()}
    full_nights = list(extra.get("full_nights", []))
    waitlist_form = (
        WaitlistForm(
            formdata=None,  # from what was asked, not from the booking form's fields
            household_id=form.household_id.data,
            check_in=form.check_in.data,
            check_out=form.check_out.data,
            beds=len(form.child_ids.data or []),
            kind=form.kind.data,
            child_ids=",".join(str(c) for c in form.child_ids.data or []),
            note=form.note.data or "",
        )
        if full_nights
        else None
    )
    if current_user.role == Role.FOSTER_CARER:
        household = current_user.household
    elif household is None and form.household_id.data:
        household = get_household_or_404(current_user, form.household_id.data)
    return render_template(
        "respite/book.html",
        form=form,
        full_nights=full_nights,
        free_on=free_on,
        wanted=extra.get("wanted", 0),
        waitlist_form=waitlist_form,
        **_calendar(household, form.check_in.data, form.check_out.data),
    ), done.status


def booked_message(booking: RespiteBooking) -> str:
    """What the family reads once a booking is made: sent to the hub, or approved."""
    if booking.status == BookingStatus.REQUESTED:
        return _("Your request has been sent to the hub home.")
    return _("The booking is approved.")


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _calendar(
    household: Household | None, check_in: date | None = None, check_out: date | None = None
) -> dict[str, Any]:
    """The month of free nights at the family's hub home, and the family's allowance."""
    if household is None:
        return {"month": None, "allowance": None}
    constellation = current_constellation(db.session, household)
    if constellation is None or constellation.hub_household_id in (None, household.id):
        return {"month": None, "allowance": None}
    hub = db.session.get_one(Household, constellation.hub_household_id)
    today = local_today()
    last = today + timedelta(days=services.rules_for(db.session, constellation).max_days_ahead)
    first = clamp_month(parse_month(request.args.get("month"), check_in or today), today, last)
    nights = availability(db.session, hub, first, next_month(first))
    return {
        "month": month_view(first, nights, today, last),
        "allowance": allowance_for(db.session, household, (check_in or today).year),
        "calendar_household": household,
        "cal_in": check_in,
        "cal_out": check_out,
    }


@bp.route("/waitlist", methods=["POST"])
@login_required
def join_waitlist() -> Any:
    """Put the family on the waiting list for the nights that were full."""
    form = WaitlistForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        household = get_household_or_404(current_user, db_int(form.household_id.data or "0"))
        check_in = date.fromisoformat(form.check_in.data or "")
        check_out = date.fromisoformat(form.check_out.data or "")
        beds, kind = min(int(form.beds.data or 0), 10), BookingKind(form.kind.data or "planned")
        child_ids = [db_int(c) for c in (form.child_ids.data or "").split(",") if c][:10]
    except ValueError:
        abort(400)
    services.join_waitlist(
        db.session,
        current_user,
        household,
        check_in=check_in,
        check_out=check_out,
        beds=beds,
        kind=kind,
        child_ids=child_ids,
        note=form.note.data or "",
    )
    flash(_("You are on the waiting list. We send an SMS when beds become free."), "success")
    return redirect(url_for("respite.index"))


@bp.route("/waitlist/<int:entry_id>/withdraw", methods=["POST"])
@login_required
def withdraw(entry_id: int) -> Any:
    """Leave the waiting list (404 for a place outside the user's scope)."""
    entry = get_waitlist_entry_or_404(current_user, entry_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    services.withdraw(db.session, current_user, entry)
    return redirect(url_for("respite.index"))


@bp.route("/bookings/<int:booking_id>/<any(approve, decline):action>", methods=["POST"])
@login_required
def decide(booking_id: int, action: services.Decision) -> Any:
    """Approve or decline a booking (compare-and-swap on its status)."""
    booking = get_booking_or_404(current_user, booking_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    attempt(
        lambda: services.decide(db.session, current_user, booking, action, form.reason.data or "")
    ).flash(_("The booking has been updated."))
    return redirect(request.referrer or url_for("respite.index")), 303


@bp.route("/overview")
@login_required
def overview() -> Any:
    """The liaison's view: each constellation's respite, planned versus emergency, per family."""
    if current_user.role not in (Role.SOCIAL_WORKER, Role.ADMIN, Role.HUB_CARER):
        abort(403)
    year = request.args.get("year", type=db_int) or local_today().year
    constellations = visible_constellations(db.session, current_user)
    rows = household_mix(db.session, current_user, constellations, year)
    return render_template(
        "respite/overview.html",
        rows=rows,
        year=year,
        constellations=[c for c in constellations if can_set_respite_rules(current_user, c)],
    )


from hubhome.respite import (  # noqa: E402,F401  (routes on the same blueprint)
    booking_views,
    hub_views,
    waitlist_views,
)
