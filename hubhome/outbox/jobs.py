"""Send due outbox messages."""

from __future__ import annotations

from hubhome.db import DbSession
from hubhome.outbox.sender import send_due


def send_outbox(session: DbSession) -> int:
    report = send_due(session)
    return report.sent + report.retried + report.failed
