"""Who reads and posts in which thread, as a matrix over HTTP: every role × its own
constellation's thread, another constellation's, another organisation's and a direct thread
× read and post, on the pages and in the API. Outside a thread is 404; an administrator of the
thread's organisation is sent to break-the-glass instead."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from hubhome.extensions import db
from hubhome.messages.models import MessageThread, ThreadKind
from hubhome.messages.services import ensure_group_threads
from tests.permission_matrix import ANONYMOUS, Case, build_targets, run_cases

DEMO = ["admin", "socialsekreterare", "hubb.bjornen", "hubb.raven", "jour"]
DEMO += ["familj1", "familj2", "familj9"]
OTHER = ["other_admin", "other_familj"]

# Who is in each thread. socialsekreterare is the liaison of both demo constellations;
# familj1 and familj2 are satellites of Björnen, familj9 of Räven; jour (on-call staff) is
# in none; the direct thread is familj1 and Björnen's hub carer.
MEMBERS = {
    "bjornen_thread": {"socialsekreterare", "hubb.bjornen", "familj1", "familj2"},
    "raven_thread": {"socialsekreterare", "hubb.raven", "familj9"},
    "direct_thread": {"familj1", "hubb.bjornen"},
    "other_thread": {"other_familj"},
}
ADMIN_OF = {"admin": {"bjornen_thread", "raven_thread", "direct_thread"}}
ADMIN_OF["other_admin"] = {"other_thread"}


@pytest.fixture
def targets(app, demo):
    targets = build_targets(demo)
    ensure_group_threads(db.session, select(literal(targets.ids["other_constellation"])))
    db.session.commit()

    def group(constellation_id: int) -> int:
        thread_id = db.session.scalar(
            select(MessageThread.id).where(MessageThread.constellation_id == constellation_id)
        )
        assert thread_id is not None
        return thread_id

    direct = db.session.scalar(
        select(MessageThread.id).where(MessageThread.kind == ThreadKind.DIRECT)
    )
    targets.ids.update(
        bjornen_thread=group(targets.ids["bjornen"]),
        raven_thread=group(targets.ids["raven"]),
        other_thread=group(targets.ids["other_constellation"]),
        direct_thread=direct,
    )
    return targets


def read_cases() -> list[Case]:
    rows = []
    for who in DEMO + OTHER:
        rows.append(Case(who, "GET", "/messages/", 200))
        rows.append(Case(who, "GET", "/api/v1/threads", 200))
        for thread, members in MEMBERS.items():
            member = who in members
            admin = thread in ADMIN_OF.get(who, set())
            page = 200 if member else 302 if admin else 404
            rows.append(Case(who, "GET", f"/messages/{{{thread}}}", page))
            rows.append(
                Case(who, "GET", f"/messages/{{{thread}}}/since?after=0", 200 if member else 404)
            )
            rows.append(
                Case(who, "GET", f"/api/v1/threads/{{{thread}}}/messages", 200 if member else 404)
            )
            rows.append(
                Case(who, "GET", f"/messages/{{{thread}}}/break-glass", 200 if admin else 404)
            )
    for url, expected in (("/messages/", 302), ("/api/v1/threads", 401)):
        rows.append(Case(ANONYMOUS, "GET", url, expected))
    return rows


def post_cases() -> list[Case]:
    rows = []
    for who in DEMO + OTHER:
        for thread, members in MEMBERS.items():
            member = who in members
            rows.append(
                Case(
                    who, "POST", f"/messages/{{{thread}}}", 303 if member else 404, {"body": "Hej"}
                )
            )
            rows.append(
                Case(
                    who,
                    "POST",
                    f"/api/v1/threads/{{{thread}}}/messages",
                    201 if member else 404,
                    {"body": "Hej"},
                )
            )
    return rows


def test_who_reads_which_thread(app, targets):
    assert run_cases(app, targets, read_cases()) == []


def test_who_posts_in_which_thread(app, targets):
    assert run_cases(app, targets, post_cases()) == []


def test_the_thread_lists_agree_with_the_single_thread_checks(app, targets):
    """Each person's list holds exactly the threads they may open."""
    from tests.permission_matrix import Actors

    actors = Actors(app)
    for who in DEMO + OTHER:
        listed = {t["id"] for t in actors.request(who, "GET", "/api/v1/threads").get_json()}
        expected = {targets.ids[t] for t, members in MEMBERS.items() if who in members}
        assert listed == expected, who
