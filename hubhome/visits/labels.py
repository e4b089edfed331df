"""Words shown for contact visits' stored values."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SUPERVISOR_LABELS = {
    "hub_carer": _l("The hub carer"),
    "staff": _l("Staff"),
    "none": _l("Not supervised"),
}
VISIT_STATUS_LABELS = {
    "planned": _l("Planned"),
    "held": _l("Held"),
    "cancelled": _l("Did not happen"),
}
