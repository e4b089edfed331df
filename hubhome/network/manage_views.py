"""Administrators build the network: constellations, households and their memberships."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.network import services
from hubhome.network.forms import ConstellationForm, HouseholdForm, LeaveForm, MembershipForm
from hubhome.network.models import HouseholdKind
from hubhome.network.views import bp
from hubhome.permissions import (
    can_manage_network,
    get_constellation_or_404,
    get_household_or_404,
)


def _require_admin() -> None:
    if not can_manage_network(current_user):
        abort(403)


def _constellation_choices(form: ConstellationForm) -> None:
    hubs = [h for h in services.visible_households(db.session, current_user) if h.kind == "hub"]
    social_workers = db.session.scalars(
        select(User)
        .where(
            User.organisation_id == current_user.organisation_id,
            User.role == Role.SOCIAL_WORKER,
            User.active.is_(True),
        )
        .order_by(User.name)
    )
    form.hub_household_id.choices = choices([(0, _("None yet"))] + [(h.id, h.name) for h in hubs])
    form.liaison_id.choices = choices(
        [(0, _("None yet"))] + [(u.id, u.name) for u in social_workers]
    )


@bp.route("/constellations/new", methods=["GET", "POST"])
@bp.route("/constellations/<int:constellation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_constellation(constellation_id: int | None = None) -> Any:
    """Create or edit a constellation."""
    _require_admin()
    item = get_constellation_or_404(current_user, constellation_id) if constellation_id else None
    form = ConstellationForm(obj=item)
    _constellation_choices(form)
    done = submit(
        form,
        lambda: services.save_constellation(
            db.session,
            current_user,
            item,
            name=form.name.data or "",
            hub_household_id=form.hub_household_id.data or None,
            liaison_id=form.liaison_id.data or None,
            phone_number=form.phone_number.data or None,
        ),
    )
    if done.saved:
        flash(_("The constellation has been saved."), "success")
        return redirect(url_for("network.constellation", constellation_id=done.value.id))
    return render_template("network/edit_constellation.html", form=form, item=item), done.status


@bp.route("/households")
@login_required
def households() -> Any:
    """List the households the user may see."""
    if current_user.role == Role.FOSTER_CARER:
        abort(403)
    items = services.visible_households(db.session, current_user)
    return render_template(
        "network/households.html", households=items, can_manage=can_manage_network(current_user)
    )


@bp.route("/households/new", methods=["GET", "POST"])
@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@login_required
def edit_household(household_id: int | None = None) -> Any:
    """Create or edit a household."""
    _require_admin()
    item = get_household_or_404(current_user, household_id) if household_id else None
    form = HouseholdForm(obj=item)
    done = submit(
        form,
        lambda: services.save_household(
            db.session,
            current_user,
            item,
            name=(form.name.data or "").strip(),
            kind=HouseholdKind(form.kind.data),
            street=form.street.data or None,
            postcode=form.postcode.data or None,
            city=form.city.data or None,
            phone=form.phone.data or None,
            respite_beds=form.respite_beds.data if form.respite_beds.data is not None else 2,
            registered_on=form.registered_on.data,
        ),
    )
    if done.saved:
        flash(_("The household has been saved."), "success")
        return redirect(url_for("network.household", household_id=done.value.id))
    return render_template("network/edit_household.html", form=form, item=item), done.status


@bp.route("/households/<int:household_id>/membership", methods=["GET", "POST"])
@login_required
def join(household_id: int) -> Any:
    """Move a household into a constellation (its history is kept)."""
    _require_admin()
    item = get_household_or_404(current_user, household_id)
    form = MembershipForm()
    form.constellation_id.choices = choices(
        (c.id, c.name) for c in services.visible_constellations(db.session, current_user)
    )
    done = submit(
        form,
        lambda: services.join_constellation(
            db.session,
            current_user,
            item,
            get_constellation_or_404(current_user, form.constellation_id.data),
            form.joined_on.data,
        ),
    )
    if done.saved:
        flash(_("The household has joined the constellation."), "success")
        return redirect(url_for("network.household", household_id=item.id))
    return render_template("network/membership.html", form=form, item=item), done.status


@bp.route("/households/<int:household_id>/leave", methods=["GET", "POST"])
@login_required
def leave(household_id: int) -> Any:
    """Record that a household leaves its constellation, or stops fostering."""
    _require_admin()
    item = get_household_or_404(current_user, household_id)
    form = LeaveForm()
    done = submit(
        form,
        lambda: services.leave_constellation(
            db.session,
            current_user,
            item,
            on=form.left_on.data,
            deregister=form.deregister.data == "yes",
        ),
    )
    if done.saved:
        flash(_("The change has been saved."), "success")
        return redirect(url_for("network.household", household_id=item.id))
    return render_template("network/leave.html", form=form, item=item), done.status
