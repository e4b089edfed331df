"""Form helpers shared by every area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, ValidationError

from hubhome.children.personnummer import InvalidPersonnummer, normalize_personnummer
from hubhome.errors import ValidationFailed
from hubhome.phones import InvalidPhone, normalize_phone


class PhoneNumber:
    """Validate and normalise a phone number field to E.164."""

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            return
        try:
            field.data = normalize_phone(field.data)
        except InvalidPhone as exc:
            raise ValidationError(str(exc)) from exc


class Personnummer:
    """Validate and normalise a personnummer field to twelve digits."""

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            return
        try:
            field.data = normalize_personnummer(field.data)
        except InvalidPersonnummer as exc:
            raise ValidationError(str(exc)) from exc


REQUIRED = _l("This field is required.")


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def show_errors(form: Any, exc: ValidationFailed) -> None:
    """Put a service's field errors on the form's fields; the rest goes to the summary."""
    if not exc.errors:
        form.form_errors.append(exc.message)
    for name, messages in exc.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(messages)
        else:
            form.form_errors.extend(messages)
