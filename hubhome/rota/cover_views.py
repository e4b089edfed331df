"""Pages for cover: my coming shifts (ask for cover), open requests (take one)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from hubhome.api.bounds import db_int
from hubhome.extensions import db
from hubhome.forms import attempt, submit
from hubhome.permissions import ROTA_VIEWERS, get_cover_request_or_404, require_role
from hubhome.rota import cover

bp = Blueprint("cover", __name__, url_prefix="/rota/cover")


class AskForm(FlaskForm):
    shift_id = HiddenField()
    note = TextAreaField(
        _l("Note for those who could cover (optional)"),
        validators=[Optional(), Length(max=cover.MAX_NOTE)],
    )


def _shift_id(raw: str | None) -> int:
    try:
        return db_int(raw or "")
    except ValueError:
        return 0


def _page(ask_form: AskForm, status: int = 200) -> Any:
    mine = cover.my_shifts(db.session, current_user)
    requests = cover.open_requests(db.session, current_user)
    return render_template(
        "rota/cover.html",
        mine=mine,
        requests=requests,
        takeable={r.id for r in requests if cover.can_take(db.session, current_user, r)},
        form=ask_form,
        button=FlaskForm(),
    ), status


@bp.route("/")
@login_required
def index() -> Any:
    """The person's coming shifts and the open requests for cover they could take."""
    require_role(current_user, *ROTA_VIEWERS)
    return _page(AskForm())


@bp.route("/ask", methods=["POST"])
@login_required
def ask() -> Any:
    """Ask for cover of one of one's own coming shifts."""
    require_role(current_user, *ROTA_VIEWERS)
    form = AskForm()
    shift_id = _shift_id(form.shift_id.data)
    done = submit(form, lambda: cover.ask(db.session, current_user, shift_id, form.note.data or ""))
    if done.saved:
        flash(_("Your request for cover has been sent."), "success")
        return redirect(url_for("cover.index"))
    return _page(form, done.status)


@bp.route("/<int:cover_id>/take", methods=["POST"])
@login_required
def take(cover_id: int) -> Any:
    """Take an open request: the first one wins."""
    require_role(current_user, *ROTA_VIEWERS)
    request_ = get_cover_request_or_404(current_user, cover_id)
    done = attempt(lambda: cover.accept(db.session, current_user, request_))
    done.flash(_("The shift is yours now."))
    if not done.saved:
        return _page(AskForm(), done.status)
    return redirect(url_for("cover.index"))


@bp.route("/<int:cover_id>/withdraw", methods=["POST"])
@login_required
def withdraw(cover_id: int) -> Any:
    """The asker takes their request back."""
    require_role(current_user, *ROTA_VIEWERS)
    request_ = get_cover_request_or_404(current_user, cover_id)
    done = attempt(lambda: cover.withdraw(db.session, current_user, request_.id))
    done.flash(_("Your request has been withdrawn."))
    return redirect(url_for("cover.index"))
