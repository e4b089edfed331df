"""Words shown for the open services' stored values (page and CSV)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "advice": _l("Open advice"),
    "activity": _l("Open activity"),
}
AGE_BAND_LABELS = {
    "0-5": _l("0–5 years"),
    "6-12": _l("6–12 years"),
    "13-17": _l("13–17 years"),
    "18-24": _l("18–24 years"),
    "25-64": _l("25–64 years"),
    "65+": _l("65 years or older"),
    "unknown": _l("Age not given"),
}
GENDER_LABELS = {
    "female": _l("Girl or woman"),
    "male": _l("Boy or man"),
    "other": _l("Other gender"),
    "not_given": _l("Gender not given"),
}
