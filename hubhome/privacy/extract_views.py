"""The register extract's pages: choose the person, read the extract, download it as JSON."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.extensions import db
from hubhome.forms import choices
from hubhome.network.models import Household
from hubhome.permissions import can_produce_extracts, get_household_or_404
from hubhome.privacy.extract import Extract, ExtractSubject, produce_extract
from hubhome.privacy.forms import ExtractForm
from hubhome.privacy.views import bp


def _form() -> ExtractForm:
    if not can_produce_extracts(current_user):
        abort(403)
    form = ExtractForm(formdata=request.args if request.args else None)
    org = current_user.organisation_id
    users = db.session.scalars(select(User).where(User.organisation_id == org).order_by(User.name))
    homes = db.session.scalars(
        select(Household).where(Household.organisation_id == org).order_by(Household.name)
    )
    form.user_id.choices = choices([(0, _("Nobody chosen"))] + [(u.id, u.name) for u in users])
    form.household_id.choices = choices([(0, _("None"))] + [(h.id, h.name) for h in homes])
    return form


@bp.route("/register-extract")
def extract_form() -> Any:
    """Choose whose register extract to produce."""
    return render_template("privacy/extract_form.html", form=_form())


def _subject(form: ExtractForm) -> ExtractSubject | None:
    """The person the valid form names, or None (with the problem on the form)."""
    if not form.validate():
        return None
    org = current_user.organisation_id
    household = (
        get_household_or_404(current_user, form.household_id.data)
        if form.household_id.data
        else None
    )
    if form.user_id.data:
        user = db.session.scalar(
            select(User).where(User.id == form.user_id.data, User.organisation_id == org)
        )
        if user is None:
            abort(404)
        return ExtractSubject(org, user.name, user=user, household=user.household)
    name = (form.name.data or "").strip()
    if not name:
        form.form_errors.append(
            _("Choose a person with an account, or write the name of a person without one.")
        )
        return None
    return ExtractSubject(org, name, household=household)


def _produce(fmt: str) -> tuple[Extract | None, Any]:
    """The extract the query names, produced and audited; or the form again, with a 422."""
    form = _form()
    subject = _subject(form)
    if subject is None:
        return None, (render_template("privacy/extract_form.html", form=form), 422)
    return produce_extract(db.session, current_user, subject, fmt=fmt), None


@bp.route("/register-extract/view")
def extract() -> Any:
    """Show a person's register extract, ready to print."""
    extract, refusal = _produce("html")
    if extract is None:
        return refusal
    return render_template(
        "privacy/extract.html", extract=extract, download_args=request.args.to_dict()
    )


@bp.route("/register-extract/download")
def extract_download() -> Any:
    """Download a person's register extract as JSON."""
    extract, refusal = _produce("json")
    if extract is None:
        return refusal
    body = json.dumps(extract.as_json(), ensure_ascii=False, indent=2)
    stamp = extract.produced_at.strftime("%Y%m%d")
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="register-extract-{stamp}.json"',
            "Cache-Control": "no-store",
        },
    )
