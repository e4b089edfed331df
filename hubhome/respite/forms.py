from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubhome.forms import REQUIRED, choices


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class BookingForm(FlaskForm):
    household_id = SelectField(_l("Family"), coerce=int, validators=[Optional()])
    child_ids = CheckboxesField(
        _l("Children"), coerce=int, validators=[DataRequired(_l("Choose at least one child."))]
    )
    check_in = DateField(_l("Check-in (first night)"), validators=[DataRequired(REQUIRED)])
    check_out = DateField(
        _l("Check-out (morning after the last night)"), validators=[DataRequired(REQUIRED)]
    )
    kind = RadioField(
        _l("Kind of respite"),
        choices=choices([("planned", _l("Planned")), ("emergency", _l("Emergency"))]),
        default="planned",
        validators=[DataRequired(REQUIRED)],
    )
    note = TextAreaField(
        _l("What the hub home needs to know"),
        description=_l("Allergies, routines, medication, school run."),
        validators=[Optional(), Length(max=2000)],
    )
    idempotency_key = HiddenField()


class DatesForm(FlaskForm):
    check_in = DateField(_l("Check-in (first night)"), validators=[DataRequired(REQUIRED)])
    check_out = DateField(
        _l("Check-out (morning after the last night)"), validators=[DataRequired(REQUIRED)]
    )


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class BedsForm(FlaskForm):
    effective_from = DateField(_l("From"), validators=[DataRequired(REQUIRED)])
    beds = IntegerField(
        _l("Beds"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=10, message=_l("Between 0 and 10.")),
        ],
    )


class BlockForm(FlaskForm):
    start_date = DateField(_l("First night closed"), validators=[DataRequired(REQUIRED)])
    last_night = DateField(_l("Last night closed"), validators=[DataRequired(REQUIRED)])
    reason = StringField(
        _l("Reason (shown only to staff)"), validators=[Optional(), Length(max=200)]
    )


class WaitlistForm(FlaskForm):
    household_id = HiddenField()
    check_in = HiddenField()
    check_out = HiddenField()
    beds = HiddenField()
    kind = HiddenField()
    child_ids = HiddenField()  # comma-separated, as asked for on the booking form
    note = HiddenField(validators=[Optional(), Length(max=2000)])


class RulesForm(FlaskForm):
    max_days_ahead = IntegerField(
        _l("How many days ahead families may book"),
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=730)],
    )
    max_nights = IntegerField(
        _l("Longest stay (nights)"),
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=60)],
    )
    yearly_planned_nights = IntegerField(
        _l("Planned nights per family and year (empty: no limit)"),
        description=_l("Emergency nights never count against this."),
        validators=[Optional(), NumberRange(min=0, max=365)],
    )
