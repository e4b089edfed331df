"""What a monthly access review selects from the audit log, rule by rule.

The rules, applied to the reads of children's records in one Stockholm calendar month:

- **sample**: `sample_size` reads drawn at random with the review's seed (the same seed and
  month draw the same reads again);
- **protected**: every read of a child with protected identity;
- **night**: every read made between 22:00 and 06:00 Stockholm time (summer or winter time);
- **no_relation**: every read by someone who, on the day of the read, was neither the child's
  social worker, nor the liaison or a carer (hub or satellite) of the constellation the child
  was placed in, nor a carer of the household, nor had accepted an on-call call about that
  household in the seven days before (administrators, whose role is the organisation's, are
  left out);
- **heavy**: every user whose reads in the month are at least `heavy_minimum` and more than
  `heavy_factor` times the median of the other readers' counts.

Everything is read with a fixed number of grouped queries, whatever the number of reads.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select

from hubhome.accounts.models import Role, User
from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.network.models import Constellation, ConstellationMembership
from hubhome.phone.models import Call
from hubhome.timeutil import STOCKHOLM, local_to_utc

NIGHT_STARTS = time(22)
NIGHT_ENDS = time(6)
CALL_RELATION_DAYS = 7
RULES = ("sample", "protected", "night", "no_relation", "heavy")


@dataclass(frozen=True)
class Read:
    event_id: int
    at: datetime
    actor_id: int | None
    child_id: int
    action: str


@dataclass
class Selection:
    """The reads selected (by event id, with their reasons) and the heavy readers."""

    reads: int = 0
    flagged: dict[int, list[str]] = field(default_factory=dict)
    by_id: dict[int, Read] = field(default_factory=dict)
    heavy: dict[int, int] = field(default_factory=dict)  # actor id -> reads in the month

    def flag(self, read: Read, reason: str) -> None:
        self.by_id[read.event_id] = read
        reasons = self.flagged.setdefault(read.event_id, [])
        if reason not in reasons:
            reasons.append(reason)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The instants a Stockholm calendar month starts and ends at."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return local_to_utc(first, time(0)), local_to_utc(following, time(0))


def is_child_read(action: Any) -> Any:
    """The SQL condition for an audit event being a read (page, list or API) of a record."""
    return or_(action.like("%.view"), action.like("%.read"), action.like("%list_view"))


def month_reads(session: DbSession, organisation_id: int, month: date) -> list[Read]:
    """Every read of a child's record in the organisation in the month, oldest first."""
    start, end = month_bounds(month)
    e = AuditEvent
    rows = session.execute(
        select(e.id, e.at, e.actor_id, e.child_id, e.action)
        .where(
            e.organisation_id == organisation_id,
            e.at >= start,
            e.at < end,
            e.child_id.is_not(None),
            is_child_read(e.action),
        )
        .order_by(e.id)
    )
    return [Read(r.id, r.at, r.actor_id, int(r.child_id or 0), r.action) for r in rows]


def is_night(at: datetime) -> bool:
    wall = at.astimezone(STOCKHOLM).time()
    return wall >= NIGHT_STARTS or wall < NIGHT_ENDS


def draw_sample(reads: list[Read], seed: int, size: int) -> list[Read]:
    """`size` reads drawn at random, the same ones for the same seed and reads."""
    rng = random.Random(seed)  # noqa: S311  (a reproducible sample, not a secret)
    return rng.sample(reads, min(size, len(reads)))


def heavy_readers(reads: Iterable[Read], factor: float, minimum: int) -> dict[int, int]:
    """The users reading far more than the median of the other readers (see the module)."""
    counts = Counter(r.actor_id for r in reads if r.actor_id is not None)
    heavy: dict[int, int] = {}
    for actor_id, count in counts.items():
        others = [n for other, n in counts.items() if other != actor_id]
        if others and count >= minimum and count > factor * statistics.median(others):
            heavy[actor_id] = count
    return heavy


def _active(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or end >= day)


