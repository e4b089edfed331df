"""The waiting-list offer's page: the SMS link opens it, one button books the nights."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.network.models import Constellation, Household
from hubhome.permissions import get_waitlist_entry_or_404
from hubhome.respite.booking_views import record_shown
from hubhome.respite.capacity import availability
from hubhome.respite.forms import ReasonForm
from hubhome.respite.models import WaitStatus
from hubhome.respite.views import booked_message, bp
from hubhome.respite.waitlist import book_offer, wait_again


@bp.route("/waitlist/<int:entry_id>/book", methods=["GET", "POST"])
@login_required
def book_offer_page(entry_id: int) -> Any:
    """Show the offered nights with one button that books them; a second tap is harmless."""
    entry = get_waitlist_entry_or_404(current_user, entry_id)
    if entry.booking_id is not None:
        flash(_("These nights are already booked."), "success")
        return redirect(url_for("respite.index"), 303)
    form = ReasonForm()
    done = submit(form, lambda: book_offer(db.session, current_user, entry))
    if done.saved:
        flash(booked_message(done.value), "success")
        return redirect(url_for("respite.index"), 303)
    constellation = db.session.get_one(Constellation, entry.constellation_id)
    hub = db.session.get(Household, constellation.hub_household_id or 0)
    nights = availability(db.session, hub, entry.check_in, entry.check_out) if hub else []
    fits = bool(nights) and all(n.free >= entry.beds for n in nights)
    if not fits and entry.status == WaitStatus.OFFERED and not form.is_submitted():
        wait_again(db.session, entry.id)
    if not form.is_submitted():
        record_shown(
            "respite.waitlist_viewed",
            entry,
            entry.household_id,
            (c.child_id for c in entry.children),
        )
    return render_template(
        "respite/offer.html",
        form=form,
        entry=entry,
        nights=nights,
        fits=fits and entry.status != WaitStatus.WITHDRAWN,
    ), done.status
