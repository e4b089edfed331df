"""The register extract's section for messages: what the person wrote, and where."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hubhome.db import DbSession
from hubhome.messages.models import Message, MessageThread
from hubhome.network.models import Constellation
from hubhome.privacy.extract import ExtractSection, ExtractSubject, Row, add_section


def messages_written(session: DbSession, subject: ExtractSubject) -> list[Row]:
    """Every message the person wrote, oldest first, with the thread it is in (others'
    messages are theirs, not the person's, and stay out)."""
    if subject.user is None:
        return []
    direct = str(_l("Direct conversation"))
    return [
        {"sent_at": sent_at, "thread": name or direct, "body": body}
        for sent_at, name, body in session.execute(
            select(Message.created_at, Constellation.name, Message.body)
            .join(MessageThread, MessageThread.id == Message.thread_id)
            .outerjoin(Constellation, Constellation.id == MessageThread.constellation_id)
            .where(Message.author_id == subject.user.id)
            .order_by(Message.created_at, Message.id)
        )
    ]


def init_extract(app: Flask) -> None:
    add_section(
        app,
        ExtractSection(
            "messages",
            _l("Messages written"),
            {"sent_at": _l("Sent"), "thread": _l("Conversation"), "body": _l("Message")},
            messages_written,
            65,
        ),
    )
