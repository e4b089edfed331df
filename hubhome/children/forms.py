from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from hubhome.children.models import Gender
from hubhome.forms import REQUIRED, Personnummer, choices

GENDER_LABELS = {
    Gender.GIRL: _l("Girl"),
    Gender.BOY: _l("Boy"),
    Gender.OTHER: _l("Other"),
    Gender.UNKNOWN: _l("Not stated"),
}


class ChildForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(REQUIRED), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(REQUIRED), Length(max=80)])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired(REQUIRED)])
    gender = SelectField(
        _l("Gender"), choices=choices((g.value, label) for g, label in GENDER_LABELS.items())
    )
    personnummer = StringField(
        _l("Personnummer (optional)"),
        validators=[Optional(), Personnummer()],
        description=_l("Twelve digits, for example 20150314-1234."),
    )
    protected_identity = BooleanField(_l("Protected identity (skyddad identitet)"))
    household_id = SelectField(_l("Foster home"), coerce=int, validators=[DataRequired(REQUIRED)])
    placement_start = DateField(_l("Placed from"), validators=[DataRequired(REQUIRED)])


class EndPlacementForm(FlaskForm):
    end_date = DateField(_l("End date"), validators=[DataRequired(REQUIRED)])
    planned = RadioField(
        _l("Was the ending planned?"),
        choices=choices([("yes", _l("Yes, planned")), ("no", _l("No, unplanned (breakdown)"))]),
        validators=[DataRequired(REQUIRED)],
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
