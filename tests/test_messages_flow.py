"""Messages in the constellation: group threads that follow membership, direct threads,
posting and replying on the page and in the API, read state, break-the-glass, retention and
bad input."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.messages.models import Message, MessageThread
from hubhome.network.models import ConstellationMembership, Household, Organisation
from hubhome.ops.retention import apply_retention
from hubhome.timeutil import local_today, utcnow
from tests.conftest import bearer, login

BODY = "Kan någon låna ut en barnvagn till Elsa på lördag?"


def group_thread(demo, name: str = "Björnen") -> MessageThread:
    thread = db.session.scalar(
        select(MessageThread).where(MessageThread.constellation_id == demo.constellations[name].id)
    )
    assert thread is not None
    return thread


def signed_in(app, who: str):
    client = app.test_client()
    assert login(client, who).status_code == 302
    return client


def unread(client, who: str) -> dict[int, int]:
    threads = client.get("/api/v1/threads", headers=bearer(client, who)).get_json()
    return {t["id"]: t["unread"] for t in threads}


def message_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Message)) or 0


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_demo_threads_are_listed_newest_first_with_unread_counts(app, demo):
    family = signed_in(app, "familj1")
    text = family.get("/messages/").get_data(as_text=True)
    # Björnen's last message is 5 hours old, the direct thread with Hanna Ek's 19 hours
    assert "Björnen" in text and "Hanna Ek" in text and "Räven" not in text
    assert text.index("Björnen") < text.index("Hanna Ek")
    threads = family.get("/api/v1/threads", headers=bearer(family, "familj1")).get_json()
    assert [t["title"] for t in threads] == ["Björnen", "Hanna Ek"]
    assert threads[0]["unread"] == 3  # four messages, one of them familj1's own
    assert threads[1]["unread"] == 1


def test_a_family_writes_in_the_group_thread_and_the_hub_carer_reads_and_replies(app, demo):
    family, hub = signed_in(app, "familj1"), signed_in(app, "hubb.bjornen")
    thread = group_thread(demo)
    hub.get(f"/messages/{thread.id}")  # read what is there
    assert unread(hub, "hubb.bjornen")[thread.id] == 0

    sent = family.post(f"/messages/{thread.id}", data={"body": BODY})
    assert sent.status_code == 303
    assert unread(hub, "hubb.bjornen")[thread.id] == 1
    assert unread(family, "familj1")[thread.id] == 0  # the author's own never counts
    page = hub.get(f"/messages/{thread.id}")
    assert page.status_code == 200 and BODY in page.get_data(as_text=True)
    assert unread(hub, "hubb.bjornen")[thread.id] == 0

    family_after = int(
        family.get(f"/messages/{thread.id}").get_data(as_text=True).count('data-id="')
    )
    hub.post(f"/messages/{thread.id}", data={"body": "Ja, vi har en. Hämta i kväll!"})
    last = db.session.scalar(select(func.max(Message.id)).where(Message.thread_id == thread.id))
    fragment = family.get(f"/messages/{thread.id}/since?after={last - 1}").get_data(as_text=True)
    assert "Ja, vi har en. Hämta i kväll!" in fragment and BODY not in fragment
    assert family_after >= 5
    assert (
        family.get(f"/messages/{thread.id}/since?after={last}").get_data(as_text=True).strip() == ""
    )


def test_read_state_is_per_person(app, demo):
    family1, family2 = signed_in(app, "familj1"), signed_in(app, "familj2")
    liaison = signed_in(app, "socialsekreterare")
    thread = group_thread(demo)
    for client in (family1, family2, liaison):
        client.get(f"/messages/{thread.id}")
    family1.post(f"/messages/{thread.id}", data={"body": BODY})
    assert unread(family1, "familj1")[thread.id] == 0
    assert unread(family2, "familj2")[thread.id] == 1
    assert unread(liaison, "socialsekreterare")[thread.id] == 1
    family2.get(f"/api/v1/threads/{thread.id}/messages", headers=bearer(family2, "familj2"))
    assert unread(family2, "familj2")[thread.id] == 0
    assert unread(liaison, "socialsekreterare")[thread.id] == 1


def test_a_household_that_leaves_the_constellation_loses_the_group_thread(app, demo):
    thread = group_thread(demo)
    family2 = signed_in(app, "familj2")
    assert family2.get(f"/messages/{thread.id}").status_code == 200
    home = db.session.scalar(select(Household).where(Household.name == "Familjen Berg"))
    membership = db.session.scalar(
        select(ConstellationMembership).where(
            ConstellationMembership.household_id == home.id,
            ConstellationMembership.left_on.is_(None),
        )
    )
    membership.left_on = local_today()
    db.session.commit()
    assert family2.get(f"/messages/{thread.id}").status_code == 404
    assert family2.post(f"/messages/{thread.id}", data={"body": BODY}).status_code == 404
    headers = bearer(family2, "familj2")
    assert family2.get(f"/api/v1/threads/{thread.id}/messages", headers=headers).status_code == 404
    assert thread.id not in unread(family2, "familj2")
    assert "Björnen" not in family2.get("/messages/").get_data(as_text=True)
    # and the others no longer count the family among the people in the thread
    hub = signed_in(app, "hubb.bjornen")
    page = hub.get(f"/messages/{thread.id}").get_data(as_text=True)
    people = page[page.index('<details class="people">') : page.index("</details>")]
    assert "Fatima Andersson" in people and "Fredrik Berg" not in people


def test_direct_threads_only_between_people_who_share_a_constellation(app, demo):
    family = signed_in(app, "familj1")
    headers = bearer(family, "familj1")
    familj2, familj9 = demo.user("familj2").id, demo.user("familj9").id
    opened = family.post("/api/v1/threads", json={"participant_ids": [familj2]}, headers=headers)
    assert opened.status_code == 201 and opened.get_json()["title"] == "Fredrik Berg"
    again = family.post("/api/v1/threads", json={"participant_ids": [familj2]}, headers=headers)
    assert again.status_code == 200 and again.get_json()["id"] == opened.get_json()["id"]
    refused = family.post("/api/v1/threads", json={"participant_ids": [familj9]}, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    # the liaison of Räven shares it with familj9
    liaison = signed_in(app, "socialsekreterare")
    ok = liaison.post(
        "/api/v1/threads",
        json={"participant_ids": [familj9]},
        headers=bearer(liaison, "socialsekreterare"),
    )
    assert ok.status_code == 201
    # on the page: choose a person, land in the thread
    page = family.post("/messages/direct", data={"person_id": str(familj2)})
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/messages/{opened.get_json()['id']}")
    assert family.post("/messages/direct", data={"person_id": str(familj9)}).status_code == 422


@pytest.mark.parametrize(
    "ids",
    [[], [0], [999_999_999], ["x"], [2**40], "7", None],
    ids=["none", "zero", "unknown", "text", "huge", "not-a-list", "null"],
)
def test_bad_participant_ids_are_422(app, demo, ids):
    family = signed_in(app, "familj1")
    response = family.post(
        "/api/v1/threads", json={"participant_ids": ids}, headers=bearer(family, "familj1")
    )
    assert response.status_code == 422


def test_a_direct_thread_with_oneself_or_three_people_is_422(app, demo):
    family = signed_in(app, "familj1")
    headers = bearer(family, "familj1")
    me, other = demo.user("familj1").id, demo.user("familj2").id
    for ids in ([me], [other, demo.user("hubb.bjornen").id]):
        response = family.post("/api/v1/threads", json={"participant_ids": ids}, headers=headers)
        assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "status"),
    [("", 422), ("   \n ", 422), ("x" * 4001, 422), ("x" * 4000, 201), ("Hej", 201)],
    ids=["empty", "blank", "4001", "4000", "short"],
)
def test_message_length_is_1_to_4000_characters_in_the_api(app, demo, body, status):
    family = signed_in(app, "familj1")
    thread = group_thread(demo)
    before = message_count()
    response = family.post(
        f"/api/v1/threads/{thread.id}/messages",
        json={"body": body},
        headers=bearer(family, "familj1"),
    )
    assert response.status_code == status
    assert message_count() == before + (1 if status == 201 else 0)
    if status == 422:
        assert "body" in str(response.get_json())


def test_a_missing_body_and_bad_thread_ids_in_the_api(app, demo):
    family = signed_in(app, "familj1")
    headers = bearer(family, "familj1")
    thread = group_thread(demo)
    assert (
        family.post(f"/api/v1/threads/{thread.id}/messages", json={}, headers=headers).status_code
        == 422
    )
    assert (
        family.post(
            f"/api/v1/threads/{thread.id}/messages", json={"body": 5}, headers=headers
        ).status_code
        == 422
    )
    for bad in ("999999999", "2147483648", "99999999999999999999", "-1", "abc"):
        assert family.get(f"/api/v1/threads/{bad}/messages", headers=headers).status_code == 404
    after = family.get(f"/api/v1/threads/{thread.id}/messages?after=-1", headers=headers)
    assert after.status_code == 422
    huge = family.get(f"/api/v1/threads/{thread.id}/messages?after=99999999999", headers=headers)
    assert huge.status_code == 422


def test_on_the_page_an_empty_or_too_long_reply_is_refused_in_swedish(app, demo):
    family = signed_in(app, "familj1")
    thread = group_thread(demo)
    before = message_count()
    empty = family.post(f"/messages/{thread.id}", data={"body": " "})
    assert empty.status_code == 422
    assert "Skriv ett meddelande." in empty.get_data(as_text=True)
    assert 'class="error-summary"' in empty.get_data(as_text=True)
    long = family.post(f"/messages/{thread.id}", data={"body": "x" * 4001})
    assert long.status_code == 422
    assert "högst 4 000 tecken" in long.get_data(as_text=True)
    assert message_count() == before
    assert family.get("/messages/2147483648").status_code == 404
    assert family.get(f"/messages/{thread.id}/since?after=abc").status_code == 200


def test_an_administrator_opens_a_thread_only_with_a_reason_which_is_audited(app, demo):
    thread = group_thread(demo)
    admin = signed_in(app, "admin")
    listing = admin.get("/messages/organisation")
    assert listing.status_code == 200
    assert f"/messages/{thread.id}/break-glass" in listing.get_data(as_text=True)
    seeded = "Träffen på lördag blir hos oss"
    redirect = admin.get(f"/messages/{thread.id}")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith("/break-glass")
    form = admin.get(f"/messages/{thread.id}/break-glass")
    assert form.status_code == 200 and seeded not in form.get_data(as_text=True)
    for reason in ("", "för att"):
        refused = admin.post(f"/messages/{thread.id}/break-glass", data={"reason": reason})
        assert refused.status_code == 422 and seeded not in refused.get_data(as_text=True)
    assert audit("message_thread.break_glass") == []
    assert admin.post(f"/messages/{thread.id}", data={"body": BODY}).status_code == 404
    reason = "Klagomål inkommet 2026-12-01, utredning dnr 2026-123"
    opened = admin.post(f"/messages/{thread.id}/break-glass", data={"reason": reason})
    assert opened.status_code == 200 and seeded in opened.get_data(as_text=True)
    [event] = audit("message_thread.break_glass")
    assert event.detail["reason"] == reason
    assert event.object_type == "message_threads" and event.object_id == thread.id
    assert event.actor_id == demo.user("admin").id
    # the API has no break-the-glass: outside the thread is outside
    headers = bearer(admin, "admin")
    assert admin.get(f"/api/v1/threads/{thread.id}/messages", headers=headers).status_code == 404


def test_break_the_glass_stays_within_the_organisation_and_with_administrators(app, demo):
    thread = group_thread(demo)
    for who in ("socialsekreterare", "jour", "familj9", "hubb.raven"):
        client = signed_in(app, who)
        response = client.post(f"/messages/{thread.id}/break-glass", data={"reason": "x" * 40})
        assert response.status_code == 404, who
        assert client.get("/messages/organisation").status_code == 403
    assert audit("message_thread.break_glass") == []


def test_every_staff_read_of_a_thread_is_audited_and_families_reads_are_not(app, demo):
    thread = group_thread(demo)
    liaison = signed_in(app, "socialsekreterare")
    liaison.get(f"/messages/{thread.id}")
    liaison.get(
        f"/api/v1/threads/{thread.id}/messages", headers=bearer(liaison, "socialsekreterare")
    )
    events = audit("message_thread.read")
    assert len(events) == 2 and {e.object_id for e in events} == {thread.id}
    assert {e.channel for e in events} == {"web", "api"}
    family = signed_in(app, "familj1")
    family.get(f"/messages/{thread.id}")
    assert len(audit("message_thread.read")) == 2
    # polling that brings nothing new is not a read; one that brings a message is
    last = db.session.scalar(select(func.max(Message.id)).where(Message.thread_id == thread.id))
    liaison.get(f"/messages/{thread.id}/since?after={last}")
    assert len(audit("message_thread.read")) == 2
    family.post(f"/messages/{thread.id}", data={"body": BODY})
    liaison.get(f"/messages/{thread.id}/since?after={last}")
    assert len(audit("message_thread.read")) == 3
    posted = audit("message.posted")
    assert posted and BODY not in str([e.detail for e in posted])


def test_messages_follow_the_organisations_retention_policy(app, demo):
    thread = group_thread(demo)
    author = demo.user("familj1")
    old = Message(
        thread_id=thread.id,
        author_id=author.id,
        body="gammalt",
        created_at=utcnow() - timedelta(days=6 * 366),
    )
    db.session.add(old)
    db.session.commit()
    old_id, kept = old.id, message_count() - 1
    apply_retention(db.session)  # no policy: everything is kept
    db.session.commit()
    assert db.session.get(Message, old_id) is not None
    organisation = db.session.get_one(Organisation, thread.organisation_id)
    organisation.retention_years = 5
    db.session.commit()
    apply_retention(db.session)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Message, old_id) is None
    assert message_count() == kept
    events = [e for e in audit("retention.removed") if e.detail["rule"] == "messages"]
    assert len(events) == 1 and events[0].detail["rows"] == 1


def test_message_bodies_never_reach_the_logs(app, demo, caplog):
    caplog.set_level(logging.DEBUG)
    family = signed_in(app, "familj1")
    thread = group_thread(demo)
    family.post(f"/messages/{thread.id}", data={"body": BODY})
    family.post(
        f"/api/v1/threads/{thread.id}/messages",
        json={"body": BODY + " (api)"},
        headers=bearer(family, "familj1"),
    )
    family.post(f"/messages/{thread.id}", data={"body": BODY + "x" * 4001})
    hub = signed_in(app, "hubb.bjornen")
    hub.get(f"/messages/{thread.id}")
    assert message_count() >= 2
    assert "barnvagn" not in caplog.text


def test_a_look_at_a_thread_outside_ones_reach_is_404_and_a_security_event(app, demo):
    thread = group_thread(demo)
    stranger = signed_in(app, "familj9")
    assert stranger.get(f"/messages/{thread.id}").status_code == 404
    [event] = audit("access.denied")
    assert event.object_type == "message_threads" and event.object_id == thread.id
    assert event.actor_id == demo.user("familj9").id


def test_a_direct_thread_stays_readable_but_closes_when_the_two_no_longer_share_one(app, demo):
    family = signed_in(app, "familj1")
    headers = bearer(family, "familj1")
    opened = family.post(
        "/api/v1/threads", json={"participant_ids": [demo.user("familj2").id]}, headers=headers
    )
    thread_id = opened.get_json()["id"]
    url = f"/api/v1/threads/{thread_id}/messages"
    assert family.post(url, json={"body": "Hej!"}, headers=headers).status_code == 201
    home = db.session.scalar(select(Household).where(Household.name == "Familjen Berg"))
    for membership in home.memberships:
        membership.left_on = membership.left_on or local_today()
    db.session.commit()
    assert family.get(url, headers=headers).status_code == 200
    refused = family.post(url, json={"body": "Är ni kvar?"}, headers=headers)
    assert refused.status_code == 409
    page = family.post(f"/messages/{thread_id}", data={"body": "Är ni kvar?"})
    assert page.status_code == 409
    assert "inte längre med i samma konstellation" in page.get_data(as_text=True)


def test_the_menu_says_meddelanden_to_people_and_conversations_to_administrators(app, demo):
    family = signed_in(app, "familj1").get("/messages/").get_data(as_text=True)
    assert '<a href="/messages/" aria-current="page">Meddelanden</a>' in family
    admin = signed_in(app, "admin").get("/home").get_data(as_text=True)
    assert '<a href="/messages/organisation">Konversationer</a>' in admin
    assert '<a href="/messages/"' not in admin


def test_a_new_message_is_handed_to_the_listeners_with_the_other_participants(app, demo):
    from hubhome.messages.services import message_listeners

    heard = []

    def listener(session, message, recipients):
        heard.append((message.thread_id, message.author_id, sorted(r.id for r in recipients)))

    message_listeners.add(app, listener)
    try:
        family = signed_in(app, "familj1")
        thread = group_thread(demo)
        family.post(f"/messages/{thread.id}", data={"body": BODY})
        family.post(f"/messages/{thread.id}", data={"body": ""})  # refused: nobody is told
    finally:
        message_listeners.remove(app, listener)
    others = sorted(demo.user(who).id for who in ("familj2", "hubb.bjornen", "socialsekreterare"))
    assert heard == [(thread.id, demo.user("familj1").id, others)]
