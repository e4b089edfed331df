"""Event pages: the constellation's calendar, planning, answers and attendance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from hubhome.activities import answers, planning, queries, services
from hubhome.activities.forms import (
    ActivityForm,
    AnswerForm,
    AttendanceForm,
    EventFields,
    PlainForm,
)
from hubhome.activities.labels import ANSWER_LABELS, KIND_LABELS, STATUS_LABELS
from hubhome.activities.models import Activity, ActivityKind, AnswerStatus
from hubhome.activities.recurrence import Repeat
from hubhome.api.bounds import db_int
from hubhome.errors import Conflict, ValidationFailed
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.network.models import Constellation, Household
from hubhome.network.services import visible_constellations
from hubhome.permissions import can_plan_activities, get_activity_or_404, get_constellation_or_404
from hubhome.timeutil import local_today, to_local, utcnow

bp = Blueprint("activities", __name__, url_prefix="/activities")


LABELS = {"kind": KIND_LABELS, "answer": ANSWER_LABELS, "status": STATUS_LABELS}


def _constellation() -> tuple[Constellation | None, list[Constellation]]:
    """The constellation asked for (in scope), or the user's first."""
    all_visible = list(visible_constellations(db.session, current_user))
    wanted = request.args.get("constellation_id", type=db_int)
    if wanted:
        return get_constellation_or_404(current_user, wanted), all_visible
    return (all_visible[0] if all_visible else None), all_visible


def _month_arg() -> date:
    raw = request.args.get("month", "")
    try:
        return datetime.strptime(raw, "%Y-%m").date() if raw else local_today().replace(day=1)
    except ValueError:
        abort(400)


@bp.route("/")
@login_required
def index() -> Any:
    """The constellation's coming events as a list."""
    constellation, all_visible = _constellation()
    items = (
        queries.visible_activities(
            db.session, current_user, constellation_id=constellation.id, start=utcnow()
        )
        if constellation
        else []
    )
    return render_template(
        "activities/index.html",
        constellation=constellation,
        constellations=all_visible,
        activities=items,
        can_plan=constellation is not None and can_plan_activities(current_user, constellation),
        labels=LABELS,
        answer_of=queries.answer_of,
    )


@bp.route("/calendar")
@login_required
def month() -> Any:
    """The constellation's month view."""
    constellation, all_visible = _constellation()
    first = _month_arg()
    start, end = queries.month_bounds(first)
    items = (
        queries.visible_activities(
            db.session, current_user, constellation_id=constellation.id, start=start, end=end
        )
        if constellation
        else []
    )
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render_template(
        "activities/month.html",
        constellation=constellation,
        constellations=all_visible,
        first=first,
        weeks=queries.month_grid(first, items),
        previous=previous,
        following=following,
        labels=LABELS,
        to_local=to_local,
    )


def _plannable() -> list[Constellation]:
    return [
        c
        for c in visible_constellations(db.session, current_user)
        if can_plan_activities(current_user, c)
    ]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Plan an event (once or repeating) and invite the constellation or chosen families."""
    mine = _plannable()
    if not mine:
        abort(403)
    form = ActivityForm()
    form.constellation_id.choices = choices((c.id, c.name) for c in mine)
    chosen_id = form.constellation_id.data or request.args.get("constellation_id", type=db_int)
    chosen = next((c for c in mine if c.id == chosen_id), mine[0])
    if request.method == "GET":
        form.constellation_id.data = chosen.id
    households = [
        db.session.get_one(Household, h)
        for h in planning.constellation_household_ids(db.session, chosen.id)
    ]
    form.household_ids.choices = choices((h.id, h.name) for h in households)
    done = submit(form, lambda: _plan(form, chosen))
    if done.saved:
        planned = ngettext(
            "%(num)s event planned and the families invited.",
            "%(num)s events planned and the families invited.",
            len(done.value),
        )
        flash(planned, "success")
        return redirect(url_for("activities.show", activity_id=done.value[0].id))
    return render_template("activities/new.html", form=form), done.status


def _plan(form: ActivityForm, chosen: Constellation) -> list[Activity]:
    chosen_only = form.invite.data == "chosen"
    if chosen_only and not form.household_ids.data:
        message = _("Choose at least one family.")
        raise ValidationFailed(message, errors={"household_ids": [message]})
    plan = services.ActivityPlan(
        constellation_id=chosen.id,
        kind=ActivityKind(form.kind.data),
        title=form.title.data or "",
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        place=form.place.data or "",
        description=form.description.data or "",
        capacity=form.capacity.data,
        household_ids=list(form.household_ids.data or []) if chosen_only else [],
        repeat=Repeat(form.repeat.data),
        count=form.count.data or 1,
    )
    return services.create_activities(db.session, current_user, plan)


def _answer_form(activity: Activity) -> AnswerForm | None:
    """The answer form for the user's family, or for any invited family for planners."""
    invited = planning.invited_household_ids(db.session, activity)
    if can_plan_activities(current_user, activity.constellation):
        options = [db.session.get_one(Household, h) for h in invited]
    elif current_user.household_id in invited:
        options = [db.session.get_one(Household, current_user.household_id)]
    else:
        return None
    form = AnswerForm()
    form.household_id.choices = choices((h.id, h.name) for h in options)
    return form


