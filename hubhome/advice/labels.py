"""Words shown for the advice log's stored values."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHANNEL_LABELS = {
    "phone": _l("Phone"),
    "in_person": _l("In person"),
    "sms": _l("SMS"),
    "video": _l("Video"),
}
TOPIC_LABELS = {
    "behaviour": _l("Behaviour"),
    "school": _l("School"),
    "health": _l("Health"),
    "birth_family": _l("Birth-family contact"),
    "placement_concern": _l("Placement concern"),
    "practical": _l("Practical"),
    "other": _l("Other"),
}
URGENCY_LABELS = {"low": _l("Can wait"), "normal": _l("Normal"), "urgent": _l("Urgent")}
