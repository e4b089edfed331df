"""A new message tells the thread's other participants by their preference, at most once per
thread per quarter-hour each (a lively thread does not ring a phone for every line).

Plugged into `hubhome.messages.services.message_listeners`; runs in the posting request's
transaction. The notification names the author and links to the thread, never the body:
copies of message text do not leave the thread (its retention rule governs it alone).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.notify.models import Kind
from hubhome.notify.services import notify
from hubhome.outbox.models import OutboxMessage
from hubhome.timeutil import utcnow

QUIET = timedelta(minutes=15)
PURPOSE = "messages.new"


def message_posted(session: DbSession, message: Any, recipients: list[User]) -> None:
    """Tell each recipient not told of this thread in the last quarter-hour."""
    if not recipients:
        return
    now = utcnow()
    prefix = f"messages:{message.thread_id}:"
    told_lately = set(
        session.scalars(
            select(OutboxMessage.recipient_id).where(
                OutboxMessage.recipient_id.in_([r.id for r in recipients]),
                OutboxMessage.purpose == PURPOSE,
                OutboxMessage.dedupe_key.like(prefix + "%"),
                OutboxMessage.created_at > now - QUIET,
            )
        )
    )
    # Two messages at the same instant both see nobody told: the window in the key keeps it
    # to one per quarter of the clock even then.
    window = int(now.timestamp() // QUIET.total_seconds())
    author = session.get(User, message.author_id)
    name = author.name if author is not None else ""
    url = f"/messages/{message.thread_id}"
    for person in recipients:
        if person.id in told_lately or person.id == message.author_id:
            continue
        notify(
            session,
            person,
            Kind.NEW_MESSAGE,
            lambda: _("New message from %(name)s in Hubhome.", name=name),
            dedupe_key=f"{prefix}u{person.id}:w{window}",
            purpose=PURPOSE,
            title=lambda: _("New message"),
            url=url,
        )
