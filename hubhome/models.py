"""Import every area's models so the metadata (and Alembic) knows all tables."""

from hubhome.accounts.models import ApiToken, LoginThrottle, User
from hubhome.activities.models import Activity, ActivityAnswer, ActivityInvitee, ActivitySeries
from hubhome.advice.models import AdviceContact
from hubhome.audit.models import AuditEvent
from hubhome.calendar.models import CalendarFeed
from hubhome.caseload.models import FollowUpVisit, MonitoringSettings, PlacementReview
from hubhome.children.models import Child, Placement
from hubhome.conferences.models import ConferenceMeeting, ConferenceMember, FamilyConference
from hubhome.decisions.models import DecisionInterruption, DecisionOffer, InterventionDecision
from hubhome.messages.models import Message, MessageThread, ThreadParticipant, ThreadReadState
from hubhome.network.models import Constellation, ConstellationMembership, Household, Organisation
from hubhome.notify.models import FollowUpTaken, NotificationPreference, PushSubscription
from hubhome.openservices.models import OpenParticipation, OpenService
from hubhome.ops.models import JobRun, SchedulerLease
from hubhome.outbox.models import OutboxMessage
from hubhome.outcomes.models import (
    ConstellationSnapshot,
    SurveyAnswer,
    SurveyInvitation,
    SurveyRound,
)
from hubhome.phone.models import Call, CallLeg, FollowUp, InboundSms, WebhookReceipt
from hubhome.privacy.models import LogReview, LogReviewItem
from hubhome.recordings.models import StoredRecording
from hubhome.respite.models import (
    BedCapacityChange,
    BlockedPeriod,
    RespiteBooking,
    RespiteBookingChild,
    RespiteRules,
    RespiteWaitlistEntry,
)
from hubhome.rota.models import CoverRequest, OnCallShift, Rota, RotaSlot
from hubhome.visits.models import ContactRestriction, ContactVisit, PlannedFollowUpVisit

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
    "Activity",
    "ActivityAnswer",
    "ActivityInvitee",
    "ActivitySeries",
    "AdviceContact",
    "ContactRestriction",
    "ContactVisit",
    "Call",
    "CallLeg",
    "FollowUp",
    "InboundSms",
    "WebhookReceipt",
    "OnCallShift",
    "Rota",
    "RotaSlot",
    "CoverRequest",
    "FollowUpTaken",
    "NotificationPreference",
    "PushSubscription",
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
    "Message",
    "MessageThread",
    "ThreadParticipant",
    "ThreadReadState",
    "StoredRecording",
    "OpenService",
    "OpenParticipation",
    "LogReview",
    "LogReviewItem",
    "ConferenceMeeting",
    "ConferenceMember",
    "FamilyConference",
    "PlannedFollowUpVisit",
]
