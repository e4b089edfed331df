"""The monthly access review's pages: the list, one review, marking and signing off."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.children.models import Child
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.permissions import (
    can_review_logs,
    get_log_review_item_or_404,
    get_log_review_or_404,
    log_review_ids_visible_to,
)
from hubhome.privacy.forms import MarkForm, OpenReviewForm, SignOffForm
from hubhome.privacy.models import LogReview, Verdict
from hubhome.privacy.services import open_review, sign_off, undecided

bp = Blueprint("privacy", __name__, url_prefix="/admin")

REASONS = {
    "sample": _l("Random sample"),
    "protected": _l("Protected identity"),
    "night": _l("Read at night (22–06)"),
    "no_relation": _l("No relation to the child"),
    "heavy": _l("Far more reads than others"),
}


@bp.before_request
@login_required
def reviewers_only() -> None:
    if not can_review_logs(current_user):
        abort(403)


@bp.route("/log-review")
def reviews() -> Any:
    """List the organisation's access reviews, newest month first."""
    return _list_page(OpenReviewForm())


def _list_page(form: OpenReviewForm, status: int = 200) -> Any:
    items = db.session.scalars(
        select(LogReview)
        .where(LogReview.id.in_(log_review_ids_visible_to(current_user)))
        .order_by(LogReview.month.desc())
    ).all()
    return render_template("privacy/reviews.html", reviews=items, form=form), status


@bp.route("/log-review/open", methods=["POST"])
def review_open() -> Any:
    """Open the review of a month (the monthly job does this for last month by itself)."""
    form = OpenReviewForm()
    done = submit(form, lambda: _open(form.month.data or ""))
    if done.saved and done.value is not None:
        review, opened = done.value
        flash(
            _("The review is opened.") if opened else _("That month's review was already open."),
            "success",
        )
        return redirect(url_for("privacy.review", review_id=review.id))
    return _list_page(form, done.status)


def _open(month_text: str) -> tuple[LogReview, bool]:
    year, month = (int(part) for part in month_text.split("-"))  # the form checked YYYY-MM
    first = date(year, month, 1)
    return open_review(db.session, current_user, current_user.organisation_id, first)


def _page(review: LogReview, forms: dict[int, MarkForm] | None = None, **extra: Any) -> Any:
    forms = dict(forms or {})
    for item in review.items:
        forms.setdefault(item.id, MarkForm(prefix=f"i{item.id}", formdata=None, obj=item))
    people = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.organisation_id == review.organisation_id)
        )
    }
    child_ids = {i.child_id for i in review.items if i.child_id is not None}
    children = {c.id: c for c in db.session.scalars(select(Child).where(Child.id.in_(child_ids)))}
    record(db.session, current_user, "log_review.view", review)
    return render_template(
        "privacy/review.html",
        review=review,
        forms=forms,
        people=people,
        children=children,
        reasons=REASONS,
        undecided=undecided(db.session, review),
        unjustified=sum(1 for i in review.items if i.verdict == Verdict.UNJUSTIFIED),
        sign_off_form=extra.pop("sign_off_form", None) or SignOffForm(formdata=None),
        **extra,
    )


@bp.route("/log-review/<int:review_id>")
def review(review_id: int) -> Any:
    """Show one review: its items and findings; printable once signed off."""
    return _page(get_log_review_or_404(current_user, review_id))


@bp.route("/log-review/<int:review_id>/items/<int:item_id>", methods=["POST"])
def review_mark(review_id: int, item_id: int) -> Any:
    """Mark one item justified or not, with a comment."""
    from hubhome.privacy.services import mark_item

    item = get_log_review_item_or_404(current_user, item_id)
    if item.review_id != review_id:
        abort(404)
    form = MarkForm(prefix=f"i{item.id}")
    done = submit(
        form,
        lambda: mark_item(
            db.session, current_user, item, form.verdict.data or "", form.comment.data or ""
        ),
    )
    if done.saved:
        flash(_("The finding is saved."), "success")
        return redirect(url_for("privacy.review", review_id=review_id, _anchor=f"item-{item.id}"))
    return _page(item.review, {item.id: form}), done.status


@bp.route("/log-review/<int:review_id>/sign-off", methods=["POST"])
def review_sign_off(review_id: int) -> Any:
    """Sign the review off; it is read-only afterwards."""
    review = get_log_review_or_404(current_user, review_id)
    form = SignOffForm()
    done = submit(form, lambda: sign_off(db.session, current_user, review, form.summary.data or ""))
    if done.saved:
        flash(_("The review is signed off."), "success")
        return redirect(url_for("privacy.review", review_id=review_id))
    return _page(review, sign_off_form=form), done.status
