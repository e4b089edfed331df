from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from hubhome.accounts.models import Role
from hubhome.forms import REQUIRED, Personnummer, PhoneNumber, choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])


class TotpForm(FlaskForm):
    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(REQUIRED), Length(min=6, max=6, message=_l("Enter six digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=choices([("sv", "Svenska"), ("en", "English")]))


def role_choices() -> list[tuple[str, str]]:
    from hubhome.templating import role_label

    return choices((r.value, role_label(r)) for r in Role)


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(REQUIRED), Email(message=_l("Enter a valid e-mail address."))],
    )
    phone = StringField(_l("Mobile phone"), validators=[Optional(), PhoneNumber()])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired(REQUIRED)])
    household_id = SelectField(_l("Household"), coerce=int, validators=[Optional()])
    personnummer = StringField(
        _l("Personnummer (foster carers, for BankID or Freja+)"),
        validators=[Optional(), Personnummer()],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, message=_l("The password must be at least 10 characters long.")),
        ],
    )
