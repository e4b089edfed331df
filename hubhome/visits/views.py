"""Contact visit pages: only the child's household, the hub carer, the responsible social
worker and administrators reach them."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role, User
from hubhome.api.bounds import db_int
from hubhome.display.people import child_choices
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.permissions import (
    can_decide_restrictions,
    can_write_visits,
    get_contact_visit_or_404,
    get_restriction_or_404,
    visit_child_ids_visible_to,
)
from hubhome.timeutil import local_today
from hubhome.visits import services
from hubhome.visits.forms import OutcomeForm, RestrictionForm, ReviewForm, VisitForm
from hubhome.visits.labels import SUPERVISOR_LABELS, VISIT_STATUS_LABELS
from hubhome.visits.models import Supervisor

bp = Blueprint("visits", __name__, url_prefix="/visits")
F = TypeVar("F", VisitForm, RestrictionForm)

VISIT_ROLES = [Role.ADMIN, Role.SOCIAL_WORKER, Role.HUB_CARER, Role.FOSTER_CARER]
LABELS = {"supervisor": SUPERVISOR_LABELS, "status": VISIT_STATUS_LABELS}


def reviews_panel(user: User) -> dict[str, Any] | None:
    """The social worker's due and overdue restriction reviews."""
    due = services.restriction_reviews_due(
        db.session, visit_child_ids_visible_to(user), local_today()
    )
    if not due:
        return None
    return {"due": len(due), "overdue": sum(1 for d in due if d.overdue)}


def _require_role() -> None:
    if current_user.role not in VISIT_ROLES:
        abort(403)


@bp.route("/")
@login_required
def index() -> Any:
    """Visits and restrictions of the children the user may see (each read is audited)."""
    _require_role()
    child_id = request.args.get("child_id", type=db_int)
    visits = services.visible_visits(db.session, current_user, child_id=child_id)
    restrictions = services.visible_restrictions(db.session, current_user)
    services.audit_reads(
        db.session,
        current_user,
        [v.child_id for v in visits] + [r.child_id for r in restrictions],
    )
    return render_template(
        "visits/index.html",
        visits=visits,
        restrictions=restrictions,
        can_write=can_write_visits(current_user),
        can_decide=can_decide_restrictions(current_user),
        review_form=ReviewForm(),
        today=local_today(),
        labels=LABELS,
    )


def _for_a_child(form: F) -> F:
    """The form with the children the user may write about, and ?child_id= chosen."""
    kids = services.writable_children(db.session, current_user)
    form.child_id.choices = choices([(0, _("Choose a child"))] + child_choices(db.session, kids))
    wanted = request.args.get("child_id", type=db_int)
    if request.method == "GET" and wanted:
        form.child_id.data = wanted
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Plan a contact visit."""
    if not can_write_visits(current_user):
        abort(403)
    form = _for_a_child(VisitForm())
    done = submit(
        form,
        lambda: services.plan_visit(
            db.session,
            current_user,
            services.VisitPlan(
                child_id=form.child_id.data,
                relatives=form.relatives.data or "",
                place=form.place.data or "",
                supervisor=Supervisor(form.supervisor.data),
                supervisor_name=form.supervisor_name.data or "",
                day=form.day.data,
                start=form.start.data,
                end=form.end.data,
            ),
        ),
    )
    if done.saved:
        flash(_("The contact visit is planned."), "success")
        return redirect(url_for("visits.show", visit_id=done.value.id))
    return render_template("visits/new.html", form=form), done.status


@bp.route("/<int:visit_id>")
@login_required
def show(visit_id: int) -> Any:
    """One visit (the read is audited)."""
    visit = get_contact_visit_or_404(current_user, visit_id)
    services.audit_reads(db.session, current_user, [visit.child_id])
    return render_template(
        "visits/show.html",
        visit=visit,
        form=OutcomeForm(
            held="yes" if visit.status != "cancelled" else "no", note=visit.note_after
        ),
        can_write=can_write_visits(current_user),
        labels=LABELS,
    )


@bp.route("/<int:visit_id>/outcome", methods=["POST"])
@login_required
def outcome(visit_id: int) -> Any:
    """Write how the visit went."""
    visit = get_contact_visit_or_404(current_user, visit_id)
    if not can_write_visits(current_user):
        abort(403)
    form = OutcomeForm()
    done = submit(
        form,
        lambda: services.record_outcome(
            db.session, current_user, visit, held=form.held.data == "yes", note=form.note.data or ""
        ),
    )
    if done.saved:
        flash(_("The note is saved."), "success")
        return redirect(url_for("visits.show", visit_id=visit.id), 303)
    return render_template(
        "visits/show.html", visit=visit, form=form, can_write=True, labels=LABELS
    ), done.status


@bp.route("/restrictions/new", methods=["GET", "POST"])
@login_required
def new_restriction() -> Any:
    """Record a decision restricting contact."""
    if not can_decide_restrictions(current_user):
        abort(403)
    form = _for_a_child(RestrictionForm())
    done = submit(
        form,
        lambda: services.record_restriction(
            db.session,
            current_user,
            child_id=form.child_id.data,
            decided_on=form.decided_on.data,
            relatives=form.relatives.data or "",
            decision=form.decision.data or "",
        ),
    )
    if done.saved:
        flash(_("The restriction is recorded. Its review is due in three months."), "success")
        return redirect(url_for("visits.index"))
    return render_template("visits/restriction.html", form=form), done.status


@bp.route("/restrictions/<int:restriction_id>/review", methods=["POST"])
@login_required
def review(restriction_id: int) -> Any:
    """Record a review of a restriction: kept (due again in three months) or lifted."""
    restriction = get_restriction_or_404(current_user, restriction_id)
    if not can_decide_restrictions(current_user):
        abort(403)
    form = ReviewForm()
    submit(
        form,
        lambda: services.review_restriction(
            db.session,
            current_user,
            restriction,
            on=form.reviewed_on.data,
            keep=form.keep.data == "keep",
        ),
    ).flash(_("The review is recorded."), invalid=_("Give the date of the review."))
    return redirect(url_for("visits.reviews"), 303)


@bp.route("/reviews")
@login_required
def reviews() -> Any:
    """Restriction reviews due within two weeks or overdue."""
    if not can_decide_restrictions(current_user):
        abort(403)
    due = services.restriction_reviews_due(
        db.session, visit_child_ids_visible_to(current_user), local_today()
    )
    services.audit_reads(db.session, current_user, [d.restriction.child_id for d in due])
    return render_template(
        "visits/reviews.html", due=due, review_form=ReviewForm(), today=local_today()
    )
