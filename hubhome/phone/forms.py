from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from hubhome.forms import REQUIRED


class HandledForm(FlaskForm):
    note = TextAreaField(
        _l("What was done"),
        description=_l("For example: called back, all well."),
        validators=[Optional(), Length(max=1000)],
    )


class CallNoteForm(FlaskForm):
    note = TextAreaField(
        _l("Note on the call"), validators=[DataRequired(REQUIRED), Length(max=2000)]
    )
