"""The notification settings form: one channel per kind."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField

from hubhome.forms import choices
from hubhome.notify.models import Kind, Via
from hubhome.notify.services import KIND_LABELS, VIA_LABELS


def _field(kind: Kind) -> RadioField:
    return RadioField(
        KIND_LABELS[kind], choices=choices((v.value, VIA_LABELS[v]) for v in Via), default="sms"
    )


class PreferencesForm(FlaskForm):
    new_message = _field(Kind.NEW_MESSAGE)
    booking_decided = _field(Kind.BOOKING_DECIDED)
    activity_changed = _field(Kind.ACTIVITY_CHANGED)
    reminder = _field(Kind.REMINDER)
    on_call = _field(Kind.ON_CALL)

    def chosen(self) -> dict[Kind, Via]:
        return {kind: Via(getattr(self, kind.value).data) for kind in Kind}
