"""API: constellations and households, scoped by the permission policy."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.audit.services import record
from hubhome.extensions import db
from hubhome.network import services
from hubhome.permissions import can_see_household_address, get_household_or_404

blp = Blueprint("api_network", __name__, url_prefix="/api/v1", description="Network")


class ConstellationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    hub_household_id = fields.Integer(allow_none=True)
    liaison_id = fields.Integer(allow_none=True)
    phone_number = fields.String(allow_none=True)


class HouseholdSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    street = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    respite_beds = fields.Integer()


@blp.route("/constellations")
@blp.response(200, ConstellationSchema(many=True))
def list_constellations() -> Any:
    """List the constellations the caller may see."""
    return services.visible_constellations(db.session, api_user())


def _household_out(household: Any, user: Any) -> dict[str, Any]:
    data = HouseholdSchema().dump(household)
    data["kind"] = str(household.kind)
    if not can_see_household_address(user, household):
        data.update(street=None, postcode=None, city=None)
    return data


@blp.route("/households")
@blp.response(200, HouseholdSchema(many=True))
def list_households() -> Any:
    """List the households the caller may see (addresses hidden where identity is protected)."""
    user = api_user()
    households = services.visible_households(db.session, user)
    out = [_household_out(h, user) for h in households]
    for household in households:
        record(db.session, user, "household.list_view", household)
    return out


@blp.route("/households/<int:household_id>")
@blp.response(200, HouseholdSchema)
def get_household(household_id: int) -> Any:
    """Return one household (404 outside the caller's scope)."""
    user = api_user()
    household = get_household_or_404(user, household_id)
    record(db.session, user, "household.view", household)
    return _household_out(household, user)
