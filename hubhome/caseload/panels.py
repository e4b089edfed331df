"""The caseload panel on a social worker's home page: what needs them today."""

from __future__ import annotations

from typing import Any

from hubhome.accounts.models import User
from hubhome.caseload.queries import caseload
from hubhome.decisions.reports import visible_decisions
from hubhome.decisions.services import late_since
from hubhome.extensions import db
from hubhome.timeutil import local_today


def home_panel(user: User) -> dict[str, Any] | None:
    today = local_today()
    rows = caseload(db.session, user, today)
    late = sum(
        1
        for d in visible_decisions(db.session, user)
        if d.responsible_id == user.id and late_since(d, today) is not None
    )
    if not rows and not late:
        return None
    return {
        "children": len(rows),
        "visits_overdue": sum(r.visit_overdue for r in rows),
        "reviews_overdue": sum(r.review_overdue for r in rows),
        "due_soon": sum(r.due_soon and not r.anything_overdue for r in rows),
        "decisions_late": late,
    }
