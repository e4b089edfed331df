from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from hubhome.advice.labels import CHANNEL_LABELS, TOPIC_LABELS, URGENCY_LABELS
from hubhome.forms import REQUIRED, choices
from hubhome.timeutil import local_now, local_today


class AdviceForm(FlaskForm):
    """Few fields, sensible defaults: filled in under half a minute on a phone."""

    household_id = SelectField(_l("Family"), coerce=int, validators=[DataRequired(REQUIRED)])
    asked_by = StringField(
        _l("Who asked"),
        description=_l("E.g. foster mother, foster father, the young person."),
        validators=[DataRequired(REQUIRED), Length(max=80)],
    )
    channel = SelectField(_l("Channel"), choices=choices(CHANNEL_LABELS.items()), default="phone")
    # No topic chosen in advance: a default would be kept by whoever hurries, and skew the
    # topic figures.
    topic = SelectField(
        _l("Topic"),
        choices=choices([("", _l("Choose a topic")), *TOPIC_LABELS.items()]),
        default="",
        validators=[DataRequired(_l("Choose a topic."))],
    )
    child_id = SelectField(_l("Which child it concerned"), coerce=int, default=0)
    # When the contact happened: now, unless it is logged afterwards.
    occurred_on = DateField(_l("Date of the contact"), validators=[Optional()], default=local_today)
    occurred_time = TimeField(
        _l("Time of the contact"),
        validators=[Optional()],
        default=lambda: local_now().time().replace(second=0, microsecond=0),
    )
    urgency = RadioField(_l("Urgency"), choices=choices(URGENCY_LABELS.items()), default="normal")
    summary = TextAreaField(
        _l("Short summary"), validators=[DataRequired(REQUIRED), Length(max=500)]
    )
    follow_up_on = DateField(_l("Follow up on (optional)"), validators=[Optional()])
    call_id = HiddenField()


class DoneForm(FlaskForm):
    """Only the CSRF token."""
