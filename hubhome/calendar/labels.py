"""Words for the kinds of event in the calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "respite": _l("Respite"),
    "activity": _l("Activity"),
    "contact_visit": _l("Contact visit"),
    "follow_up_visit": _l("Social worker's visit"),
    "conference": _l("Family group conference"),
    "other": _l("Event"),
}
