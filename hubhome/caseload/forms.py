from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubhome.forms import REQUIRED


class VisitForm(FlaskForm):
    visit_date = DateField(_l("Date of the visit"), validators=[DataRequired(REQUIRED)])
    private_talk = BooleanField(_l("I talked with the child alone"))
    note = TextAreaField(
        _l("Short note"),
        description=_l("No more than the follow-up needs; the case file holds the rest."),
        validators=[Optional(), Length(max=1000)],
    )


class ReviewForm(FlaskForm):
    review_date = DateField(_l("Date of the review"), validators=[DataRequired(REQUIRED)])
    outcome = StringField(
        _l("Outcome"),
        description=_l("For example: the placement continues, plan updated."),
        validators=[DataRequired(REQUIRED), Length(max=500)],
    )


class SettingsForm(FlaskForm):
    visits_per_year = IntegerField(
        _l("Follow-up visits per child and year"),
        description=_l("A local target; there is no statutory minimum. Common practice is 4."),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=1, max=52, message=_l("Between 1 and 52.")),
        ],
    )
