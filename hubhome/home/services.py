"""What each role's home page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from hubhome.accounts.models import Role, User
from hubhome.children.services import visible_children
from hubhome.extensions import db
from hubhome.network.services import (
    current_constellation,
    placed_children,
    satellites,
    visible_constellations,
)
from hubhome.outbox.models import OutboxMessage, OutboxStatus


@dataclass
class HomeSummary:
    constellations: list[Any] = field(default_factory=list)
    household: Any = None
    constellation: Any = None
    children: list[Any] = field(default_factory=list)
    satellites: list[Any] = field(default_factory=list)
    failed_messages: int = 0


def home_summary(user: User) -> HomeSummary:
    """Collect what `user`'s role needs to see first."""
    summary = HomeSummary(constellations=list(visible_constellations(db.session, user)))
    if user.household is not None:
        summary.household = user.household
        summary.constellation = current_constellation(db.session, user.household)
        summary.children = list(placed_children(db.session, user.household))
    if user.role == Role.HUB_CARER and summary.constellation is not None:
        summary.satellites = list(satellites(db.session, summary.constellation))
    if user.role == Role.SOCIAL_WORKER:
        summary.children = list(visible_children(db.session, user))
    if user.role == Role.ADMIN:
        summary.failed_messages = (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.FAILED,
                    OutboxMessage.organisation_id == user.organisation_id,
                )
            )
            or 0
        )
    return summary
