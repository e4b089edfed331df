"""Shift cover: the person on call asks, those who could take it are told, the first to
accept gets the stretch as an override, the rota's owners and the asker are told; every
change of someone's shift, an administrator's too, tells them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.rota.chain import chain_at
from hubhome.rota.models import CoverRequest, CoverStatus, OnCallShift, ShiftKind
from tests.conftest import is_postgres, login
from tests.phone_helpers import DAYTIME, day_and_night_rota

pytestmark = pytest.mark.clock(DAYTIME)


def _setup(demo):
    day_and_night_rota(demo, DAYTIME - timedelta(days=1))
    hanna = demo.user("hubb.bjornen")
    tomorrow = db.session.scalars(
        select(OnCallShift)
        .where(OnCallShift.user_id == hanna.id, OnCallShift.starts_at > DAYTIME)
        .order_by(OnCallShift.starts_at)
    ).first()
    assert tomorrow is not None
    db.session.commit()
    return tomorrow


def _client(app, short):
    client = app.test_client()
    assert login(client, short).status_code == 302
    return client


def _told(purpose: str) -> dict[str, str]:
    db.session.expire_all()
    return {
        m.to: m.body
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose))
    }


def _ask(app, shift) -> CoverRequest:
    hanna = _client(app, "hubb.bjornen")
    page = hanna.get("/rota/cover/")
    assert page.status_code == 200
    assert f'name="shift_id" value="{shift.id}"' in page.get_data(as_text=True)
    response = hanna.post("/rota/cover/ask", data={"shift_id": shift.id, "note": "Tandläkaren"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    return db.session.scalars(select(CoverRequest)).one()


def test_cover_from_ask_to_override_with_everyone_told(app, demo):
    with time_machine.travel(DAYTIME, tick=False):
        shift = _setup(demo)
        cover = _ask(app, shift)
        assert cover.status == CoverStatus.OPEN and cover.note == "Tandläkaren"
        asked = _told("rota.cover_asked")
        could = {demo.user(u).phone for u in ("admin", "socialsekreterare", "jour")}
        assert set(asked) == could  # not Hanna, not Räven's hub carer, not families
        assert all("Hanna Ek söker någon som tar passet" in body for body in asked.values())

        jonas = _client(app, "jour")
        page = jonas.get("/rota/cover/").get_data(as_text=True)
        assert f'action="/rota/cover/{cover.id}/take"' in page
        assert jonas.post(f"/rota/cover/{cover.id}/take").status_code == 302

        db.session.expire_all()
        cover = db.session.get(CoverRequest, cover.id)
        assert cover.status == CoverStatus.TAKEN and cover.taken_by_id == demo.user("jour").id
        override = db.session.get(OnCallShift, cover.override_id)
        assert override.kind == ShiftKind.SWAP and override.user_id == demo.user("jour").id
        assert (override.starts_at, override.ends_at) == (shift.starts_at, shift.ends_at)
        during = shift.starts_at + timedelta(hours=1)
        chain = chain_at(db.session, demo.constellations["Björnen"], during)
        assert chain[0].user_id == demo.user("jour").id

        off = _told("rota.shift_changed")
        assert list(off) == [demo.user("hubb.bjornen").phone]  # the asker; not Jonas himself
        assert "Jonas Jour tar passet" in off[demo.user("hubb.bjornen").phone]
        taken = _told("rota.cover_taken")
        assert list(taken) == [demo.user("admin").phone]  # the rota's owner
        assert "Jonas Jour tar passet" in taken[demo.user("admin").phone]

        late = _client(app, "admin").post(f"/rota/cover/{cover.id}/take")
        assert late.status_code == 409
        assert "Någon annan har redan tagit passet" in late.get_data(as_text=True)


def test_only_ones_own_coming_shift_can_be_offered(app, demo):
    with time_machine.travel(DAYTIME, tick=False):
        shift = _setup(demo)
        jonas = _client(app, "jour")
        response = jonas.post("/rota/cover/ask", data={"shift_id": shift.id})
        assert response.status_code == 422
        assert jonas.post("/rota/cover/ask", data={"shift_id": "99999999999"}).status_code == 422
        assert jonas.post("/rota/cover/ask", data={"shift_id": "x"}).status_code == 422
    assert db.session.scalar(select(CoverRequest.id)) is None


def test_families_and_the_asker_cannot_take_it(app, demo):
    with time_machine.travel(DAYTIME, tick=False):
        cover = _ask(app, _setup(demo))
        assert _client(app, "familj1").get("/rota/cover/").status_code == 403
        assert _client(app, "familj1").post(f"/rota/cover/{cover.id}/take").status_code == 403
        asker = _client(app, "hubb.bjornen")
        assert asker.post(f"/rota/cover/{cover.id}/take").status_code == 403
        assert _client(app, "hubb.raven").post(f"/rota/cover/{cover.id}/take").status_code == 404
        assert asker.post("/rota/cover/99999/take").status_code == 404
        assert asker.post(f"/rota/cover/{cover.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(CoverRequest, cover.id).status == CoverStatus.WITHDRAWN


def test_an_administrators_override_tells_whose_shift_changes(app, demo):
    with time_machine.travel(DAYTIME, tick=False):
        shift = _setup(demo)
        rota_id = shift.rota_id
        start = shift.starts_at + timedelta(hours=2)
        form = {
            "override-kind": "sick_cover",
            "override-user_id": str(demo.user("jour").id),
            "override-start_day": "2026-11-24",
            "override-start_time": "10:00",
            "override-end_day": "2026-11-24",
            "override-end_time": "14:00",
        }
        admin = _client(app, "admin")
        response = admin.post(f"/rota/{rota_id}/overrides", data=form)
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        told = _told("rota.shift_changed")
        assert set(told) == {demo.user("hubb.bjornen").phone, demo.user("jour").phone}
        assert "Du har nu jour för" in told[demo.user("jour").phone]
        assert "Du har inte längre jour för" in told[demo.user("hubb.bjornen").phone]
        assert start.date().isoformat() == "2026-11-24"


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="concurrency is proven on PostgreSQL")
def test_two_concurrent_accepts_one_wins(app, demo):
    with time_machine.travel(DAYTIME, tick=False):
        cover_id = _ask(app, _setup(demo)).id
        clients = [_client(app, "jour"), _client(app, "admin")]
        db.session.commit()
        barrier = threading.Barrier(2)
        statuses: list[int] = [0, 0]

        def take(i: int) -> None:
            barrier.wait()
            statuses[i] = clients[i].post(f"/rota/cover/{cover_id}/take").status_code

        threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(statuses) == [302, 409]
    db.session.expire_all()
    swaps = db.session.scalars(select(OnCallShift).where(OnCallShift.kind == ShiftKind.SWAP)).all()
    assert len(swaps) == 1
    winner = db.session.get(CoverRequest, cover_id).taken_by_id
    assert swaps[0].user_id == winner
