"""Words shown for the event area's stored values."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "meeting": _l("Constellation meeting"),
    "social": _l("Social activity"),
    "training": _l("Training or peer support"),
    "family_conference": _l("Family group conference"),
}
ANSWER_LABELS = {
    "coming": _l("Coming"),
    "waiting": _l("Waiting place"),
    "not_coming": _l("Not coming"),
}
STATUS_LABELS = {"planned": _l("Planned"), "cancelled": _l("Called off")}
REPEAT_LABELS = {
    "none": _l("Does not repeat"),
    "monthly_weekday": _l("Monthly, same weekday (e.g. second Tuesday)"),
    "monthly_date": _l("Monthly, same date (last day in shorter months)"),
    "weekly": _l("Weekly"),
}
