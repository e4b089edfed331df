from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubhome.forms import REQUIRED, choices

WEEKDAYS = [
    (0, _l("Monday")),
    (1, _l("Tuesday")),
    (2, _l("Wednesday")),
    (3, _l("Thursday")),
    (4, _l("Friday")),
    (5, _l("Saturday")),
    (6, _l("Sunday")),
]
LEVELS = [("1", _l("Primary (called first)")), ("2", _l("Secondary (called next)"))]
OVERRIDE_KINDS = [
    ("swap", _l("Swap")),
    ("sick_cover", _l("Sick cover")),
    ("uncovered", _l("Nobody (shows as a gap)")),
]


class WeekdaysField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RotaForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    constellation_id = SelectField(_l("Constellation"), coerce=int)
    level = RadioField(
        _l("Place in the chain"), choices=choices(LEVELS), default="1", validators=[DataRequired()]
    )
    cycle_weeks = IntegerField(
        _l("The pattern repeats every … weeks"),
        default=1,
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=8, message=_l("1 to 8."))],
    )


class SlotForm(FlaskForm):
    weekdays = WeekdaysField(
        _l("Days"),
        coerce=int,
        choices=choices(WEEKDAYS),
        validators=[DataRequired(_l("Choose at least one day."))],
    )
    starts = TimeField(_l("Handover in (Swedish time)"), validators=[InputRequired(REQUIRED)])
    ends = TimeField(
        _l("Handover out (Swedish time)"),
        description=_l("An end before the start means the next morning, e.g. 20:00–08:00."),
        validators=[InputRequired(REQUIRED)],
    )
    user_id = SelectField(_l("On call"), coerce=int, validators=[InputRequired(REQUIRED)])
    week = IntegerField(
        _l("Week of the cycle"), default=1, validators=[Optional(), NumberRange(min=1, max=8)]
    )


class OverrideForm(FlaskForm):
    kind = RadioField(
        _l("Kind of change"),
        choices=choices(OVERRIDE_KINDS),
        default="swap",
        validators=[DataRequired(REQUIRED)],
    )
    user_id = SelectField(_l("Who covers"), coerce=int, validators=[Optional()])
    start_day = DateField(_l("From (date)"), validators=[DataRequired(REQUIRED)])
    start_time = TimeField(_l("From (time)"), validators=[InputRequired(REQUIRED)])
    end_day = DateField(_l("Until (date)"), validators=[DataRequired(REQUIRED)])
    end_time = TimeField(_l("Until (time)"), validators=[InputRequired(REQUIRED)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
