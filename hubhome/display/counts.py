"""Counts in sentences: every number that counts something goes through ngettext."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import ngettext


def respite_mix(planned: int, emergency: int) -> str:
    """Show respite nights by kind: "1 planned night, 2 emergency nights"."""
    return ", ".join(
        (
            ngettext("%(num)s planned night", "%(num)s planned nights", planned),
            ngettext("%(num)s emergency night", "%(num)s emergency nights", emergency),
        )
    )


def every(period: timedelta) -> str:
    """Show how often something repeats: "every 5 seconds", "every 10 minutes"."""
    seconds = int(period.total_seconds())
    if seconds % 3600 == 0:
        return ngettext("every hour", "every %(num)s hours", seconds // 3600)
    if seconds % 60 == 0:
        return ngettext("every minute", "every %(num)s minutes", seconds // 60)
    return ngettext("every second", "every %(num)s seconds", seconds)
