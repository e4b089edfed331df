"""The telephone panel on the home page: open follow-ups, and the next on-call shifts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.extensions import db
from hubhome.phone.services import follow_ups
from hubhome.rota.models import OnCallShift
from hubhome.timeutil import utcnow


def home_panel(user: User) -> dict[str, Any] | None:
    """Show what waits on the phone; hidden when nothing waits and no shift is near."""
    now = utcnow()
    shifts = db.session.scalars(
        select(OnCallShift)
        .where(
            OnCallShift.user_id == user.id,
            OnCallShift.ends_at > now,
            OnCallShift.starts_at < now + timedelta(days=2),
        )
        .order_by(OnCallShift.starts_at)
        .limit(3)
    ).all()
    waiting = len(follow_ups(db.session, user, handled=False))
    if not waiting and not shifts:
        return None
    return {"waiting": waiting, "shifts": shifts, "now": now}
