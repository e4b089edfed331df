from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from hubhome.forms import REQUIRED, choices

KIND_CHOICES = [
    ("foster_home", _l("Foster home (familjehem)")),
    ("contact_family", _l("Contact family (kontaktfamilj)")),
    ("respite", _l("Respite (avlastning)")),
    ("contact_person", _l("Contact person (kontaktperson)")),
    ("other", _l("Other intervention")),
]


class DecisionForm(FlaskForm):
    child_id = SelectField(_l("Child"), coerce=int, validators=[Optional()])
    household_id = SelectField(
        _l("Or a family"),
        description=_l("Only for a decision about the whole family rather than one child."),
        coerce=int,
        validators=[Optional()],
    )
    kind = SelectField(
        _l("Intervention"), choices=choices(KIND_CHOICES), validators=[DataRequired(REQUIRED)]
    )
    decision_date = DateField(_l("Decision date"), validators=[DataRequired(REQUIRED)])
    responsible_id = SelectField(_l("Responsible social worker"), coerce=int)
    delay_reason = TextAreaField(_l("Reason for delay"), validators=[Optional(), Length(max=1000)])


class DecisionUpdateForm(FlaskForm):
    carried_out_on = DateField(_l("Carried out on"), validators=[Optional()])
    interrupted_on = DateField(
        _l("Interrupted on"),
        description=_l(
            "The latest interruption. After it was resumed, a new date records a new one."
        ),
        validators=[Optional()],
    )
    resumed_on = DateField(_l("Resumed on"), validators=[Optional()])
    closed_on = DateField(
        _l("Closed on"),
        description=_l("Only when the decision ends without being carried out, e.g. revoked."),
        validators=[Optional()],
    )
    closed_reason = StringField(_l("Why it was closed"), validators=[Optional(), Length(max=300)])
    delay_reason = TextAreaField(_l("Reason for delay"), validators=[Optional(), Length(max=1000)])
    responsible_id = SelectField(_l("Responsible social worker"), coerce=int)


class OfferForm(FlaskForm):
    offered_on = DateField(_l("Date support was offered"), validators=[DataRequired(REQUIRED)])
    declined = BooleanField(
        _l("The offer was declined"),
        description=_l("A declined offer does not close the decision."),
    )
