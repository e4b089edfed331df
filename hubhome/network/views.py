"""Constellation and household pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from hubhome.accounts.models import Role
from hubhome.audit.services import record
from hubhome.extensions import db
from hubhome.network import services
from hubhome.permissions import (
    can_manage_network,
    can_see_household_address,
    can_view_household,
    child_access,
    get_constellation_or_404,
    get_household_or_404,
)

bp = Blueprint("network", __name__)


@bp.route("/constellations")
@login_required
def constellations() -> Any:
    """List the constellations the user may see."""
    items = services.visible_constellations(db.session, current_user)
    return render_template("network/constellations.html", constellations=items)


@bp.route("/constellations/<int:constellation_id>")
@login_required
def constellation(constellation_id: int) -> Any:
    """Show one constellation: its hub, liaison and satellites."""
    item = get_constellation_or_404(current_user, constellation_id)
    members = services.satellites(db.session, item)
    show_members = current_user.role != Role.FOSTER_CARER
    return render_template(
        "network/constellation.html",
        can_manage=can_manage_network(current_user),
        constellation=item,
        satellites=members if show_members else [],
        satellite_count=len(members),
        can_open=lambda h: can_view_household(current_user, h),
    )


@bp.route("/households/<int:household_id>")
@login_required
def household(household_id: int) -> Any:
    """Show a household's record (the view is audited)."""
    item = get_household_or_404(current_user, household_id)
    children = [
        (child, child_access(current_user, child))
        for child in services.placed_children(db.session, item)
    ]
    record(db.session, current_user, "household.view", item)
    return render_template(
        "network/household.html",
        household=item,
        constellation=services.current_constellation(db.session, item),
        children=children,
        show_address=can_see_household_address(current_user, item),
        memberships=item.memberships,
        can_manage=can_manage_network(current_user),
    )


from hubhome.network import manage_views  # noqa: E402,F401  (routes on the same blueprint)
