"""Write audit events; never put names, personnummer or phone numbers in `detail`."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.db import DbSession


def record(
    session: DbSession,
    actor: User | None,
    action: str,
    obj: Any = None,
    *,
    child_id: int | None = None,
    household_id: int | None = None,
    organisation_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    """Add an audit event for `actor` doing `action` on `obj` to the current transaction."""
    object_type = getattr(obj, "__tablename__", None) if obj is not None else None
    object_id = getattr(obj, "id", None) if obj is not None else None
    if child_id is None and object_type == "children":
        child_id = object_id
    if household_id is None and object_type == "households":
        household_id = object_id
    if organisation_id is None:
        organisation_id = getattr(obj, "organisation_id", None) or getattr(
            actor, "organisation_id", None
        )
    ip = None
    channel = "cli"
    if has_request_context():
        ip = request.remote_addr
        channel = g.get("audit_channel", "web")
    event = AuditEvent(
        organisation_id=organisation_id,
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        household_id=household_id,
        ip=ip,
        channel=channel,
        detail=detail,
    )
    session.add(event)
    return event
