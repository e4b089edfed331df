"""The rota pages: coverage and gaps, each rota's pattern and overrides, and editing them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.accounts.models import Role
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.network.models import Constellation
from hubhome.permissions import (
    ROTA_VIEWERS,
    can_create_rota,
    can_edit_rota,
    constellation_ids_visible_to,
    get_rota_or_404,
    require_role,
)
from hubhome.rota import queries, services
from hubhome.rota.forms import WEEKDAYS, OverrideForm, RotaForm, SlotForm
from hubhome.rota.models import OVERRIDE_KINDS, Rota, ShiftKind
from hubhome.timeutil import local_to_utc, utcnow

bp = Blueprint("rota", __name__, url_prefix="/rota")


@bp.route("/")
@login_required
def index() -> Any:
    """Show who is on call now and the gaps in the coming 28 days, per constellation."""
    require_role(current_user, *ROTA_VIEWERS)
    coverage = queries.coverage_for(db.session, current_user)
    rotas = queries.visible_rotas(db.session, current_user)
    return render_template(
        "rota/index.html",
        coverage=coverage,
        rotas=rotas,
        can_create=current_user.role in (Role.ADMIN, Role.HUB_CARER),
    )


def _constellation_choices() -> list[tuple[int, str]]:
    own = db.session.scalars(
        select(Constellation)
        .where(Constellation.id.in_(constellation_ids_visible_to(current_user)))
        .order_by(Constellation.name)
    ).all()
    pairs = [(c.id, c.name) for c in own]
    if current_user.role == Role.ADMIN:
        pairs.insert(0, (0, str(_("The whole organisation (shared)"))))
    return pairs


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Create a rota for a constellation, or one the organisation's constellations share."""
    require_role(current_user, Role.ADMIN, Role.HUB_CARER)
    form = RotaForm()
    form.constellation_id.choices = choices(_constellation_choices())
    done = submit(form, lambda: _create(form))
    if done.saved:
        flash(_("The rota has been created. Add its weekly pattern."), "success")
        return redirect(url_for("rota.show", rota_id=done.value.id), 303)
    return render_template("rota/new.html", form=form), done.status


def _create(form: RotaForm) -> Rota:
    constellation_id = form.constellation_id.data or None
    if not can_create_rota(current_user, constellation_id):
        abort(403)
    return services.create_rota(
        db.session,
        current_user,
        name=form.name.data or "",
        constellation_id=constellation_id,
        level=int(form.level.data or 1),
        cycle_weeks=form.cycle_weeks.data or 1,
    )


def _people_choices(rota: Rota, blank: bool = False) -> list[Any]:
    people = services.eligible_people(db.session, rota.organisation_id)
    pairs: list[tuple[int, str]] = [(p.id, p.name) for p in people]
    if blank:
        pairs.insert(0, (0, str(_("Nobody"))))
    return choices(pairs)


def _forms(rota: Rota) -> tuple[SlotForm, OverrideForm]:
    slot_form = SlotForm(prefix="slot")
    slot_form.user_id.choices = _people_choices(rota)
    override_form = OverrideForm(prefix="override")
    override_form.user_id.choices = _people_choices(rota, blank=True)
    return slot_form, override_form


def _render(rota: Rota, slot_form: SlotForm, override_form: OverrideForm, status: int = 200) -> Any:
    now = utcnow()
    shifts = services.upcoming(db.session, rota, now, now + timedelta(days=14))
    return (
        render_template(
            "rota/show.html",
            rota=rota,
            shifts=shifts,
            overrides=[s for s in shifts if s.kind in OVERRIDE_KINDS],
            weekdays=dict(WEEKDAYS),
            editable=can_edit_rota(current_user, rota),
            slot_form=slot_form,
            override_form=override_form,
            ShiftKind=ShiftKind,
        ),
        status,
    )


@bp.route("/<int:rota_id>")
@login_required
def show(rota_id: int) -> Any:
    """Show a rota's weekly pattern, its overrides and the coming two weeks."""
    rota = get_rota_or_404(current_user, rota_id)
    return _render(rota, *_forms(rota))


def _editable(rota_id: int) -> Rota:
    rota = get_rota_or_404(current_user, rota_id)
    if not can_edit_rota(current_user, rota):
        abort(403)
    return rota


@bp.route("/<int:rota_id>/slots", methods=["POST"])
@login_required
def add_slots(rota_id: int) -> Any:
    """Add a stretch to the weekly pattern on the chosen days."""
    rota = _editable(rota_id)
    slot_form, override_form = _forms(rota)
    done = submit(
        slot_form,
        lambda: services.add_slots(
            db.session,
            current_user,
            rota,
            weekdays=slot_form.weekdays.data or [],
            starts=slot_form.starts.data,
            ends=slot_form.ends.data,
            user_id=slot_form.user_id.data,
            week=(slot_form.week.data or 1) - 1,
        ),
    )
    if done.saved:
        flash(_("The pattern has been saved."), "success")
        return redirect(url_for("rota.show", rota_id=rota.id), 303)
    return _render(rota, slot_form, override_form, done.status)


@bp.route("/<int:rota_id>/slots/<int:slot_id>/delete", methods=["POST"])
@login_required
def remove_slot(rota_id: int, slot_id: int) -> Any:
    """Remove a stretch from the weekly pattern."""
    rota = _editable(rota_id)
    services.remove_slot(db.session, current_user, rota, slot_id)
    flash(_("The stretch has been removed."), "success")
    return redirect(url_for("rota.show", rota_id=rota.id), 303)


@bp.route("/<int:rota_id>/overrides", methods=["POST"])
@login_required
def add_override(rota_id: int) -> Any:
    """Swap, sick cover or a deliberate gap: beats the pattern for its stretch."""
    rota = _editable(rota_id)
    slot_form, form = _forms(rota)
    done = submit(
        form,
        lambda: services.add_override(
            db.session,
            current_user,
            rota,
            starts_at=local_to_utc(form.start_day.data, form.start_time.data),
            ends_at=local_to_utc(form.end_day.data, form.end_time.data),
            user_id=form.user_id.data or None,
            kind=ShiftKind(form.kind.data),
            note=form.note.data or "",
        ),
    )
    if done.saved:
        flash(_("The change has been saved."), "success")
        return redirect(url_for("rota.show", rota_id=rota.id), 303)
    return _render(rota, slot_form, form, done.status)


@bp.route("/<int:rota_id>/overrides/<int:shift_id>/delete", methods=["POST"])
@login_required
def remove_override(rota_id: int, shift_id: int) -> Any:
    """Remove a change; the pattern applies again."""
    rota = _editable(rota_id)
    services.remove_override(db.session, current_user, rota, shift_id)
    flash(_("The change has been removed."), "success")
    return redirect(url_for("rota.show", rota_id=rota.id), 303)
