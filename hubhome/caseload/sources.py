"""Extra caseload columns supplied by other areas (contact restrictions, follow-ups, advice).

An area registers `fn(session, child_ids, today) -> {child_id: CaseloadExtra}`; it must run a
constant number of queries whatever the number of children. The caseload renders whatever
the registered sources give and says so honestly when nothing is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from hubhome.db import DbSession


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

_sources: list[CaseloadSource] = []


def register_caseload_source(fn: CaseloadSource) -> CaseloadSource:
    """Add a source of extra caseload notes (idempotent); usable as a decorator."""
    if fn not in _sources:
        _sources.append(fn)
    return fn


def unregister_caseload_source(fn: CaseloadSource) -> None:
    if fn in _sources:
        _sources.remove(fn)


def has_sources() -> bool:
    return bool(_sources)


def extras_for(
    session: DbSession, child_ids: Sequence[int], today: date
) -> dict[int, list[CaseloadNote]]:
    """Merge every source's notes per child, concerns first, then by due date."""
    merged: dict[int, list[CaseloadNote]] = {}
    for source in _sources:
        for child_id, extra in source(session, child_ids, today).items():
            merged.setdefault(child_id, []).extend(extra.notes)
    for notes in merged.values():
        notes.sort(key=lambda n: (not n.concern, not n.overdue, n.due or date.max))
    return merged
