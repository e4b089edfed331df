"""Messages: group threads kept in step with the constellations, direct threads, posting,
read state and break-the-glass reads. Plain functions taking a session; they never commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import has_app_context
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.db import DbSession, table_of
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.messages.models import (
    BODY_MAX,
    Message,
    MessageThread,
    ThreadKind,
    ThreadParticipant,
    ThreadReadState,
)
from hubhome.network.models import Constellation
from hubhome.permissions import (
    THREAD_READ_AUDITED,
    households_of_constellations,
    member_constellation_ids,
    thread_ids_visible_to,
)
from hubhome.registry import Registry
from hubhome.timeutil import utcnow

REASON_MIN, REASON_MAX = 10, 500
PAGE = 200  # the newest messages a thread shows

# Called after a message is posted, in the same transaction: fn(session, message, recipients)
# (the notification service plugs in here from its area's init_app).
MessageListener = Callable[[DbSession, Message, list[User]], None]
message_listeners: Registry[MessageListener] = Registry("message_listeners")

_THREADS = table_of(MessageThread)
_READ = table_of(ThreadReadState)
_NEW_GROUP_THREAD = {  # built once per dialect: two requests at once still make one thread
    d.dialect.name: d.insert(_THREADS).on_conflict_do_nothing(index_elements=["constellation_id"])
    for d in (postgresql, sqlite)
}
_READ_UP_TO = {
    d.dialect.name: d.insert(_READ).on_conflict_do_update(
        index_elements=["thread_id", "user_id"],
        set_={
            "last_read_message_id": d.insert(_READ).excluded.last_read_message_id,
            "read_at": d.insert(_READ).excluded.read_at,
        },
        where=_READ.c.last_read_message_id < d.insert(_READ).excluded.last_read_message_id,
    )
    for d in (postgresql, sqlite)
}


@dataclass(frozen=True)
class ThreadSummary:
    thread: MessageThread
    title: str
    unread: int


# --- who is in a thread ------------------------------------------------------------------


def ensure_group_threads(session: DbSession, constellation_ids: Any) -> None:
    """Give every constellation among `constellation_ids` its group thread (once)."""
    missing = session.execute(
        select(Constellation.id, Constellation.organisation_id).where(
            Constellation.id.in_(constellation_ids),
            ~exists().where(MessageThread.constellation_id == Constellation.id),
        )
    ).all()
    if not missing:
        return
    connection = session.connection()
    now = utcnow()
    for constellation_id, organisation_id in missing:
        connection.execute(
            _NEW_GROUP_THREAD[connection.dialect.name],
            {
                "organisation_id": organisation_id,
                "kind": ThreadKind.GROUP,
                "constellation_id": constellation_id,
                "created_at": now,
            },
        )


def participants(session: DbSession, thread: MessageThread) -> list[User]:
    """The people in `thread` now: for a group thread, the carers of its constellation's hub
    and current satellites and its liaison, read from the constellation (so it cannot drift)."""
    if thread.kind == ThreadKind.DIRECT:
        query = select(User).join(ThreadParticipant, ThreadParticipant.user_id == User.id)
        query = query.where(ThreadParticipant.thread_id == thread.id)
    else:
        ids = select(Constellation.id).where(Constellation.id == thread.constellation_id)
        query = select(User).where(_people_of(ids))
    query = query.where(User.active.is_(True), User.organisation_id == thread.organisation_id)
    return list(session.scalars(query.order_by(User.name, User.id)))


def _people_of(constellation_ids: Any) -> ColumnElement[bool]:
    """Whether a user is in one of the constellations: a carer of its hub or of a current
    satellite household, or its liaison."""
    liaisons = select(Constellation.liaison_id).where(Constellation.id.in_(constellation_ids))
    return or_(
        User.household_id.in_(households_of_constellations(constellation_ids)),
        User.id.in_(liaisons),
    )


def is_participant(session: DbSession, user: User, thread: MessageThread) -> bool:
    visible = thread_ids_visible_to(user).where(MessageThread.id == thread.id)
    return bool(session.scalar(select(exists(visible))))


def people_to_write_to(session: DbSession, user: User) -> list[User]:
    """Everyone who shares a constellation with `user` (a direct thread's other person)."""
    query = select(User).where(
        _people_of(member_constellation_ids(user)),
        User.id != user.id,
        User.active.is_(True),
        User.organisation_id == user.organisation_id,
    )
    return list(session.scalars(query.order_by(User.name, User.id)))


def _share_a_constellation(session: DbSession, one: User, other: User) -> bool:
    shared = member_constellation_ids(one).subquery()
    query = select(exists().where(shared.c[0].in_(member_constellation_ids(other))))
    return one.organisation_id == other.organisation_id and bool(session.scalar(query))


# --- threads -----------------------------------------------------------------------------


def my_threads(session: DbSession, user: User) -> list[ThreadSummary]:
    """The user's threads, newest activity first, with how many messages they have not read."""
    ensure_group_threads(session, member_constellation_ids(user))
    visible = thread_ids_visible_to(user)
    threads = list(
        session.scalars(
            select(MessageThread)
            .where(MessageThread.id.in_(visible))
            .options(selectinload(MessageThread.constellation))
            .order_by(
                func.coalesce(MessageThread.last_message_at, MessageThread.created_at).desc(),
                MessageThread.id.desc(),
            )
        )
    )
    unread = _unread_counts(session, user, visible)
    titles = _titles(session, user, threads)
    return [ThreadSummary(t, titles[t.id], unread.get(t.id, 0)) for t in threads]


def _unread_counts(session: DbSession, user: User, thread_ids: Any) -> dict[int, int]:
    read = ThreadReadState
    rows = session.execute(
        select(Message.thread_id, func.count())
        .outerjoin(read, (read.thread_id == Message.thread_id) & (read.user_id == user.id))
        .where(
            Message.thread_id.in_(thread_ids),
            Message.author_id != user.id,
            Message.id > func.coalesce(read.last_read_message_id, 0),
        )
        .group_by(Message.thread_id)
    )
    return {thread_id: count for thread_id, count in rows}


def _titles(session: DbSession, viewer: User, threads: Sequence[MessageThread]) -> dict[int, str]:
    """A group thread is named after its constellation, a direct one after the other person."""
    direct = [t.id for t in threads if t.kind == ThreadKind.DIRECT]
    others: dict[int, str] = {}
    if direct:
        rows = session.execute(
            select(ThreadParticipant.thread_id, User.name)
            .join(User, User.id == ThreadParticipant.user_id)
            .where(ThreadParticipant.thread_id.in_(direct), User.id != viewer.id)
        )
        others = {thread_id: name for thread_id, name in rows}
    return {
        t.id: (
            t.constellation.name
            if t.kind == ThreadKind.GROUP and t.constellation is not None
            else others.get(t.id, _("Direct thread"))
        )
        for t in threads
    }


def title_of(session: DbSession, viewer: User, thread: MessageThread) -> str:
    return _titles(session, viewer, [thread])[thread.id]


def organisation_threads(session: DbSession, admin: User) -> list[ThreadSummary]:
    """Every thread of the administrator's organisation, for break-the-glass (no bodies)."""
    ensure_group_threads(
        session,
        select(Constellation.id).where(Constellation.organisation_id == admin.organisation_id),
    )
    threads = list(
        session.scalars(
            select(MessageThread)
            .where(MessageThread.organisation_id == admin.organisation_id)
            .options(selectinload(MessageThread.constellation))
            .order_by(MessageThread.kind, MessageThread.id)
        )
    )
    direct = [t.id for t in threads if t.kind == ThreadKind.DIRECT]
    names: dict[int, list[str]] = {}
    for thread_id, name in session.execute(
        select(ThreadParticipant.thread_id, User.name)
        .join(User, User.id == ThreadParticipant.user_id)
        .where(ThreadParticipant.thread_id.in_(direct))
        .order_by(User.name)
    ):
        names.setdefault(thread_id, []).append(name)
    return [
        ThreadSummary(
            t,
            t.constellation.name
            if t.constellation is not None
            else " · ".join(names.get(t.id, [])),
            0,
        )
        for t in threads
    ]


def open_direct_thread(
    session: DbSession, user: User, participant_ids: Sequence[int]
) -> tuple[MessageThread, bool]:
    """The direct thread between `user` and one other person who shares a constellation with
    them (the existing one if there is one); True when it was created now."""
    others = set(participant_ids) - {user.id}
    if len(others) != 1:
        message = _("A direct thread is between you and one other person.")
        raise ValidationFailed(message, errors={"participant_ids": [message]})
    other = session.get(User, others.pop())
    if other is None or not other.active or not _share_a_constellation(session, user, other):
        message = _("You can only write to people who share a constellation with you.")
        raise ValidationFailed(message, errors={"participant_ids": [message]})
    low, high = sorted((user.id, other.id))
    pair_key = f"{low}:{high}"
    thread = session.scalar(select(MessageThread).where(MessageThread.pair_key == pair_key))
    if thread is not None:
        return thread, False
    thread = MessageThread(
        organisation_id=user.organisation_id, kind=ThreadKind.DIRECT, pair_key=pair_key
    )
    session.add(thread)
    session.flush()
    session.add_all(
        [
            ThreadParticipant(thread_id=thread.id, user_id=user.id),
            ThreadParticipant(thread_id=thread.id, user_id=other.id),
        ]
    )
    session.flush()
    record(session, user, "message_thread.opened", thread)
    return thread, True


# --- messages ----------------------------------------------------------------------------


def clean_body(body: str | None) -> str:
    """A message's text, trimmed: 1 to 4,000 characters, or a ValidationFailed."""
    text = (body or "").strip()
    if not text:
        message = _("Write a message.")
        raise ValidationFailed(message, errors={"body": [message]})
    if len(text) > BODY_MAX:
        message = _("A message can be at most 4,000 characters.")
        raise ValidationFailed(message, errors={"body": [message]})
    return text


def post_message(session: DbSession, author: User, thread: MessageThread, body: str) -> Message:
    """Post `body` in `thread` as `author`, who must be in it; tell the listeners."""
    text = clean_body(body)
    if not is_participant(session, author, thread):
        raise NotAllowed(_("You are not in this conversation."))
    recipients = [p for p in participants(session, thread) if p.id != author.id]
    if thread.kind == ThreadKind.DIRECT and not (
        recipients and _share_a_constellation(session, author, recipients[0])
    ):
        raise Conflict(_("You no longer share a constellation with this person."))
    now = utcnow()
    message = Message(thread_id=thread.id, author_id=author.id, body=text, created_at=now)
    session.add(message)
    session.flush()
    session.execute(
        update(MessageThread).where(MessageThread.id == thread.id).values(last_message_at=now)
    )
    thread.last_message_at = now
    mark_read(session, author, thread, message.id)
    record(
        session,
        author,
        "message.posted",
        message,
        organisation_id=thread.organisation_id,
        detail={"thread_id": thread.id, "length": len(text)},  # never the body
    )
    if has_app_context():
        for listener in message_listeners.items():
            listener(session, message, recipients)
    return message


def messages_in(session: DbSession, thread: MessageThread, after: int = 0) -> list[Message]:
    """The thread's newest messages (after message id `after`), oldest first."""
    query = (
        select(Message)
        .where(Message.thread_id == thread.id, Message.id > after)
        .options(selectinload(Message.author))
        .order_by(Message.id.desc())
        .limit(PAGE)
    )
    return list(reversed(session.scalars(query).all()))


def mark_read(session: DbSession, user: User, thread: MessageThread, up_to: int) -> None:
    """Remember that `user` has read `thread` up to message `up_to` (never backwards)."""
    connection = session.connection()
    connection.execute(
        _READ_UP_TO[connection.dialect.name],
        {
            "thread_id": thread.id,
            "user_id": user.id,
            "last_read_message_id": up_to,
            "read_at": utcnow(),
        },
    )


def read_thread(
    session: DbSession, reader: User, thread: MessageThread, after: int = 0
) -> list[Message]:
    """What a participant reads: the messages (marked read); a staff read is audited."""
    messages = messages_in(session, thread, after)
    if messages:
        mark_read(session, reader, thread, messages[-1].id)
    if reader.role in THREAD_READ_AUDITED and (messages or not after):
        record(
            session,
            reader,
            "message_thread.read",
            thread,
            detail={"messages": len(messages)},
        )
    return messages


def break_glass(
    session: DbSession, admin: User, thread: MessageThread, reason: str | None
) -> list[Message]:
    """An administrator opens a thread they are not in: only with a reason, which is audited."""
    if admin.role != Role.ADMIN or admin.organisation_id != thread.organisation_id:
        raise NotAllowed(_("Only an administrator may open a conversation they are not in."))
    text = (reason or "").strip()
    if not REASON_MIN <= len(text) <= REASON_MAX:
        message = _(
            "Give a reason of %(min)s to %(max)s characters.", min=REASON_MIN, max=REASON_MAX
        )
        raise ValidationFailed(message, errors={"reason": [message]})
    messages = messages_in(session, thread)
    record(
        session,
        admin,
        "message_thread.break_glass",
        thread,
        detail={"reason": text, "messages": len(messages)},
    )
    return messages
