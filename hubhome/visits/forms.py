from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hubhome.forms import REQUIRED, choices
from hubhome.visits.labels import SUPERVISOR_LABELS


class VisitForm(FlaskForm):
    child_id = SelectField(_l("Child"), coerce=int, validators=[DataRequired(REQUIRED)])
    relatives = StringField(
        _l("Birth relatives"),
        description=_l("Who the child meets, e.g. mother, maternal uncle."),
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    place = StringField(
        _l("Place"), default="Navhemmet", validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    supervisor = RadioField(
        _l("Supervised by"),
        choices=choices(SUPERVISOR_LABELS.items()),
        default="hub_carer",
        validators=[InputRequired(REQUIRED)],
    )
    supervisor_name = StringField(_l("Supervisor's name"), validators=[Optional(), Length(max=120)])
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    start = TimeField(_l("Starts"), validators=[DataRequired(REQUIRED)])
    end = TimeField(_l("Ends"), validators=[DataRequired(REQUIRED)])


class OutcomeForm(FlaskForm):
    held = RadioField(
        _l("Did the visit happen?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
        default="yes",
        validators=[InputRequired(REQUIRED)],
    )
    note = TextAreaField(_l("How it went"), validators=[Optional(), Length(max=2000)])


class RestrictionForm(FlaskForm):
    child_id = SelectField(_l("Child"), coerce=int, validators=[DataRequired(REQUIRED)])
    decided_on = DateField(_l("Date of the decision"), validators=[DataRequired(REQUIRED)])
    relatives = StringField(
        _l("Contact with"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    decision = TextAreaField(
        _l("The restriction"), validators=[DataRequired(REQUIRED), Length(max=2000)]
    )


class ReviewForm(FlaskForm):
    reviewed_on = DateField(_l("Date of the review"), validators=[DataRequired(REQUIRED)])
    keep = RadioField(
        _l("Outcome"),
        choices=choices([("keep", _l("The restriction stays")), ("lift", _l("Lifted"))]),
        default="keep",
        validators=[InputRequired(REQUIRED)],
    )


class FollowUpPlanForm(FlaskForm):
    child_id = SelectField(_l("Child"), coerce=int, validators=[DataRequired(REQUIRED)])
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    start = TimeField(_l("Starts"), validators=[DataRequired(REQUIRED)])
    end = TimeField(_l("Ends"), validators=[DataRequired(REQUIRED)])
    place = StringField(
        _l("Place"),
        description=_l("For example: the foster home, school, the office."),
        default="Familjehemmet",
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    talk_alone = BooleanField(_l("I plan to talk with the child alone"), default=True)
