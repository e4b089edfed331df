from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    actor_id = SelectField(_l("User"), coerce=int, validators=[Optional()])
    child_id = IntegerField(
        _l("Child number"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)]
    )
    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


class OrganisationSettingsForm(FlaskForm):
    duty_number = StringField(
        _l("Last-resort duty number (for example socialjouren)"),
        validators=[Optional()],
        description=_l("Called when nobody on the on-call chain answers."),
    )
    retention_years = IntegerField(
        _l("Keep case entries for this many years after the last entry"),
        validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l(
            "Leave empty to keep everything. Foster-placement records and people born on "
            "the 5th, 15th or 25th are always kept."
        ),
    )
