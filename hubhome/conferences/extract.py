"""The register extract's section for family group conferences: where the person is in a
child's network (found by name, as people outside Hubhome have no account) or coordinates."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.conferences.models import ConferenceMeeting, ConferenceMember, FamilyConference
from hubhome.db import DbSession
from hubhome.display.dates import format_instant
from hubhome.privacy.extract import ExtractSection, ExtractSubject, Row, add_section


def conferences(session: DbSession, subject: ExtractSubject) -> list[Row]:
    """One row per conference the person is invited to or coordinates: their own part (name,
    relation, phone as stored) and of the child only the first name, as elsewhere."""
    rows: list[Row] = []
    wanted = subject.name.strip().casefold()
    # names are encrypted at rest, so they are compared after decryption, one organisation
    members = session.scalars(
        select(ConferenceMember)
        .join(FamilyConference, FamilyConference.id == ConferenceMember.conference_id)
        .where(FamilyConference.organisation_id == subject.organisation_id)
        .options(
            selectinload(ConferenceMember.conference).selectinload(FamilyConference.meetings),
            selectinload(ConferenceMember.conference).selectinload(FamilyConference.child),
        )
    ).all()
    for member in members:
        if member.name.strip().casefold() != wanted:
            continue
        rows.append(_row(member.conference, _l("Network: %(r)s", r=member.relation), member.phone))
    if subject.user is not None:
        for conference in session.scalars(
            select(FamilyConference)
            .where(FamilyConference.coordinator_id == subject.user.id)
            .options(selectinload(FamilyConference.meetings), selectinload(FamilyConference.child))
        ):
            rows.append(_row(conference, _l("Coordinator"), None))
    return rows


def _starts(meeting: ConferenceMeeting) -> datetime:
    return meeting.starts_at


def _row(conference: FamilyConference, part: object, phone: str | None) -> Row:
    return {
        "part": str(part),
        "child_first_name": conference.child.first_name,
        "meetings": ", ".join(
            format_instant(m.starts_at) for m in sorted(conference.meetings, key=_starts)
        ),
        "phone": phone,
        "plan_follow_up_on": conference.plan_follow_up_on,
    }


def init_extract(app: Flask) -> None:
    add_section(
        app,
        ExtractSection(
            "conferences",
            _l("Family group conferences"),
            {
                "part": _l("Part"),
                "child_first_name": _l("Child"),
                "meetings": _l("Meetings"),
                "phone": _l("Phone"),
                "plan_follow_up_on": _l("Plan followed up"),
            },
            conferences,
            75,
        ),
    )
