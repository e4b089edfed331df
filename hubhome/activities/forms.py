from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubhome.activities.labels import KIND_LABELS, REPEAT_LABELS
from hubhome.forms import REQUIRED, choices
from hubhome.respite.forms import CheckboxesField


class EventFields(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=120)])
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    start = TimeField(_l("Starts"), validators=[DataRequired(REQUIRED)])
    end = TimeField(_l("Ends"), validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    capacity = IntegerField(
        _l("Places (people, empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=500, message=_l("Between 1 and 500."))],
    )


class ActivityForm(EventFields):
    constellation_id = SelectField(_l("Constellation"), coerce=int)
    kind = SelectField(
        _l("Type"), choices=choices(KIND_LABELS.items()), validators=[DataRequired(REQUIRED)]
    )
    invite = RadioField(
        _l("Who is invited"),
        choices=choices(
            [("all", _l("The whole constellation")), ("chosen", _l("Chosen families"))]
        ),
        default="all",
    )
    household_ids = CheckboxesField(_l("Families"), coerce=int)
    repeat = SelectField(_l("Repeats"), choices=choices(REPEAT_LABELS.items()), default="none")
    count = IntegerField(
        _l("How many times (for a repeating event)"),
        default=12,
        validators=[Optional(), NumberRange(min=2, max=24, message=_l("Between 2 and 24."))],
    )


class AnswerForm(FlaskForm):
    household_id = SelectField(_l("Family"), coerce=int)
    attending = RadioField(
        _l("Are you coming?"),
        choices=choices([("yes", _l("Yes, we are coming")), ("no", _l("No, we cannot come"))]),
        validators=[InputRequired(REQUIRED)],
    )
    adults = IntegerField(
        _l("Adults"), default=1, validators=[Optional(), NumberRange(min=0, max=20)]
    )
    children = IntegerField(
        _l("Children"), default=0, validators=[Optional(), NumberRange(min=0, max=20)]
    )
    needs = StringField(_l("Dietary or access needs"), validators=[Optional(), Length(max=500)])
    accept_waiting = HiddenField(default="")


class AttendanceForm(FlaskForm):
    household_ids = CheckboxesField(_l("Families who came"), coerce=int)


class PlainForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post."""
