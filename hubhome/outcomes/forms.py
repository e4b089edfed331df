from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubhome.forms import REQUIRED, choices

SCALE = choices(
    [
        ("1", _l("1 – poor")),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", _l("5 – excellent")),
    ]
)
YES_NO = choices([("yes", _l("Yes")), ("no", _l("No")), ("unsure", _l("Don't know"))])


class SurveyForm(FlaskForm):
    support_hub = RadioField(
        _l("How good is the support from the hub home?"),
        choices=SCALE,
        validators=[DataRequired(REQUIRED)],
    )
    support_families = RadioField(
        _l("How good is the support from the other families?"),
        choices=SCALE,
        validators=[DataRequired(REQUIRED)],
    )
    support_social_services = RadioField(
        _l("How good is the support from social services?"),
        choices=SCALE,
        validators=[DataRequired(REQUIRED)],
    )
    would_have_stopped = RadioField(
        _l("Without the constellation, would you have stopped fostering?"),
        choices=YES_NO,
        validators=[DataRequired(REQUIRED)],
    )
    placement_would_have_broken = RadioField(
        _l("Without the constellation, would a placement have broken down?"),
        choices=YES_NO,
        validators=[DataRequired(REQUIRED)],
    )
    comment = TextAreaField(
        _l("Anything else you want to tell us?"),
        description=_l("Please do not write names; the answer is anonymous."),
        validators=[Optional(), Length(max=2000)],
    )


class OpenRoundForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=2020, max=2100, message=_l("A year from 2020 on.")),
        ],
    )
