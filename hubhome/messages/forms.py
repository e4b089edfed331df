from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired

from hubhome.forms import REQUIRED


class ReplyForm(FlaskForm):
    """Length is checked by the service, so the page and the API refuse alike."""

    body = TextAreaField(_l("Message"))


class DirectThreadForm(FlaskForm):
    person_id = SelectField(_l("Write to"), coerce=int, validators=[DataRequired(REQUIRED)])


class BreakGlassForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for opening this conversation"),
        description=_l("Recorded in the audit log. 10 to 500 characters."),
    )