class Relations:
    """Who had a relation to which child on which day, loaded in a few grouped queries."""

    def __init__(self, session: DbSession, organisation_id: int, start: datetime, end: datetime):
        p, m, c = Placement, ConstellationMembership, Constellation
        self.users = {
            row.id: row
            for row in session.execute(
                select(User.id, User.role, User.household_id).where(
                    User.organisation_id == organisation_id
                )
            )
        }
        self.placements: dict[int, list[Any]] = defaultdict(list)
        for placement in session.execute(
            select(p.child_id, p.household_id, p.social_worker_id, p.start_date, p.end_date)
            .join(Child, Child.id == p.child_id)
            .where(Child.organisation_id == organisation_id)
        ):
            self.placements[placement.child_id].append(placement)
        constellations = {
            row.id: row
            for row in session.execute(
                select(c.id, c.hub_household_id, c.liaison_id).where(
                    c.organisation_id == organisation_id
                )
            )
        }
        # household -> (constellation, joined, left); a hub belongs to its own, always
        self.constellations_of: dict[int, list[tuple[Any, date | None, date | None]]] = defaultdict(
            list
        )
        for constellation in constellations.values():
            if constellation.hub_household_id is not None:
                hub = constellation.hub_household_id
                self.constellations_of[hub].append((constellation, None, None))
        for member in session.execute(
            select(m.constellation_id, m.household_id, m.joined_on, m.left_on).where(
                m.constellation_id.in_(list(constellations))
            )
        ):
            self.constellations_of[member.household_id].append(
                (constellations[member.constellation_id], member.joined_on, member.left_on)
            )
        self.calls: dict[tuple[int, int], list[datetime]] = defaultdict(list)
        for call in session.execute(
            select(Call.accepted_by_id, Call.household_id, Call.started_at).where(
                Call.organisation_id == organisation_id,
                Call.accepted_by_id.is_not(None),
                Call.household_id.is_not(None),
                Call.started_at >= start - timedelta(days=CALL_RELATION_DAYS),
                Call.started_at < end,
            )
        ):
            self.calls[(call.accepted_by_id or 0, call.household_id or 0)].append(call.started_at)
        self.protected = set(
            session.scalars(
                select(Child.id).where(
                    Child.organisation_id == organisation_id, Child.protected_identity.is_(True)
                )
            )
        )

    def exempt(self, actor_id: int | None) -> bool:
        """Administrators (and events without a person) are outside the relation rule."""
        user = self.users.get(actor_id) if actor_id is not None else None
        return user is None or user.role == Role.ADMIN

    def _constellations(self, household_id: int | None, day: date) -> dict[int, Any]:
        """The constellations a household was the hub or a member of on `day`, by id."""
        if household_id is None:
            return {}
        return {
            c.id: c
            for c, joined, left in self.constellations_of.get(household_id, ())
            if _active(joined, left, day)
        }

    def related(self, actor_id: int, child_id: int, at: datetime) -> bool:
        """Whether the actor had a relation to the child on the day of `at`."""
        user = self.users[actor_id]
        day = at.astimezone(STOCKHOLM).date()
        for placement in self.placements.get(child_id, ()):
            if not _active(placement.start_date, placement.end_date, day):
                continue
            home = placement.household_id
            if placement.social_worker_id == actor_id or user.household_id == home:
                return True
            theirs = self._constellations(user.household_id, day)
            for constellation in self._constellations(home, day).values():
                if constellation.liaison_id == actor_id or constellation.id in theirs:
                    return True
            since = at - timedelta(days=CALL_RELATION_DAYS)
            if any(since <= t <= at for t in self.calls.get((actor_id, home), ())):
                return True
        return False


def select_for_review(
    session: DbSession,
    organisation_id: int,
    month: date,
    *,
    seed: int,
    sample_size: int,
    heavy_factor: float,
    heavy_minimum: int,
) -> Selection:
    """Apply every rule to the month's reads of the organisation's children."""
    reads = month_reads(session, organisation_id, month)
    start, end = month_bounds(month)
    relations = Relations(session, organisation_id, start, end)
    selection = Selection(reads=len(reads))
    for read in draw_sample(reads, seed, sample_size):
        selection.flag(read, "sample")
    for read in reads:
        if read.child_id in relations.protected:
            selection.flag(read, "protected")
        if is_night(read.at):
            selection.flag(read, "night")
        if (
            read.actor_id is not None
            and not relations.exempt(read.actor_id)
            and not relations.related(read.actor_id, read.child_id, read.at)
        ):
            selection.flag(read, "no_relation")
    selection.heavy = heavy_readers(reads, heavy_factor, heavy_minimum)
    return selection
