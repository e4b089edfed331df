"""Who is in which message thread: group threads follow the constellation's current members,
direct threads name their two people. Nobody else reads a thread; an administrator may open
one of the organisation's threads only by giving a reason (break-the-glass)."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import Select, or_, select, union

from hubhome.accounts.models import Role, User
from hubhome.messages.models import MessageThread, ThreadKind, ThreadParticipant
from hubhome.network.models import Constellation, ConstellationMembership
from hubhome.permissions.core import get_or_404

# Staff whose every read of a thread is in the audit log.
THREAD_READ_AUDITED = frozenset({Role.ADMIN, Role.SOCIAL_WORKER, Role.ONCALL_STAFF})


def member_constellation_ids(user: User) -> Select[Any]:
    """The constellations `user` takes part in now: as a carer of its hub or of a current
    satellite household, or as its liaison social worker."""
    c, m = Constellation, ConstellationMembership
    liaison = select(c.id).where(c.liaison_id == user.id)
    if user.household_id is None:
        return liaison
    hub = select(c.id).where(c.hub_household_id == user.household_id)
    satellite = select(m.constellation_id).where(
        m.household_id == user.household_id, m.left_on.is_(None)
    )
    return select(union(liaison, hub, satellite).subquery().c[0])


def thread_ids_visible_to(user: User) -> Select[Any]:
    """The threads `user` is in: the group threads of their constellations, and their own
    direct threads."""
    t = MessageThread
    direct = select(ThreadParticipant.thread_id).where(ThreadParticipant.user_id == user.id)
    return select(t.id).where(
        t.organisation_id == user.organisation_id,
        or_(
            (t.kind == ThreadKind.GROUP) & t.constellation_id.in_(member_constellation_ids(user)),
            (t.kind == ThreadKind.DIRECT) & t.id.in_(direct),
        ),
    )


def get_thread_or_404(user: User, thread_id: int) -> MessageThread:
    return get_or_404(MessageThread, thread_id, thread_ids_visible_to(user))


def can_break_glass(user: User) -> bool:
    """Administrators may open a thread they are not in, giving a reason that is audited."""
    return user.role == Role.ADMIN


def get_thread_for_break_glass_or_404(user: User, thread_id: int) -> MessageThread:
    """A thread of the administrator's own organisation; anything else is 404."""
    if not can_break_glass(user):
        abort(404)
    scope = select(MessageThread.id).where(MessageThread.organisation_id == user.organisation_id)
    return get_or_404(MessageThread, thread_id, scope)
