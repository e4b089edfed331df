"""Form helpers shared by every area: validators, choices, and submitting a form to a service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, ValidationError

from hubhome import transaction
from hubhome.children.personnummer import InvalidPersonnummer, normalize_personnummer
from hubhome.errors import DomainError
from hubhome.extensions import db
from hubhome.phones import InvalidPhone, normalize_phone

T = TypeVar("T")


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


def show_errors(form: Any, exc: DomainError) -> None:
    """Put a service's field errors on the form's fields and the rest in the summary; with
    no message for either, the error's own message goes to the summary."""
    shown = False
    for name, messages in exc.errors.items():
        field = getattr(form, name, None)
        if field is not None and messages:
            field.errors = list(messages)
        else:
            form.form_errors.extend(messages)
        shown = shown or bool(messages)
    if not shown:
        form.form_errors.append(exc.message)


@dataclass
class Submission(Generic[T]):
    """What became of a form or a button: saved (with what the service returned), or not,
    with the status its page answers (200 not sent, 422 invalid, else the refusal's own)."""

    saved: bool = False
    status: int = 200
    error: DomainError | None = None
    result: T | None = None

    @property
    def value(self) -> T:
        """What the service returned (only when saved)."""
        return cast(T, self.result)

    def flash(self, success: str, invalid: str | None = None) -> None:
        """Tell the next page whether it worked: `success`, the refusal's message, or
        `invalid` when the form did not validate."""
        if self.saved:
            flash(success, "success")
        elif self.error is not None:
            flash(self.error.message, "error")
        elif invalid is not None and self.status == 422:
            flash(invalid, "error")


def attempt(save: Callable[[], T], form: Any = None) -> Submission[T]:
    """Call a service; a domain error discards the unit of work's writes and lands on `form`
    (fields or summary), or, without a form, waits in the submission to be flashed."""
    try:
        result = save()
    except DomainError as exc:
        transaction.roll_back(db.session)
        if form is not None:
            show_errors(form, exc)
        return Submission(status=exc.status, error=exc)
    return Submission(saved=True, status=200, result=result)


def submit(form: Any, save: Callable[[], T]) -> Submission[T]:
    """Validate a posted form, then call the service with `attempt`.

    A form view then reads: parse, `submit`, redirect when saved, else render the form with
    the submission's status (422 for an invalid form or a ValidationFailed, 409 a Conflict).
    """
    if not form.validate_on_submit():
        return Submission(status=422 if form.is_submitted() else 200)
    return attempt(save, form)
