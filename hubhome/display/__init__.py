"""One way to show people, dates, numbers and codes, in templates and in Python alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask

from hubhome.display import codes, counts, dates, phones


def init_app(app: Flask) -> None:
    """Register the filters every template uses for dates, times and numbers."""
    filters: dict[str, Any] = {
        "local_date": dates.format_day,
        "local_datetime": dates.format_instant,
        "local_time": dates.format_clock,
        "date_range": dates.format_day_range,
        "time_range": dates.format_instant_range,
        "decimal": dates.format_number,
        "code_label": codes.code_label,
        "tel": phones.tel_link,
    }
    app.jinja_env.filters.update(filters)
    app.jinja_env.globals.update(
        respite_mix=counts.respite_mix, every=counts.every, child_labels=_child_labels
    )


def _child_labels(children: Iterable[Any]) -> dict[int, str]:
    from hubhome.display.people import child_labels
    from hubhome.extensions import db

    return child_labels(db.session, children)
