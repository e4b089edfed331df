"""Meddelanden: the person's threads, a thread with its reply box, direct threads and the
administrator's break-the-glass read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.api.bounds import db_int
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.messages import services
from hubhome.messages.forms import BreakGlassForm, DirectThreadForm, ReplyForm
from hubhome.messages.models import MessageThread
from hubhome.permissions import (
    can_break_glass,
    get_thread_for_break_glass_or_404,
    get_thread_or_404,
    thread_ids_visible_to,
)

bp = Blueprint("messages", __name__, url_prefix="/messages")


def _direct_form() -> DirectThreadForm:
    form = DirectThreadForm()
    people = services.people_to_write_to(db.session, current_user)
    form.person_id.choices = choices([(0, _("Choose a person"))] + [(p.id, p.name) for p in people])
    return form


@bp.route("/")
@login_required
def index() -> Any:
    """The person's threads, newest first, with unread counts."""
    return _index(_direct_form())


def _index(form: DirectThreadForm, status: int = 200) -> Any:
    threads = services.my_threads(db.session, current_user)
    return render_template(
        "messages/index.html",
        threads=threads,
        form=form,
        can_break_glass=can_break_glass(current_user),
    ), status


@bp.route("/direct", methods=["POST"])
@login_required
def direct() -> Any:
    """Open (or find) the direct thread with someone who shares a constellation."""
    form = _direct_form()
    done = submit(
        form,
        lambda: services.open_direct_thread(db.session, current_user, [form.person_id.data]),
    )
    if done.saved:
        thread, _created = done.value
        return redirect(url_for("messages.thread", thread_id=thread.id), 303)
    return _index(form, done.status)


def _thread_or_break_glass(thread_id: int) -> MessageThread | None:
    """The thread if the person is in it; None for an administrator of its organisation
    (who may open it with a reason); 404 for everyone else."""
    if not can_break_glass(current_user):
        return get_thread_or_404(current_user, thread_id)
    thread = db.session.scalar(
        select(MessageThread).where(
            MessageThread.id == thread_id, MessageThread.id.in_(thread_ids_visible_to(current_user))
        )
    )
    if thread is not None:
        return thread
    get_thread_for_break_glass_or_404(current_user, thread_id)
    return None


def _render_thread(thread: MessageThread, form: ReplyForm, status: int = 200) -> Any:
    messages = services.read_thread(db.session, current_user, thread)
    return render_template(
        "messages/thread.html",
        thread=thread,
        title=services.title_of(db.session, current_user, thread),
        messages=messages,
        people=services.participants(db.session, thread),
        form=form,
        last_id=messages[-1].id if messages else 0,
    ), status


@bp.route("/<int:thread_id>", methods=["GET", "POST"])
@login_required
def thread(thread_id: int) -> Any:
    """A thread's messages and the reply box; a reply posts and comes back here."""
    found = _thread_or_break_glass(thread_id)
    if found is None:  # an administrator outside the thread: only with a reason
        if request.method == "POST":
            abort(404)
        return redirect(url_for("messages.break_glass", thread_id=thread_id))
    form = ReplyForm()
    done = submit(
        form, lambda: services.post_message(db.session, current_user, found, form.body.data or "")
    )
    if done.saved:
        return redirect(url_for("messages.thread", thread_id=found.id, _anchor="reply"), 303)
    return _render_thread(found, form, done.status)


@bp.route("/<int:thread_id>/since")
@login_required
def since(thread_id: int) -> Any:
    """The messages after ?after=<id>, as list items, for the open thread page to append."""
    found = _thread_or_break_glass(thread_id)
    if found is None:
        abort(404)
    after = request.args.get("after", 0, type=db_int) or 0
    messages = services.read_thread(db.session, current_user, found, after=after)
    return render_template("messages/_messages.html", messages=messages)


@bp.route("/<int:thread_id>/break-glass", methods=["GET", "POST"])
@login_required
def break_glass(thread_id: int) -> Any:
    """An administrator opens a thread they are not in by giving a reason (audited)."""
    thread = get_thread_for_break_glass_or_404(current_user, thread_id)
    form = BreakGlassForm()
    done = submit(
        form, lambda: services.break_glass(db.session, current_user, thread, form.reason.data)
    )
    return render_template(
        "messages/break_glass.html",
        thread=thread,
        form=form,
        title=services.title_of(db.session, current_user, thread),
        messages=done.value if done.saved else None,
    ), done.status


@bp.route("/organisation")
@login_required
def organisation() -> Any:
    """Administrators: every thread of the organisation, to open with a reason."""
    if not can_break_glass(current_user):
        abort(403)
    threads = services.organisation_threads(db.session, current_user)
    return render_template("messages/organisation.html", threads=threads)
