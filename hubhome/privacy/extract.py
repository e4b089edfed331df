"""A register extract (GDPR art. 15): everything Hubhome holds about one person.

The extract is a list of sections, each contributed through `extract_sections` by the area
that holds the data (`add_section(app, section)` in its `init_app`); a messages area adds
"Messages they wrote" the same way. A section answers rows of plain values (str, int, bool,
None), so the same rows make the printable page and the JSON download. A section returns
only what concerns the person: of other people's children, at most a first name where the
person's own record names them (a child placed in their home, a visit they took part in).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import LazyString

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.network.models import Household
from hubhome.registry import Registry
from hubhome.timeutil import utcnow

Row = dict[str, Any]


@dataclass(frozen=True)
class ExtractSubject:
    """The person an extract is about: a user, or a person without an account known by
    name (a household member, a relative in the network), with their household if any."""

    organisation_id: int
    name: str
    user: User | None = None
    household: Household | None = None

    @property
    def household_id(self) -> int | None:
        return self.household.id if self.household is not None else None


@dataclass(frozen=True)
class ExtractSection:
    key: str
    title: LazyString
    columns: Mapping[str, LazyString]  # the rows' keys, in order, with their headings
    rows: Callable[[DbSession, ExtractSubject], list[Row]]
    order: int = 50


extract_sections: Registry[ExtractSection] = Registry(
    "register_extract", key=lambda section: section.key
)


def add_section(app: Flask, section: ExtractSection) -> None:
    """Add a section to every register extract (one per key)."""
    extract_sections.add(app, section)


@dataclass(frozen=True)
class Extract:
    subject: ExtractSubject
    produced_at: datetime
    produced_by: User
    sections: list[tuple[ExtractSection, list[Row]]]

    def as_json(self) -> dict[str, Any]:
        """The extract as a JSON document: the same rows as the page, dates in ISO 8601."""
        subject = self.subject
        return {
            "kind": "register_extract",
            "produced_at": self.produced_at.isoformat(),
            "produced_by": self.produced_by.name,
            "subject": {
                "name": subject.name,
                "user_id": subject.user.id if subject.user is not None else None,
                "household_id": subject.household_id,
            },
            "sections": [
                {
                    "key": section.key,
                    "title": str(section.title),
                    "rows": [{k: _plain(v) for k, v in row.items()} for row in rows],
                }
                for section, rows in self.sections
            ],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def produce_extract(
    session: DbSession, actor: User, subject: ExtractSubject, *, fmt: str
) -> Extract:
    """Assemble the extract from every section, and audit that it was produced."""
    sections = sorted(extract_sections.items(), key=lambda s: s.order)
    extract = Extract(
        subject=subject,
        produced_at=utcnow(),
        produced_by=actor,
        sections=[(section, section.rows(session, subject)) for section in sections],
    )
    record(
        session,
        actor,
        "register_extract.produce",
        subject.user if subject.user is not None else subject.household,
        household_id=subject.household_id,
        organisation_id=subject.organisation_id,
        detail={
            "format": fmt,
            "subject_user_id": subject.user.id if subject.user is not None else None,
            "sections": [s.key for s, _rows in extract.sections],
        },
    )
    return extract


def display_value(value: Any) -> str:
    """A row's value on the page: instants in Stockholm time, dates, yes and no."""
    from flask_babel import format_date, format_datetime
    from flask_babel import gettext as _

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "medium")
    return str(value)
