"""Import every area's models so the metadata (and Alembic) knows all tables."""

from hubhome.accounts.models import ApiToken, LoginThrottle, User
from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child, Placement
from hubhome.network.models import Constellation, ConstellationMembership, Household, Organisation
from hubhome.ops.models import JobRun, SchedulerLease
from hubhome.outbox.models import OutboxMessage

__all__ = [
    "ApiToken",
    "JobRun",
    "SchedulerLease",
    "AuditEvent",
    "Child",
    "Constellation",
    "ConstellationMembership",
    "Household",
    "LoginThrottle",
    "Organisation",
    "OutboxMessage",
    "Placement",
    "User",
]
