"""The register extract's sections for the data the existing areas hold."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from hubhome.accounts.models import User
from hubhome.advice.models import AdviceContact
from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child, Placement
from hubhome.children.personnummer import mask
from hubhome.db import DbSession
from hubhome.network.models import Constellation, ConstellationMembership
from hubhome.phone.models import Call
from hubhome.privacy.extract import ExtractSection, ExtractSubject, Row, add_section
from hubhome.respite.models import RespiteBooking
from hubhome.visits.models import ContactVisit

AUDIT_ROWS_MAX = 2000  # the newest reads of the person's data; the count says if more


def profile(session: DbSession, subject: ExtractSubject) -> list[Row]:
    user = subject.user
    if user is None:
        return [{"name": subject.name, "email": None, "phone": None, "role": None}]
    return [
        {
            "name": user.name,
            "email": user.email,
            "phone": user.phone,
            "role": str(user.role),
            "language": user.locale,
            "active": user.active,
            "personnummer": mask(user.personnummer),
            "created_at": user.created_at,
        }
    ]


def household(session: DbSession, subject: ExtractSubject) -> list[Row]:
    home = subject.household
    if home is None:
        return []
    return [
        {
            "name": home.name,
            "kind": str(home.kind),
            "street": home.street,
            "postcode": home.postcode,
            "city": home.city,
            "phone": home.phone,
            "registered_on": home.registered_on,
            "deregistered_on": home.deregistered_on,
        }
    ]


def constellations(session: DbSession, subject: ExtractSubject) -> list[Row]:
    if subject.household_id is None:
        return []
    m = ConstellationMembership
    rows: list[Row] = [
        {"constellation": name, "as": "hub", "joined_on": None, "left_on": None}
        for name in session.scalars(
            select(Constellation.name).where(Constellation.hub_household_id == subject.household_id)
        )
    ]
    for name, joined, left in session.execute(
        select(Constellation.name, m.joined_on, m.left_on)
        .join(m, m.constellation_id == Constellation.id)
        .where(m.household_id == subject.household_id)
        .order_by(m.joined_on)
    ):
        rows.append(
            {"constellation": name, "as": "satellite", "joined_on": joined, "left_on": left}
        )
    return rows


def placements(session: DbSession, subject: ExtractSubject) -> list[Row]:
    """Children placed in the person's home: a first name and the dates, nothing else."""
    if subject.household_id is None:
        return []
    return [
        {"child_first_name": first, "start_date": start, "end_date": end}
        for first, start, end in session.execute(
            select(Child.first_name, Placement.start_date, Placement.end_date)
            .join(Child, Child.id == Placement.child_id)
            .where(Placement.household_id == subject.household_id)
            .order_by(Placement.start_date)
        )
    ]


def bookings(session: DbSession, subject: ExtractSubject) -> list[Row]:
    if subject.household_id is None:
        return []
    b, home = RespiteBooking, subject.household_id
    return [
        {
            "check_in": row.check_in,
            "check_out": row.check_out,
            "kind": str(row.kind),
            "status": str(row.status),
            "as": "host" if row.hub_household_id == home else "guest",
            "note": row.note,
            "reason": row.reason,
            "created_at": row.created_at,
        }
        for row in session.scalars(
            select(b)
            .where(or_(b.household_id == home, b.hub_household_id == home))
            .order_by(b.check_in)
        )
    ]


def advice(session: DbSession, subject: ExtractSubject) -> list[Row]:
    a = AdviceContact
    if subject.household_id is not None:
        where = a.household_id == subject.household_id
    else:  # a person without a household: the advice they asked for themselves
        where = and_(
            a.organisation_id == subject.organisation_id,
            func.lower(a.asked_by) == subject.name.lower(),
        )
    return [
        {
            "at": row.created_at,
            "asked_by": row.asked_by,
            "channel": str(row.channel),
            "topic": str(row.topic),
            "urgency": str(row.urgency),
            "summary": row.summary,
            "follow_up_on": row.follow_up_on,
        }
        for row in session.scalars(select(a).where(where).order_by(a.created_at))
    ]


def calls(session: DbSession, subject: ExtractSubject) -> list[Row]:
    conditions = []
    if subject.household_id is not None:
        conditions.append(Call.household_id == subject.household_id)
    if subject.user is not None:
        conditions.append(Call.caller_id == subject.user.id)
    if not conditions:
        return []
    return [
        {
            "started_at": row.started_at,
            "from_number": row.from_number,
            "status": str(row.status),
            "duration_seconds": row.duration_seconds,
            "note": row.note,
        }
        for row in session.scalars(select(Call).where(or_(*conditions)).order_by(Call.started_at))
    ]


