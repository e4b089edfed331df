"""Extra caseload columns supplied by other areas (contact restrictions, follow-ups, advice).

An area adds `fn(session, child_ids, today) -> {child_id: CaseloadExtra}` in its init_app; it
must run a constant number of queries whatever the number of children. The caseload renders
whatever the sources give and says so honestly when there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask import Flask, current_app

from hubhome.db import DbSession
from hubhome.registry import Registry


@dataclass(frozen=True)
class CaseloadNote:
    """One line about a child from another area, e.g. 'Contact restriction due for review'."""

    text: str
    concern: bool = False  # concerns are shown first and said to be concerns
    due: date | None = None
    overdue: bool = False
    url: str | None = None


@dataclass
class CaseloadExtra:
    notes: list[CaseloadNote] = field(default_factory=list)


CaseloadSource = Callable[[DbSession, Sequence[int], date], dict[int, CaseloadExtra]]

caseload_sources: Registry[CaseloadSource] = Registry("caseload_sources")


def register_caseload_source(fn: CaseloadSource, app: Flask | None = None) -> CaseloadSource:
    """Add a source of extra caseload notes to `app` (the current one by default)."""
    return caseload_sources.add(app or current_app, fn)


def unregister_caseload_source(fn: CaseloadSource, app: Flask | None = None) -> None:
    caseload_sources.remove(app or current_app, fn)


def has_sources() -> bool:
    return bool(caseload_sources.items())


def extras_for(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, list[CaseloadNote]]:
    """Merge every source's notes per child, concerns first, then by due date."""
    merged: dict[int, list[CaseloadNote]] = {}
    for source in caseload_sources.items():
        for child_id, extra in source(session, child_ids, today).items():
            merged.setdefault(child_id, []).extend(extra.notes)
    for notes in merged.values():
        notes.sort(key=lambda n: (not n.concern, not n.overdue, n.due or date.max))
    return merged
