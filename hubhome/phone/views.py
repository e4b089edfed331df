"""Telephone pages: the on-call person's live page, the call log and the follow-ups."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.api.bounds import db_int
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.network.models import Constellation
from hubhome.permissions import (
    ROTA_VIEWERS,
    can_log_advice,
    get_call_or_404,
    get_follow_up_or_404,
    require_role,
)
from hubhome.phone import services
from hubhome.phone.calls import ringing_for
from hubhome.phone.forms import CallNoteForm, HandledForm
from hubhome.phone.models import CallStatus, FollowUpKind, LegOutcome
from hubhome.phone.simulator import Exchange, start, step

bp = Blueprint("phone", __name__, url_prefix="/phone")


@bp.app_context_processor
def phone_labels() -> dict[str, Any]:
    return {
        "CallStatus": CallStatus,
        "LegOutcome": LegOutcome,
        "FollowUpKind": FollowUpKind,
    }


def _now_context() -> dict[str, Any]:
    require_role(current_user, *ROTA_VIEWERS)
    ringing = ringing_for(db.session, current_user)
    contexts = services.contexts_for(db.session, current_user, ringing)
    open_items = services.follow_ups(db.session, current_user, handled=False)
    return {"contexts": contexts, "open_items": open_items}


@bp.route("/now")
@login_required
def now() -> Any:
    """The on-call person's page: who is calling right now, and what they need to know."""
    return render_template("phone/now.html", **_now_context())


@bp.route("/now/live")
@login_required
def now_live() -> Any:
    """The live part of the on-call page, fetched every few seconds while it is open."""
    return render_template("phone/_now_live.html", **_now_context())


@bp.route("/calls")
@login_required
def calls() -> Any:
    """The call log: every call and leg with its outcome, scoped by the policy."""
    require_role(current_user, *ROTA_VIEWERS)
    page = request.args.get("page", 1, type=db_int) or 1
    found = services.call_log(db.session, current_user, page=page)
    per_page = services.CALLS_PER_PAGE
    return render_template(
        "phone/calls.html",
        calls=found[:per_page],
        page=page,
        older=len(found) > per_page,
        can_log=can_log_advice(current_user),
    )


@bp.route("/calls/<int:call_id>", methods=["GET", "POST"])
@login_required
def call(call_id: int) -> Any:
    """One call: its legs, the caller's context, and a note after the call."""
    require_role(current_user, *ROTA_VIEWERS)
    item = get_call_or_404(current_user, call_id)
    form = CallNoteForm()
    done = submit(
        form, lambda: services.save_note(db.session, current_user, item, form.note.data or "")
    )
    if done.saved:
        flash(_("The note has been saved."), "success")
        return redirect(url_for("phone.call", call_id=item.id), 303)
    context = services.context_for(db.session, current_user, item)
    page = render_template(
        "phone/call.html",
        call=item,
        context=context,
        form=form,
        can_log=can_log_advice(current_user),
    )
    return page, done.status


@bp.route("/follow-ups")
@login_required
def follow_ups() -> Any:
    """Voicemails and missed calls: open ones first, until someone marks them handled."""
    require_role(current_user, *ROTA_VIEWERS)
    return render_template(
        "phone/follow_ups.html",
        open_items=services.follow_ups(db.session, current_user, handled=False),
        handled_items=services.follow_ups(db.session, current_user, handled=True),
        form=HandledForm(),
    )


@bp.route("/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@login_required
def follow_up(follow_up_id: int) -> Any:
    """One voicemail or missed call (the SMS links here), with "mark handled"."""
    require_role(current_user, *ROTA_VIEWERS)
    item = get_follow_up_or_404(current_user, follow_up_id)
    form = HandledForm()
    done = submit(
        form, lambda: services.mark_handled(db.session, current_user, item, form.note.data or "")
    )
    if done.saved:
        flash(_("Marked as handled."), "success")
        return redirect(url_for("phone.follow_ups"), 303)
    context = services.context_for(db.session, current_user, item.call)
    return render_template(
        "phone/follow_up.html", item=item, context=context, form=form
    ), done.status


def _simulator_allowed() -> None:
    require_role(current_user, Role.ADMIN)
    if not current_app.config["HUBHOME"].phone_simulator:
        abort(404)


@bp.route("/simulator", methods=["GET", "POST"])
@login_required
def simulator() -> Any:
    """Walk a call end to end through the real webhooks, without Twilio."""
    _simulator_allowed()
    lines = db.session.scalars(
        select(Constellation)
        .where(
            Constellation.organisation_id == current_user.organisation_id,
            Constellation.phone_number.is_not(None),
        )
        .order_by(Constellation.name)
    ).all()
    callers = db.session.scalars(
        select(User)
        .where(
            User.organisation_id == current_user.organisation_id,
            User.role == Role.FOSTER_CARER,
            User.phone.is_not(None),
        )
        .order_by(User.name)
    ).all()
    line_numbers = [c.phone_number for c in lines]
    caller_numbers = [u.phone for u in callers]
    exchanges: list[Exchange] = []
    if request.method == "POST":
        action = request.form.get("action", "")
        if action == "start":
            to_number = request.form.get("to", "")
            from_number = request.form.get("from", "") or "+46709999999"
            if to_number not in line_numbers or from_number not in [
                *caller_numbers,
                "+46709999999",
            ]:
                abort(400)
            exchanges = start(from_number, to_number)
        else:
            exchanges = step(action)
    return render_template(
        "phone/simulator.html",
        lines=lines,
        callers=callers,
        exchanges=exchanges,
        state=session.get("phone_sim", {}),
        token_set=bool(current_app.config["HUBHOME"].twilio_auth_token),
    )
