from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from hubhome.forms import REQUIRED, PhoneNumber, choices
from hubhome.network.models import HouseholdKind

KIND_LABELS = {HouseholdKind.HUB: _l("Hub home"), HouseholdKind.SATELLITE: _l("Satellite home")}


class HouseholdForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    street = StringField(_l("Street address"), validators=[Optional(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=10)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), PhoneNumber()])
    respite_beds = IntegerField(
        _l("Respite beds (hub homes)"),
        default=2,
        validators=[Optional(), NumberRange(min=0, max=10, message=_l("Between 0 and 10."))],
    )
    registered_on = DateField(_l("Approved as foster home on"), validators=[Optional()])


class ConstellationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    hub_household_id = SelectField(_l("Hub home"), coerce=int, validators=[Optional()])
    liaison_id = SelectField(_l("Liaison social worker"), coerce=int, validators=[Optional()])
    phone_number = StringField(
        _l("Support line (Twilio number)"), validators=[Optional(), PhoneNumber()]
    )


class MembershipForm(FlaskForm):
    constellation_id = SelectField(
        _l("Constellation"), coerce=int, validators=[DataRequired(REQUIRED)]
    )
    joined_on = DateField(_l("From"), validators=[DataRequired(REQUIRED)])


class LeaveForm(FlaskForm):
    left_on = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    deregister = SelectField(
        _l("Does the family stop fostering?"),
        choices=choices(
            [
                ("no", _l("No, it only leaves the constellation")),
                ("yes", _l("Yes, the foster home is deregistered")),
            ]
        ),
    )
