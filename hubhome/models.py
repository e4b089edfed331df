"""Import every area's models so the metadata (and Alembic) knows all tables."""

from hubhome.accounts.models import ApiToken, LoginThrottle, User
from hubhome.audit.models import AuditEvent
from hubhome.calendar.models import CalendarFeed
from hubhome.caseload.models import FollowUpVisit, MonitoringSettings, PlacementReview
from hubhome.children.models import Child, Placement
from hubhome.decisions.models import DecisionInterruption, DecisionOffer, InterventionDecision
from hubhome.network.models import Constellation, ConstellationMembership, Household, Organisation
from hubhome.ops.models import JobRun, SchedulerLease
from hubhome.outbox.models import OutboxMessage
from hubhome.outcomes.models import (
    ConstellationSnapshot,
    SurveyAnswer,
    SurveyInvitation,
    SurveyRound,
)
from hubhome.respite.models import (
    BedCapacityChange,
    BlockedPeriod,
    RespiteBooking,
    RespiteBookingChild,
    RespiteRules,
    RespiteWaitlistEntry,
)

__all__ = [
    "ApiToken",
    "JobRun",
    "SchedulerLease",
    "AuditEvent",
    "BedCapacityChange",
    "BlockedPeriod",
    "CalendarFeed",
    "Child",
    "Constellation",
    "ConstellationMembership",
    "Household",
    "LoginThrottle",
    "Organisation",
    "OutboxMessage",
    "Placement",
    "RespiteBooking",
    "RespiteBookingChild",
    "RespiteRules",
    "RespiteWaitlistEntry",
    "User",
    "FollowUpVisit",
    "MonitoringSettings",
    "PlacementReview",
    "DecisionInterruption",
    "DecisionOffer",
    "InterventionDecision",
    "ConstellationSnapshot",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyRound",
]
