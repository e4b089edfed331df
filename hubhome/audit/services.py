"""Write audit events; never put names, personnummer or phone numbers in `detail`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import insert

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.db import DbSession, table_of

_INSERT = insert(table_of(AuditEvent))  # built once; the values come per call


@dataclass(frozen=True)
class Subject:
    """What one audit event is about, for `record_many`."""

    object_type: str | None = None
    object_id: int | None = None
    child_id: int | None = None
    household_id: int | None = None
    detail: dict[str, object] | None = None  # this event's own, instead of `record_many`'s


def _where() -> tuple[str | None, str]:
    """The client's address and the channel (web, api, phone, cli) of the current request."""
    if has_request_context():
        return request.remote_addr, g.get("audit_channel", "web")
    return None, "cli"


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
) -> None:
    """Write an audit event for `actor` doing `action` on `obj` in the current transaction."""
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
    subject = Subject(object_type, object_id, child_id, household_id)
    # Core, not the ORM's unit of work (a third of the time). Nothing pending needs to be
    # written first: the object is named by id, and only the organisation and actor, which
    # exist already, are foreign keys.
    session.connection().execute(_INSERT, _row(actor, action, organisation_id, subject, detail))


def record_regardless(
    actor: User | None,
    action: str,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    organisation_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """Write a security event (a refused sign-in, a denied look) whatever becomes of the
    request: refusals roll their unit of work back, and the event must stay."""
    from hubhome.transaction import commit_regardless

    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    row = _row(actor, action, organisation_id, Subject(object_type, object_id), detail)

    def write(session: DbSession) -> None:
        session.connection().execute(_INSERT, row)

    commit_regardless(write)


def record_many(
    session: DbSession,
    actor: User,
    action: str,
    subjects: Sequence[Subject],
    *,
    detail: dict[str, object] | None = None,
) -> None:
    """Write one audit event per subject (a list of records read, say) in one statement."""
    if subjects:
        rows = [
            _row(actor, action, actor.organisation_id, s, detail if s.detail is None else s.detail)
            for s in subjects
        ]
        session.connection().execute(_INSERT, rows)


def _row(
    actor: User | None,
    action: str,
    organisation_id: int | None,
    subject: Subject,
    detail: dict[str, object] | None,
) -> dict[str, Any]:
    ip, channel = _where()
    return {
        "organisation_id": organisation_id,
        "actor_id": actor.id if actor is not None else None,
        "actor_role": str(actor.role) if actor is not None else None,
        "action": action,
        "object_type": subject.object_type,
        "object_id": subject.object_id,
        "child_id": subject.child_id,
        "household_id": subject.household_id,
        "ip": ip,
        "channel": channel,
        "detail": detail,
    }
