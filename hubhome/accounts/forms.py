from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, Form, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from hubhome.accounts.models import Role
from hubhome.forms import REQUIRED, Personnummer, PhoneNumber, choices


def role_choices() -> list[tuple[str, str]]:
    from hubhome.templating import role_label

    return choices((r.value, role_label(r)) for r in Role)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])


class TotpForm(FlaskForm):
    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(REQUIRED), Length(min=6, max=6, message=_l("Enter six digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Six-digit code or recovery code"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=6, max=20, message=_l("Enter six digits or a recovery code.")),
        ],
        render_kw={"autocomplete": "one-time-code"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(REQUIRED),
            Length(
                min=10, max=200, message=_l("The password must be at least 10 characters long.")
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    code = StringField(
        _l("Six-digit code from the app"),
        validators=[Optional(), Length(min=6, max=6, message=_l("Enter six digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class EmailAddress:
    """An e-mail address as the account services accept it (the demo's .test domain too)."""

    def __call__(self, form: Form, field: Field) -> None:
        from email_validator import EmailNotValidError

        from hubhome.accounts.services import normalize_email

        try:
            normalize_email(field.data or "")
        except EmailNotValidError as exc:
            raise ValidationError(str(_l("Enter a valid e-mail address."))) from exc


class EditUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(REQUIRED), EmailAddress()],
    )
    phone = StringField(_l("Mobile phone"), validators=[Optional(), PhoneNumber()])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired(REQUIRED)])
    household_id = SelectField(_l("Household"), coerce=int, validators=[Optional()])
    personnummer = StringField(
        _l("Personnummer (foster carers, for BankID or Freja+)"),
        validators=[Optional(), Personnummer()],
    )


class SendLinkForm(FlaskForm):
    channel = SelectField(
        _l("Send by"), choices=choices([("email", _l("E-mail")), ("sms", _l("SMS"))])
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=choices([("sv", "Svenska"), ("en", "English")]))


class UserForm(EditUserForm):
    """A new account: its details, and a password or an invitation."""

    password = PasswordField(
        _l("Password (leave empty to send an invitation instead)"),
        validators=[
            Optional(),
            Length(min=10, message=_l("The password must be at least 10 characters long.")),
        ],
    )
    invite_by = SelectField(
        _l("Send an invitation by"),
        choices=choices([("", _l("No invitation")), ("email", _l("E-mail")), ("sms", _l("SMS"))]),
        validators=[Optional()],
    )
