"""Forms: an open service, and participation in one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from hubhome.forms import REQUIRED, choices
from hubhome.openservices.labels import AGE_BAND_LABELS, GENDER_LABELS, KIND_LABELS
from hubhome.openservices.services import MAX_PARTICIPANTS

BOUNDED = _l("Give a number from 1 to %(max)s.", max=MAX_PARTICIPANTS)


class OpenServiceForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=choices(KIND_LABELS.items()), validators=[DataRequired(REQUIRED)]
    )
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    description = TextAreaField(
        _l("Description"),
        description=_l("What is offered, when and where. No details about any person."),
        validators=[Optional(), Length(max=500)],
    )


class ParticipationForm(FlaskForm):
    service_id = SelectField(_l("Service"), coerce=int, validators=[DataRequired(REQUIRED)])
    month = DateField(
        _l("Month"), format="%Y-%m", render_kw={"type": "month"},
        validators=[DataRequired(_l("Give the month as year and month, e.g. 2026-11."))],
    )  # fmt: skip
    participants = IntegerField(
        _l("Number of participants"),
        default=1,
        description=_l("Several people of the same age band and gender may be counted at once."),
        validators=[DataRequired(BOUNDED), NumberRange(1, MAX_PARTICIPANTS, BOUNDED)],
    )
    age_band = SelectField(
        _l("Age band"), choices=choices(AGE_BAND_LABELS.items()), default="unknown"
    )
    gender = SelectField(_l("Gender"), choices=choices(GENDER_LABELS.items()), default="not_given")
    first_name = StringField(
        _l("First name (optional)"),
        description=_l(
            "Leave empty to count anonymously. Never a surname, personal identity number, "
            "address or phone number."
        ),
        validators=[Optional(), Length(max=40)],
    )
