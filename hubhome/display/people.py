"""One way to show a child: the full name, and where names repeat, the birth year and home."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.network.models import Household


def current_homes(session: DbSession, child_ids: Iterable[int]) -> dict[int, str]:
    """The name of the home each child is placed in now (one query)."""
    ids = list(child_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Placement.child_id, Household.name)
        .join(Household, Household.id == Placement.household_id)
        .where(Placement.child_id.in_(ids), Placement.end_date.is_(None))
    )
    return {child_id: name for child_id, name in rows}


def child_labels(session: DbSession, children: Iterable[Child]) -> dict[int, str]:
    """Label each child by full name; namesakes get their birth year and home as well.

    A child with protected identity is told apart by birth year only: its home is secret.
    """
    found = list(children)
    repeated = Counter(f"{c.first_name} {c.last_name}" for c in found)
    homes = current_homes(
        session, [c.id for c in found if repeated[f"{c.first_name} {c.last_name}"] > 1]
    )
    labels = {}
    for child in found:
        name = f"{child.first_name} {child.last_name}"
        home = None if child.protected_identity else homes.get(child.id)
        if repeated[name] == 1:
            labels[child.id] = name
        elif home:
            labels[child.id] = _(
                "%(name)s (born %(year)s, %(home)s)",
                name=name,
                year=child.birth_date.year,
                home=home,
            )
        else:
            labels[child.id] = _("%(name)s (born %(year)s)", name=name, year=child.birth_date.year)
    return labels


def child_choices(session: DbSession, children: Iterable[Child]) -> list[tuple[int, str]]:
    """(id, label) pairs for a picker, namesakes told apart."""
    found = list(children)
    labels = child_labels(session, found)
    return [(c.id, labels[c.id]) for c in found]
