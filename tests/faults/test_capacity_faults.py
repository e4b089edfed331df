"""A change of beds on the real server: refused, naming the nights, when booked children
would be left without a bed; nothing stranded."""

from __future__ import annotations

from babel.dates import format_date

from hubhome.extensions import db
from hubhome.respite.capacity import HORIZON, availability
from hubhome.timeutil import local_today
from tests.faults.processes import form_token, sign_in
from tests.respite_helpers import hub_of
from tests.test_capacity_edits import _book_two_children


def test_a_bed_edit_that_would_strand_booked_children_is_refused(demo, start_server):
    nights = _book_two_children(demo, 4)
    hub = hub_of(demo)
    server = start_server()
    status, cookie = sign_in(server, "admin@demo.hubhome.test")
    assert status == 302
    path = f"/households/{hub.id}/edit"
    token, cookie = form_token(server, path, cookie)
    form = {"csrf_token": token, "name": hub.name, "kind": str(hub.kind), "respite_beds": "1"}
    refused = server.post(path, form, headers={"Cookie": cookie})
    assert refused.status == 409, refused.body
    assert "Bokade barn skulle stå utan säng" in refused.body
    for night in nights:
        assert format_date(night, "d MMM yyyy", locale="sv") in refused.body
    db.session.expire_all()
    hub = hub_of(demo)
    assert hub.respite_beds == 2
    today = local_today()
    nights_ahead = availability(db.session, hub, today, today + HORIZON)
    assert [n.day for n in nights_ahead if n.taken > n.beds] == []
