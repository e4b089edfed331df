"""Family group conference pages: visible to those the conference concerns, 404 to others."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from hubhome.conferences import services
from hubhome.conferences.forms import ConferenceForm, MeetingForm, MemberForm, PlanForm
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.permissions import can_edit_conference, get_conference_or_404
from hubhome.timeutil import local_today
from hubhome.visits.planned_views import PLANNERS, ChildPicker

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


@bp.route("/")
@login_required
def index() -> Any:
    """The conferences that concern the user (each read is audited)."""
    conferences = services.visible_conferences(db.session, current_user)
    services.audit_reads(db.session, current_user, conferences)
    return render_template(
        "conferences/index.html",
        conferences=conferences,
        can_create=current_user.role in PLANNERS,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Set up a family group conference about a child, with its first meeting."""
    if current_user.role not in PLANNERS:
        abort(403)
    form = ConferenceForm()
    picker = ChildPicker(form.child_id)
    form.coordinator_id.choices = choices(
        (u.id, u.name) for u in services.coordinators(db.session, current_user.organisation_id)
    )
    if request.method == "GET":
        form.coordinator_id.data = current_user.id
    done = submit(
        form,
        lambda: services.create_conference(
            db.session,
            current_user,
            picker.chosen(),
            form.coordinator_id.data,
            _meeting_time(form),
        ),
    )
    if done.saved:
        flash(_("The family group conference is set up. Add the child's network."), "success")
        return redirect(url_for("conferences.show", conference_id=done.value.id))
    return render_template("conferences/new.html", form=form), done.status


def _meeting_time(form: MeetingForm) -> services.MeetingTime:
    return services.MeetingTime(
        day=form.day.data, start=form.start.data, end=form.end.data, place=form.place.data or ""
    )


def _page(conference: Any, status: int = 200, **forms: Any) -> Any:
    return render_template(
        "conferences/show.html",
        conference=conference,
        can_edit=can_edit_conference(current_user, conference),
        next_meeting=services.next_meeting(conference),
        meeting_form=forms.get("meeting_form") or MeetingForm(formdata=None),
        member_form=forms.get("member_form") or MemberForm(formdata=None),
        plan_form=forms.get("plan_form")
        or PlanForm(formdata=None, plan=conference.plan, follow_up_on=conference.plan_follow_up_on),
        button_form=FlaskForm(),
    ), status


@bp.route("/<int:conference_id>")
@login_required
def show(conference_id: int) -> Any:
    """One conference: family, coordinator, network, meetings and plan (the read is audited)."""
    conference = get_conference_or_404(current_user, conference_id)
    services.audit_reads(db.session, current_user, [conference])
    return _page(conference)


def _editable(conference_id: int) -> Any:
    conference = get_conference_or_404(current_user, conference_id)
    if not can_edit_conference(current_user, conference):
        abort(403)
    return conference


@bp.route("/<int:conference_id>/meetings", methods=["POST"])
@login_required
def add_meeting(conference_id: int) -> Any:
    """Add a meeting."""
    conference = _editable(conference_id)
    form = MeetingForm()
    done = submit(
        form,
        lambda: services.add_meeting(db.session, current_user, conference, _meeting_time(form)),
    )
    if done.saved:
        flash(_("The meeting is added."), "success")
        return redirect(url_for("conferences.show", conference_id=conference.id), 303)
    return _page(conference, done.status, meeting_form=form)


@bp.route("/<int:conference_id>/members", methods=["POST"])
@login_required
def add_member(conference_id: int) -> Any:
    """Add a person from the child's network."""
    conference = _editable(conference_id)
    form = MemberForm()
    done = submit(
        form,
        lambda: services.add_member(
            db.session,
            current_user,
            conference,
            name=form.name.data or "",
            relation=form.relation.data or "",
            phone=form.phone.data or "",
        ),
    )
    if done.saved:
        flash(_("The person is added to the network."), "success")
        return redirect(url_for("conferences.show", conference_id=conference.id), 303)
    return _page(conference, done.status, member_form=form)


@bp.route("/<int:conference_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def remove_member(conference_id: int, member_id: int) -> Any:
    """Take a person off the network."""
    conference = _editable(conference_id)
    attempt(lambda: services.remove_member(db.session, current_user, conference, member_id)).flash(
        _("The person is removed from the network.")
    )
    return redirect(url_for("conferences.show", conference_id=conference.id), 303)


@bp.route("/<int:conference_id>/invitations", methods=["POST"])
@login_required
def invite(conference_id: int) -> Any:
    """Text the network an invitation to the next meeting (once per person and meeting)."""
    conference = _editable(conference_id)
    done = attempt(lambda: services.send_invitations(db.session, current_user, conference))
    if done.saved:
        flash(
            ngettext(
                "%(num)s invitation is on its way.",
                "%(num)s invitations are on their way.",
                done.value,
            ),
            "success",
        )
    else:
        done.flash("")
    return redirect(url_for("conferences.show", conference_id=conference.id), 303)


@bp.route("/<int:conference_id>/plan", methods=["POST"])
@login_required
def plan(conference_id: int) -> Any:
    """Write the resulting plan and its follow-up date."""
    conference = _editable(conference_id)
    form = PlanForm()
    done = submit(
        form,
        lambda: services.record_plan(
            db.session,
            current_user,
            conference,
            plan=form.plan.data or "",
            follow_up_on=form.follow_up_on.data,
            today=local_today(),
        ),
    )
    if done.saved:
        flash(_("The plan is saved."), "success")
        return redirect(url_for("conferences.show", conference_id=conference.id), 303)
    return _page(conference, done.status, plan_form=form)
