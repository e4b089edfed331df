"""Planned follow-up visits: booked by the child's social worker, seen by the family, done
by recording the visit. Routes on the visits blueprint under /visits/follow-ups."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from hubhome.accounts.models import Role
from hubhome.api.bounds import db_int
from hubhome.caseload.forms import VisitForm
from hubhome.children.models import Child, Placement
from hubhome.errors import ValidationFailed
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.permissions import can_plan_follow_up, get_planned_visit_or_404
from hubhome.timeutil import local_today, to_local
from hubhome.visits import planned
from hubhome.visits.forms import FollowUpPlanForm
from hubhome.visits.views import bp

PLANNERS = (Role.SOCIAL_WORKER, Role.ADMIN)


def plannable_children(user: Any) -> list[Child]:
    """Children whose follow-up the user plans: their own caseload (all placed children of
    the organisation for an administrator), by name."""
    query = (
        select(Child)
        .join(Placement, Placement.child_id == Child.id)
        .where(Placement.end_date.is_(None), Child.organisation_id == user.organisation_id)
        .order_by(Child.first_name, Child.last_name, Child.id)
    )
    if user.role != Role.ADMIN:
        query = query.where(Placement.social_worker_id == user.id)
    return list(db.session.scalars(query))


class ChildPicker:
    """A form's child field offering the user's plannable children (birth year tells
    namesakes apart), with ?child_id= chosen on the first view."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.children = plannable_children(current_user)
        field.choices = choices(
            [(0, _("Choose a child"))]
            + [(c.id, f"{c.first_name} {c.last_name} ({c.birth_date.year})") for c in self.children]
        )
        if request.method == "GET":
            field.data = request.args.get("child_id", type=db_int) or 0

    def chosen(self) -> Child:
        """The chosen child, or a refusal on the field."""
        child = next((c for c in self.children if c.id == self.field.data), None)
        if child is None:
            message = _("Choose a child.")
            raise ValidationFailed(message, errors={self.field.name: [message]})
        return child


@bp.route("/follow-ups/")
@login_required
def follow_ups() -> Any:
    """Planned follow-up visits the user may see, soonest first (each read is audited)."""
    plans = planned.visible_plans(db.session, current_user)
    planned.audit_reads(db.session, current_user, plans)
    return render_template(
        "visits/follow_ups.html", plans=plans, can_plan=current_user.role in PLANNERS
    )


@bp.route("/follow-ups/new", methods=["GET", "POST"])
@login_required
def plan_follow_up() -> Any:
    """Book the next follow-up visit to a placed child."""
    if current_user.role not in PLANNERS:
        abort(403)
    form = FollowUpPlanForm()
    picker = ChildPicker(form.child_id)

    def save() -> Any:
        return planned.plan_follow_up(
            db.session,
            current_user,
            picker.chosen(),
            planned.FollowUpPlan(
                day=form.day.data,
                start=form.start.data,
                end=form.end.data,
                place=form.place.data or "",
                talk_alone=bool(form.talk_alone.data),
            ),
        )

    done = submit(form, save)
    if done.saved:
        flash(_("The visit is planned. It is in your calendar and the family's."), "success")
        return redirect(url_for("visits.follow_up", plan_id=done.value.id))
    return render_template("visits/plan_follow_up.html", form=form), done.status


@bp.route("/follow-ups/<int:plan_id>")
@login_required
def follow_up(plan_id: int) -> Any:
    """One planned visit (the read is audited)."""
    plan = get_planned_visit_or_404(current_user, plan_id)
    planned.audit_reads(db.session, current_user, [plan])
    return render_template(
        "visits/follow_up.html",
        plan=plan,
        can_plan=can_plan_follow_up(current_user, plan.child),
        form=FlaskForm(),
    )


@bp.route("/follow-ups/<int:plan_id>/cancel", methods=["POST"])
@login_required
def cancel_follow_up(plan_id: int) -> Any:
    """Cancel a planned visit."""
    plan = get_planned_visit_or_404(current_user, plan_id)
    done = attempt(lambda: planned.cancel_follow_up(db.session, current_user, plan))
    done.flash(_("The visit is cancelled."))
    if done.error is not None:
        return redirect(url_for("visits.follow_up", plan_id=plan.id), 303)
    return redirect(url_for("visits.follow_ups"), 303)


@bp.route("/follow-ups/<int:plan_id>/record", methods=["GET", "POST"])
@login_required
def record_follow_up(plan_id: int) -> Any:
    """Record the planned visit as done: the form starts from the plan."""
    plan = get_planned_visit_or_404(current_user, plan_id)
    if not can_plan_follow_up(current_user, plan.child):
        abort(403)
    form = VisitForm()
    if request.method == "GET":
        form.visit_date.data = to_local(plan.starts_at).date()
        form.private_talk.data = plan.talk_alone
    done = submit(
        form,
        lambda: planned.record_planned(
            db.session,
            current_user,
            plan,
            visit_date=form.visit_date.data,
            private_talk=bool(form.private_talk.data),
            note=form.note.data or "",
            today=local_today(),
        ),
    )
    if done.saved:
        flash(_("The visit has been recorded."), "success")
        return redirect(url_for("visits.follow_up", plan_id=plan.id))
    return render_template("caseload/visit.html", form=form, child=plan.child), done.status
