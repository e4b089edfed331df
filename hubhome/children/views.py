"""Children's records: list, view (audited), register and end a placement."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.audit.services import record
from hubhome.children import services
from hubhome.children.forms import ChildForm, EndPlacementForm
from hubhome.children.models import Gender, Placement
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.network.services import visible_households
from hubhome.permissions import (
    ChildAccess,
    can_edit_child,
    can_register_children,
    child_access,
    get_child_or_404,
)
from hubhome.timeutil import age_on, local_today

bp = Blueprint("children", __name__)


@bp.route("/children")
@login_required
def index() -> Any:
    """List the children the user may see."""
    today = local_today()
    rows = [
        (child, access, age_on(child.birth_date, today))
        for child, _placement, access in services.visible_children_with_access(
            db.session, current_user
        )
    ]
    return render_template(
        "children/index.html", rows=rows, can_register=can_register_children(current_user)
    )


@bp.route("/children/<int:child_id>")
@login_required
def show(child_id: int) -> Any:
    """Show a child's record at the user's access level (the view is audited)."""
    child = get_child_or_404(current_user, child_id)
    access = child_access(current_user, child)
    placement = services.current_placement(db.session, child)
    record(db.session, current_user, "child.view", child, detail={"access": access.name})
    return render_template(
        "children/show.html",
        child=child,
        access=access,
        ChildAccess=ChildAccess,
        placement=placement,
        age=age_on(child.birth_date, local_today()),
        can_edit=can_edit_child(current_user, child),
    )


@bp.route("/children/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Register a child and their placement."""
    if not can_register_children(current_user):
        abort(403)
    form = ChildForm()
    form.household_id.choices = choices(
        (h.id, h.name) for h in visible_households(db.session, current_user)
    )
    done = submit(
        form,
        lambda: services.register_child(
            db.session,
            current_user,
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            birth_date=form.birth_date.data,
            gender=Gender(form.gender.data),
            personnummer=form.personnummer.data or None,
            protected_identity=bool(form.protected_identity.data),
            household_id=form.household_id.data,
            placement_start=form.placement_start.data,
            social_worker_id=None,
        ),
    )
    if done.saved:
        flash(_("The child has been registered."), "success")
        return redirect(url_for("children.show", child_id=done.value.id))
    return render_template("children/new.html", form=form), done.status


@bp.route("/children/<int:child_id>/placement/end", methods=["GET", "POST"])
@login_required
def end_placement(child_id: int) -> Any:
    """Record that a child's current placement has ended."""
    child = get_child_or_404(current_user, child_id)
    if not can_edit_child(current_user, child):
        abort(403)
    placement: Placement | None = services.current_placement(db.session, child)
    if placement is None:
        abort(404)
    form = EndPlacementForm()
    done = submit(
        form,
        lambda: services.end_placement(
            db.session,
            current_user,
            placement,
            on=form.end_date.data,
            planned=form.planned.data == "yes",
            reason=form.reason.data or "",
        ),
    )
    if done.saved:
        flash(_("The placement has been ended."), "success")
        return redirect(url_for("children.index"))
    return render_template("children/end_placement.html", form=form, child=child), done.status