def visits(session: DbSession, subject: ExtractSubject) -> list[Row]:
    """Contact visits the person is named in as a relative: when, where, with whom."""
    v = ContactVisit
    pattern = "%" + subject.name.lower().replace("%", r"\%").replace("_", r"\_") + "%"
    return [
        {
            "starts_at": row.starts_at,
            "ends_at": row.ends_at,
            "child_first_name": first,
            "relatives": row.relatives,
            "place": row.place,
            "status": str(row.status),
        }
        for row, first in session.execute(
            select(v, Child.first_name)
            .join(Child, Child.id == v.child_id)
            .where(
                v.organisation_id == subject.organisation_id,
                func.lower(v.relatives).like(pattern, escape="\\"),
            )
            .order_by(v.starts_at)
        )
    ]


def reads(session: DbSession, subject: ExtractSubject) -> list[Row]:
    """Who read the person's account or household record, and when (newest first)."""
    e = AuditEvent
    conditions = []
    if subject.user is not None:
        conditions.append(and_(e.object_type == "users", e.object_id == subject.user.id))
    if subject.household_id is not None:
        conditions.append(and_(e.household_id == subject.household_id, e.child_id.is_(None)))
    if not conditions:
        return []
    return [
        {"at": at, "who": name, "role": role, "action": action, "channel": channel}
        for at, name, role, action, channel in session.execute(
            select(e.at, User.name, e.actor_role, e.action, e.channel)
            .outerjoin(User, User.id == e.actor_id)
            .where(e.organisation_id == subject.organisation_id, or_(*conditions))
            .order_by(e.at.desc(), e.id.desc())
            .limit(AUDIT_ROWS_MAX)
        )
    ]


def init_sections(app: Flask) -> None:
    """Add the sections for the data of the areas Hubhome has today."""
    when, status = _l("When"), _l("Status")
    sections = [
        ExtractSection(
            "profile",
            _l("Profile"),
            {
                "name": _l("Name"),
                "email": _l("E-mail"),
                "phone": _l("Phone"),
                "role": _l("Role"),
                "language": _l("Language"),
                "active": _l("Active"),
                "personnummer": _l("Personal identity number"),
                "created_at": _l("Created"),
            },
            profile,
            10,
        ),
        ExtractSection(
            "household",
            _l("Household"),
            {
                "name": _l("Name"),
                "kind": _l("Kind"),
                "street": _l("Street"),
                "postcode": _l("Postcode"),
                "city": _l("City"),
                "phone": _l("Phone"),
                "registered_on": _l("Registered"),
                "deregistered_on": _l("Deregistered"),
            },
            household,
            20,
        ),
        ExtractSection(
            "constellations",
            _l("Constellations"),
            {
                "constellation": _l("Constellation"),
                "as": _l("As"),
                "joined_on": _l("Joined"),
                "left_on": _l("Left"),
            },
            constellations,
            25,
        ),
        ExtractSection(
            "placements",
            _l("Children placed in the home"),
            {
                "child_first_name": _l("First name"),
                "start_date": _l("From"),
                "end_date": _l("Until"),
            },
            placements,
            30,
        ),
        ExtractSection(
            "bookings",
            _l("Respite bookings"),
            {
                "check_in": _l("Check-in"),
                "check_out": _l("Check-out"),
                "kind": _l("Kind"),
                "status": status,
                "as": _l("As"),
                "note": _l("Note"),
                "reason": _l("Reason"),
                "created_at": _l("Created"),
            },
            bookings,
            40,
        ),
        ExtractSection(
            "advice",
            _l("Advice"),
            {
                "at": when,
                "asked_by": _l("Asked by"),
                "channel": _l("Channel"),
                "topic": _l("Topic"),
                "urgency": _l("Urgency"),
                "summary": _l("Summary"),
                "follow_up_on": _l("Follow-up"),
            },
            advice,
            50,
        ),
        ExtractSection(
            "calls",
            _l("Calls to the on-call line"),
            {
                "started_at": when,
                "from_number": _l("From"),
                "status": status,
                "duration_seconds": _l("Seconds"),
                "note": _l("Note"),
            },
            calls,
            60,
        ),
        ExtractSection(
            "visits",
            _l("Contact visits"),
            {
                "starts_at": _l("Starts"),
                "ends_at": _l("Ends"),
                "child_first_name": _l("Child"),
                "relatives": _l("Relatives"),
                "place": _l("Place"),
                "status": status,
            },
            visits,
            70,
        ),
        ExtractSection(
            "reads",
            _l("Who read this person's data"),
            {
                "at": when,
                "who": _l("Who"),
                "role": _l("Role"),
                "action": _l("Action"),
                "channel": _l("Channel"),
            },
            reads,
            90,
        ),
    ]
    for section in sections:
        add_section(app, section)
