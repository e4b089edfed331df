"""API: the caller's threads and their messages, with the same scoping as the pages."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.extensions import db
from hubhome.messages import services
from hubhome.messages.models import BODY_MAX, Message
from hubhome.permissions import get_thread_or_404

blp = Blueprint("api_messages", __name__, url_prefix="/api/v1/threads", description="Messages")


class ThreadOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    constellation_id = fields.Integer(allow_none=True)
    unread = fields.Integer()
    last_message_at = fields.DateTime(allow_none=True)


class DirectThreadIn(Schema):
    participant_ids = fields.List(
        fields.Integer(), required=True, validate=validate.Length(min=1, max=2)
    )


class MessageIn(Schema):
    # the service trims and checks 1–4,000 characters; this refuses what is plainly too big
    body = fields.String(required=True, validate=validate.Length(max=BODY_MAX + 1000))


class MessageOut(Schema):
    id = fields.Integer()
    thread_id = fields.Integer()
    author_id = fields.Integer()
    author_name = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class MessagesQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0))


def _thread(summary: services.ThreadSummary) -> dict[str, Any]:
    t = summary.thread
    return {
        "id": t.id,
        "kind": str(t.kind),
        "title": summary.title,
        "constellation_id": t.constellation_id,
        "unread": summary.unread,
        "last_message_at": t.last_message_at,
    }


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "thread_id": message.thread_id,
        "author_id": message.author_id,
        "author_name": message.author.name,
        "body": message.body,
        "created_at": message.created_at,
    }


@blp.route("")
@blp.response(200, ThreadOut(many=True))
def list_threads() -> Any:
    """The caller's threads, newest activity first, with unread counts."""
    return [_thread(s) for s in services.my_threads(db.session, api_user())]


@blp.route("", methods=["POST"])
@blp.arguments(DirectThreadIn)
@blp.response(201, ThreadOut)
def open_thread(body: dict[str, Any]) -> Any:
    """Open the direct thread with one person who shares a constellation (422 otherwise);
    201 when it is new, 200 with the existing one."""
    user = api_user()
    thread, created = services.open_direct_thread(db.session, user, body["participant_ids"])
    title = services.title_of(db.session, user, thread)
    return _thread(services.ThreadSummary(thread, title, 0)), 201 if created else 200


@blp.route("/<int:thread_id>/messages")
@blp.arguments(MessagesQuery, location="query")
@blp.response(200, MessageOut(many=True))
def list_messages(args: dict[str, Any], thread_id: int) -> Any:
    """A thread's newest messages (after ?after=<id>), oldest first; marks them read."""
    user = api_user()
    thread = get_thread_or_404(user, thread_id)
    return [_message(m) for m in services.read_thread(db.session, user, thread, args["after"])]


@blp.route("/<int:thread_id>/messages", methods=["POST"])
@blp.arguments(MessageIn)
@blp.response(201, MessageOut)
def post(body: dict[str, Any], thread_id: int) -> Any:
    """Post a message of 1 to 4,000 characters in a thread the caller is in."""
    user = api_user()
    thread = get_thread_or_404(user, thread_id)
    return _message(services.post_message(db.session, user, thread, body["body"]))
