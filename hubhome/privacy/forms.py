"""Forms of the access review and the register extract."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from hubhome.forms import choices
from hubhome.privacy.services import COMMENT_MAX, SUMMARY_MAX

REQUIRED = _l("This field is required.")


class OpenReviewForm(FlaskForm):
    month = StringField(
        _l("Month"),
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("Write the month as YYYY-MM.")),
        ],
        description=_l("For example 2026-11."),
    )


class MarkForm(FlaskForm):
    verdict = RadioField(
        _l("Was the access justified?"),
        choices=choices([("justified", _l("Justified")), ("unjustified", _l("Not justified"))]),
        validators=[DataRequired(_l("Choose justified or not justified."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(_l("Write what you found.")), Length(max=COMMENT_MAX)],
    )


class SignOffForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary of the review"),
        validators=[DataRequired(REQUIRED), Length(max=SUMMARY_MAX)],
        description=_l("What was found, and what was done about it."),
    )


class ExtractForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only chooses what to show

    user_id = SelectField(_l("A person with an account"), coerce=int, validators=[Optional()])
    household_id = SelectField(_l("Household"), coerce=int, validators=[Optional()])
    name = StringField(
        _l("Name of a person without an account"),
        validators=[Optional(), Length(max=120)],
        description=_l(
            "A household member or a relative in the network: the extract finds them by name "
            "(and by household, if you choose one)."
        ),
    )
