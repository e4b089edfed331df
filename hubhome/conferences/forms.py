from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TelField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from hubhome.forms import REQUIRED


class MeetingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    start = TimeField(_l("Starts"), validators=[DataRequired(REQUIRED)])
    end = TimeField(_l("Ends"), validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=200)])


class ConferenceForm(MeetingForm):
    child_id = SelectField(_l("Child"), coerce=int, validators=[DataRequired(REQUIRED)])
    coordinator_id = SelectField(
        _l("Coordinator"),
        coerce=int,
        description=_l("Leads the conference and invites the network."),
        validators=[DataRequired(REQUIRED)],
    )


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    relation = StringField(
        _l("Relation to the child"),
        description=_l("For example: grandmother, teacher, football coach."),
        validators=[DataRequired(REQUIRED), Length(max=80)],
    )
    phone = TelField(
        _l("Mobile number (optional)"),
        description=_l("For the invitation by text message."),
        validators=[Optional(), Length(max=40)],
    )


class PlanForm(FlaskForm):
    plan = TextAreaField(
        _l("The plan"),
        description=_l("What the family and the network agreed on, and who does what."),
        validators=[DataRequired(REQUIRED), Length(max=4000)],
    )
    follow_up_on = DateField(_l("Follow-up date"), validators=[DataRequired(REQUIRED)])
