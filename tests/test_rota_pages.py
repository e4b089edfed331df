"""Editing the rota through its pages: create, pattern, overrides, refusals, and the gaps shown."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import func, select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.rota.models import OnCallShift, Rota, RotaSlot, ShiftKind
from tests.phone_helpers import DAYTIME

pytestmark = pytest.mark.clock(DAYTIME)


def test_the_rota_page_shows_who_is_on_call_and_the_demo_gap(login_as):
    with time_machine.travel(DAYTIME, tick=False):
        page = login_as("admin").get("/rota/").get_data(as_text=True)
    assert "Björnen" in page and "Räven" in page
    assert "Hanna Ek" in page and "Reservnummer" in page
    assert page.count("Lucka</strong>") == 1  # Räven's night without cover; Björnen is covered
    assert "Någon har jour dygnet runt." in page


def test_a_hub_carer_builds_a_rota_for_their_constellation(login_as, demo):
    with time_machine.travel(DAYTIME, tick=False):
        client = login_as("hubb.bjornen")
        form = {
            "name": "Helgreserv",
            "constellation_id": str(demo.constellations["Björnen"].id),
            "level": "2",
            "cycle_weeks": "1",
        }
        created = client.post("/rota/new", data=form)
        assert created.status_code == 303
        rota = db.session.scalar(select(Rota).where(Rota.name == "Helgreserv"))
        slots = {
            "slot-weekdays": ["5", "6"],
            "slot-starts": "09:00",
            "slot-ends": "09:00",
            "slot-user_id": str(demo.user("hubb.bjornen").id),
            "slot-week": "1",
        }
        assert client.post(f"/rota/{rota.id}/slots", data=slots).status_code == 303
        overlapping = {
            **slots,
            "slot-weekdays": ["6"],
            "slot-starts": "12:00",
            "slot-ends": "13:00",
        }
        refused = client.post(f"/rota/{rota.id}/slots", data=overlapping)
        assert refused.status_code == 422
        assert "överlappar" in refused.get_data(as_text=True)
        page = client.get(f"/rota/{rota.id}").get_data(as_text=True)
    db.session.expire_all()
    assert len(rota.slots) == 2
    assert "Lördag" in page and "09:00–09:00" in page
    shifts = db.session.scalars(select(OnCallShift).where(OnCallShift.rota_id == rota.id)).all()
    assert shifts and all((s.ends_at - s.starts_at).total_seconds() == 86400 for s in shifts)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "rota.slots_add")) == 1


def test_bad_override_input_is_refused_in_swedish_and_nothing_is_written(login_as, demo):
    rota = db.session.scalar(select(Rota).where(Rota.name == "Björnen dagtid"))
    before = db.session.scalar(select(func.count()).select_from(OnCallShift))
    with time_machine.travel(DAYTIME, tick=False):
        form = {
            "override-kind": "sick_cover",
            "override-user_id": "0",
            "override-start_day": "2026-11-24",
            "override-start_time": "08:00",
            "override-end_day": "2026-11-24",
            "override-end_time": "07:00",
        }
        response = login_as("hubb.bjornen").post(f"/rota/{rota.id}/overrides", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Något behöver rättas" in page and "Slutet måste komma efter starten." in page
    assert db.session.scalar(select(func.count()).select_from(OnCallShift)) == before


def test_sick_cover_beats_the_pattern_and_can_be_removed(login_as, demo):
    rota = db.session.scalar(select(Rota).where(Rota.name == "Björnen dagtid"))
    with time_machine.travel(DAYTIME, tick=False):
        client = login_as("admin")
        form = {
            "override-kind": "sick_cover",
            "override-user_id": str(demo.user("jour").id),
            "override-start_day": "2026-11-23",
            "override-start_time": "08:00",
            "override-end_day": "2026-11-23",
            "override-end_time": "20:00",
            "override-note": "Hanna sjuk",
        }
        assert client.post(f"/rota/{rota.id}/overrides", data=form).status_code == 303
        page = client.get("/rota/").get_data(as_text=True)
        björnen = page.split("Björnen", 1)[1].split("Räven", 1)[0]
        assert björnen.index("Jonas Jour") < björnen.index("Reservnummer")
        assert "Hanna Ek" not in björnen.split("Luckor", 1)[0]
        shift = db.session.scalar(
            select(OnCallShift).where(OnCallShift.kind == ShiftKind.SICK_COVER)
        )
        assert client.post(f"/rota/{rota.id}/overrides/{shift.id}/delete").status_code == 303
    assert (
        db.session.scalar(select(func.count()).where(OnCallShift.kind == ShiftKind.SICK_COVER)) == 0
    )


def test_removing_the_pattern_ends_its_shifts_now_and_the_secondary_steps_up(login_as, demo):
    rota = db.session.scalar(select(Rota).where(Rota.name == "Räven dagtid"))
    with time_machine.travel(DAYTIME, tick=False):
        client = login_as("hubb.raven")
        for slot in list(rota.slots):
            assert client.post(f"/rota/{rota.id}/slots/{slot.id}/delete").status_code == 303
        page = client.get("/rota/").get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count()).select_from(RotaSlot).where(RotaSlot.rota_id == rota.id)
        )
        == 0
    )
    raven = page.split("Räven</h2>", 1)[1]
    assert "Henrik Lind" not in raven and raven.index("Jonas Jour") < raven.index("Reservnummer")
    later = select(func.count()).where(
        OnCallShift.rota_id == rota.id, OnCallShift.ends_at > DAYTIME
    )
    assert db.session.scalar(later) == 0