@bp.route("/<int:activity_id>")
@login_required
def show(activity_id: int) -> Any:
    """One event: details, the family's answer, and for planners every answer."""
    activity = get_activity_or_404(current_user, activity_id)
    return _render_show(activity, _answer_form(activity))


def _render_show(
    activity: Activity, form: AnswerForm | None, *, full: bool = False, status: int = 200
) -> Any:
    planner = can_plan_activities(current_user, activity.constellation)
    own = queries.answer_of(activity, current_user.household_id)
    if form is not None and own is not None and request.method == "GET":
        form.household_id.data = own.household_id
        form.attending.data = "no" if own.status == AnswerStatus.NOT_COMING else "yes"
        form.adults.data, form.children.data, form.needs.data = own.adults, own.children, own.needs
    attendance = None
    if planner and activity.starts_at <= utcnow():
        attendance = AttendanceForm()
        invited = planning.invited_household_ids(db.session, activity)
        attendance.household_ids.choices = choices(
            (h, db.session.get_one(Household, h).name) for h in invited
        )
        attendance.household_ids.data = [
            a.household_id for a in activity.answers if a.attended
        ] or [a.household_id for a in activity.answers if a.status == AnswerStatus.COMING]
    return render_template(
        "activities/show.html",
        activity=activity,
        planner=planner,
        own=own,
        form=form,
        full=full,
        attendance=attendance,
        plain=PlainForm(),
        free=answers.free_places(activity),
        taken=answers.taken_places(activity),
        started=activity.starts_at <= utcnow(),
        labels=LABELS,
    ), status


@bp.route("/<int:activity_id>/answer", methods=["POST"])
@login_required
def answer(activity_id: int) -> Any:
    """Save a family's answer; a full event offers a waiting place (409)."""
    activity = get_activity_or_404(current_user, activity_id)
    form = _answer_form(activity)
    if form is None:
        abort(403)
    done = submit(
        form,
        lambda: services.answer(
            db.session,
            current_user,
            activity,
            services.Answer(
                household_id=form.household_id.data,
                attending=form.attending.data == "yes",
                adults=form.adults.data or 0,
                children=form.children.data or 0,
                needs=form.needs.data or "",
                accept_waiting=form.accept_waiting.data == "yes",
            ),
        ),
    )
    if not done.saved:
        full = isinstance(done.error, Conflict)  # a full event offers a waiting place
        return _render_show(activity, form, full=full, status=done.status)
    flash(
        _("You have a waiting place. We send an SMS if a place becomes free.")
        if done.value.status == AnswerStatus.WAITING
        else _("Thank you, your answer is saved."),
        "success",
    )
    return redirect(url_for("activities.show", activity_id=activity.id))


def _planner_activity(activity_id: int) -> Activity:
    activity = get_activity_or_404(current_user, activity_id)
    if not can_plan_activities(current_user, activity.constellation):
        abort(403)
    return activity


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int) -> Any:
    """Change one event's time, place or details; invited families are told of a move."""
    activity = _planner_activity(activity_id)
    form = EventFields(obj=activity if request.method == "GET" else None)
    if request.method == "GET":
        local_start, local_end = to_local(activity.starts_at), to_local(activity.ends_at)
        form.day.data, form.start.data = local_start.date(), local_start.time()
        form.end.data = local_end.time()
    done = submit(
        form,
        lambda: services.change_activity(
            db.session,
            current_user,
            activity,
            title=form.title.data or "",
            day=form.day.data,
            start=form.start.data,
            end=form.end.data,
            place=form.place.data or "",
            description=form.description.data or "",
            capacity=form.capacity.data,
        ),
    )
    if done.saved:
        flash(_("The event has been changed."), "success")
        return redirect(url_for("activities.show", activity_id=activity.id))
    return render_template("activities/edit.html", form=form, activity=activity), done.status


@bp.route("/<int:activity_id>/cancel", methods=["POST"])
@login_required
def cancel(activity_id: int) -> Any:
    """Cancel an event; the families who answered yes get an SMS."""
    activity = _planner_activity(activity_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    following = request.form.get("scope") == "following"
    cancelled = services.cancel(db.session, current_user, activity, following=following)
    if following:
        message = ngettext(
            "%(num)s meeting is cancelled and those coming have been told.",
            "%(num)s meetings are cancelled and those coming have been told.",
            len(cancelled),
        )
    else:
        message = _("The event is cancelled and those coming have been told.")
    flash(message, "success")
    return redirect(url_for("activities.show", activity_id=activity.id), 303)


@bp.route("/<int:activity_id>/attendance", methods=["POST"])
@login_required
def attendance(activity_id: int) -> Any:
    """Record which families came."""
    activity = _planner_activity(activity_id)
    form = AttendanceForm()
    form.household_ids.choices = choices(
        (h, str(h)) for h in planning.invited_household_ids(db.session, activity)
    )
    if not form.validate_on_submit():
        abort(400)
    attempt(
        lambda: services.record_attendance(
            db.session, current_user, activity, form.household_ids.data or []
        )
    ).flash(_("Attendance saved."))
    return redirect(url_for("activities.show", activity_id=activity.id), 303)


from hubhome.activities import report_views  # noqa: E402,F401  (routes on the same blueprint)
