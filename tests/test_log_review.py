"""The monthly access review: each rule on hand-made audit rows, the sample, the monthly job,
marking, notifications, sign-off, and the log reviewer who may do nothing else."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child
from hubhome.db import table_of
from hubhome.extensions import db
from hubhome.network.models import Household
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.models import Call
from hubhome.privacy.models import LogReview, LogReviewItem
from tests.monitoring_helpers import place_child as placed

# August 2026: the demo's history of reads (`history`) falls in July; the hand-made reads in
# March, across the night# summer time began (2026-03-29, 02:00 CET -> 03:00 CEST).
pytestmark = pytest.mark.clock("2026-08-15T10:00:00Z")
MARCH = date(2026, 3, 1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def place_child(demo, household_short: str, *, protected: bool = False) -> Child:
    """A child placed in a demo carer's household since 2020, with the demo social worker."""
    home = db.session.get(Household, demo.user(household_short).household_id)
    worker = demo.user("socialsekreterare")
    return placed(worker, home.name, "Testa", date(2020, 1, 1), protected=protected)


def reads(*rows: tuple[object, Child, str]) -> list[int]:
    """Write reads of children's records as the audit service does: (user, child, UTC time)."""
    values = [
        {
            "at": utc(at),
            "organisation_id": user.organisation_id,  # type: ignore[attr-defined]
            "actor_id": user.id,  # type: ignore[attr-defined]
            "actor_role": str(user.role),  # type: ignore[attr-defined]
            "action": "child.view",
            "object_type": "children",
            "object_id": child.id,
            "child_id": child.id,
            "channel": "web",
        }
        for user, child, at in rows
    ]
    ids = [
        db.session.execute(insert(table_of(AuditEvent)).returning(AuditEvent.id), [v]).scalar_one()
        for v in values
    ]
    db.session.commit()
    return ids


def open_march(runner, *args: str) -> LogReview:
    result = runner.invoke(args=["log-review", "open", "--month", "2026-03", *args])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return db.session.scalars(select(LogReview).where(LogReview.month == MARCH)).one()


def reasons_by_event(review: LogReview) -> dict[int | None, list[str]]:
    return {i.audit_event_id: i.reasons for i in review.items if i.audit_event_id is not None}


def test_each_rule_selects_its_reads(demo, runner):
    child = place_child(demo, "familj1")  # a Björnen satellite
    secret = place_child(demo, "familj9", protected=True)  # Räven
    sara, hub = demo.user("socialsekreterare"), demo.user("hubb.bjornen")
    other_hub = demo.user("hubb.raven")
    neighbour, jour, admin = demo.user("familj2"), demo.user("jour"), demo.user("admin")
    ids = reads(
        (sara, child, "2026-03-10T09:00:00"),  # her own case, office hours: nothing
        (hub, child, "2026-03-10T09:05:00"),  # the constellation's hub: nothing
        (neighbour, child, "2026-03-10T09:10:00"),  # a satellite of the same constellation
        (other_hub, child, "2026-03-10T09:15:00"),  # the other constellation: no relation
        (admin, child, "2026-03-10T09:20:00"),  # administrators are outside the relation rule
        (jour, secret, "2026-03-12T22:00:00"),  # 23:00 in Stockholm, protected, no relation
        (sara, child, "2026-03-28T21:30:00"),  # 22:30 CET: night
        (sara, child, "2026-03-28T20:30:00"),  # 21:30 CET: evening
        (sara, child, "2026-03-28T04:30:00"),  # 05:30 CET: night
        (sara, child, "2026-03-30T20:30:00"),  # 22:30 CEST: night
        (sara, child, "2026-03-30T19:30:00"),  # 21:30 CEST: evening
        (sara, child, "2026-03-30T04:30:00"),  # 06:30 CEST: morning
        (sara, child, "2026-02-28T23:30:00"),  # 00:30 on 1 March in Stockholm: night, March
        (sara, child, "2026-03-31T22:30:00"),  # 00:30 on 1 April: not March
    )
    review = open_march(runner, "--sample-size", "0")
    found = reasons_by_event(review)
    assert found == {
        ids[3]: ["no_relation"],
        ids[5]: ["protected", "night", "no_relation"],
        ids[6]: ["night"],
        ids[8]: ["night"],
        ids[9]: ["night"],
        ids[12]: ["night"],
    }
    assert review.reads == 13


def test_an_accepted_call_about_the_household_is_a_relation_for_a_week(demo, runner):
    child = place_child(demo, "familj1")
    jour = demo.user("jour")
    db.session.add(
        Call(
            call_sid="CA" + "7" * 32,
            organisation_id=jour.organisation_id,
            household_id=demo.user("familj1").household_id,
            from_number="+46700001111",
            to_number="+46100000001",
            chain=[],
            accepted_by_id=jour.id,
            started_at=utc("2026-03-10T09:00:00"),
        )
    )
    db.session.commit()
    ids = reads(
        (jour, child, "2026-03-10T09:30:00"),  # during the call's week
        (jour, child, "2026-03-16T09:30:00"),
        (jour, child, "2026-03-18T09:30:00"),  # eight days on: no longer
        (jour, child, "2026-03-09T09:30:00"),  # the day before the call
    )
    found = reasons_by_event(open_march(runner, "--sample-size", "0"))
    assert found == {ids[2]: ["no_relation"], ids[3]: ["no_relation"]}


def test_a_heavy_reader_is_one_item_with_the_count(demo, runner, app):
    child = place_child(demo, "familj1")
    sara, hub, neighbour = (demo.user(s) for s in ("socialsekreterare", "hubb.bjornen", "familj1"))
    jour = demo.user("jour")
    minimum = app.config["HUBHOME"].log_review_heavy_minimum
    base = datetime(2026, 3, 2, 8, tzinfo=UTC)

    def many(user, count):
        return [(user, child, (base + timedelta(minutes=i)).isoformat()[:19]) for i in range(count)]

    # sara: far above the others and above the minimum; hub: 3x the median but too few
    reads(*many(sara, minimum), *many(hub, 30), *many(neighbour, 10), *many(jour, 10))
    review = open_march(runner, "--sample-size", "0")
    heavy = [i for i in review.items if i.reasons == ["heavy"]]
    assert [(i.actor_id, i.read_count, i.audit_event_id) for i in heavy] == [
        (sara.id, minimum, None)
    ]


def test_the_sample_is_drawn_with_the_reviews_seed(demo, runner):
    child = place_child(demo, "familj1")
    sara = demo.user("socialsekreterare")
    ids = reads(*[(sara, child, f"2026-03-{day:02d}T09:00:00") for day in range(2, 22)])
    review = open_march(runner, "--seed", "4242", "--sample-size", "5")
    sampled = sorted(e for e, r in reasons_by_event(review).items() if "sample" in r)
    assert review.seed == 4242 and review.sample_size == 5
    assert len(sampled) == 5 and set(sampled) <= set(ids)
    # the same seed over the same reads draws the same ones (documented: random.Random(seed))
    assert sampled == sorted(random.Random(4242).sample(ids, 5))


def test_a_month_to_come_cannot_be_opened(demo, runner):
    result = runner.invoke(args=["log-review", "open", "--month", "2026-09"])
    assert result.exit_code == 2 and "Välj den här månaden eller en tidigare." in result.output
    assert runner.invoke(args=["log-review", "open", "--month", "2026-9x"]).exit_code == 2
    assert db.session.scalars(select(LogReview.id)).all() == []


def test_the_sample_size_comes_from_the_settings(demo, other_app):
    from hubhome.privacy.services import open_review

    child = place_child(demo, "familj1")
    sara = demo.user("socialsekreterare")
    reads(*[(sara, child, f"2026-03-{day:02d}T09:00:00") for day in range(2, 12)])
    org_id = sara.organisation_id
    db.session.commit()  # the test's own session lets go of SQLite's write lock
    with other_app(log_review_sample_size=3).app_context():
        review, opened = open_review(db.session, None, org_id, MARCH, seed=1)
        db.session.commit()
        assert opened and review.sample_size == 3
        assert sum("sample" in i.reasons for i in review.items) == 3


def test_the_monthly_job_opens_last_month_once_per_organisation(demo, app):
    from hubhome.ops.schedule import scheduled_jobs
    from hubhome.privacy.services import open_due_reviews

    assert "log_review_open" in {job.name for job in scheduled_jobs.items(app)}
    opened = select(AuditEvent.id).where(AuditEvent.action == "log_review.open")
    before = len(db.session.scalars(opened).all())
    assert open_due_reviews(db.session) == 1
    assert open_due_reviews(db.session) == 0
    months = db.session.scalars(select(LogReview.month)).all()
    assert months == [date(2026, 7, 1)]
    assert len(db.session.scalars(opened).all()) == before + 1


def _csrf(client, path: str) -> str:
    """The page's CSRF token (the tests' settings switch CSRF off: then none)."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def post_finding(client, item: LogReviewItem, verdict: str, comment: str):
    path = f"/admin/log-review/{item.review_id}/items/{item.id}"
    fields = {f"i{item.id}-verdict": verdict, f"i{item.id}-comment": comment}
    return client.post(path, data={"csrf_token": _csrf(client, "/admin/log-review"), **fields})


@pytest.fixture
def history(demo):
    """The demo's month of reads before the test's (what `hubhome demo` seeds), reviewed."""
    from hubhome.privacy.demo import seed_reads

    seed_reads(db.session)
    db.session.commit()
    return demo


def _july(client) -> LogReview:
    return db.session.scalars(select(LogReview).where(LogReview.month == date(2026, 7, 1))).one()


def test_the_demo_review_shows_every_kind_of_finding(history, login_as):
    client = login_as("admin")
    review = _july(client)
    kinds = {r for item in review.items for r in item.reasons}
    assert kinds == {"sample", "protected", "night", "no_relation", "heavy"}
    page = client.get(f"/admin/log-review/{review.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Skyddad identitet" in text and "Ingen koppling till barnet" in text
    assert "(skyddad identitet)" in text  # the protected child is shown by number only


def test_marking_unjustified_tells_the_admins_and_sign_off_makes_it_read_only(history, login_as):
    client = login_as("granskare")
    review = _july(client)
    path = f"/admin/log-review/{review.id}"
    first, *rest = review.items
    token = _csrf(client, path)
    mark = f"{path}/items/{first.id}"
    # no comment: refused, nothing saved
    answer = client.post(mark, data={"csrf_token": token, f"i{first.id}-verdict": "unjustified"})
    assert answer.status_code == 422
    assert "Skriv vad du kom fram till." in answer.get_data(as_text=True)
    # signing off with items left: 409
    answer = client.post(f"{path}/sign-off", data={"csrf_token": token, "summary": "Klart."})
    assert answer.status_code == 409
    answer = post_finding(client, first, "unjustified", "Ingen anledning att läsa.")
    assert answer.status_code == 302
    sms = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "log_review.unjustified")
    ).all()
    assert [m.to for m in sms] == ["+46700000001"]  # the demo's one administrator
    assert f"/admin/log-review/{review.id}" in sms[0].body and "Testa" not in sms[0].body
    # marking it again sends nothing twice
    post_finding(client, first, "unjustified", "Fortfarande ingen anledning.")
    again = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.purpose == "log_review.unjustified")
    ).all()
    assert len(again) == 1
    for item in rest:
        answer = post_finding(client, item, "justified", "I tjänsten.")
        assert answer.status_code == 302
    answer = client.post(f"{path}/sign-off", data={"csrf_token": token, "summary": "En brist."})
    assert answer.status_code == 302
    db.session.expire_all()
    review = db.session.get(LogReview, review.id)
    assert review.signed_off_at is not None
    assert review.signed_off_by_id == db.session.scalar(
        select(AuditEvent.actor_id).where(AuditEvent.action == "log_review.sign_off")
    )
    page = client.get(path).get_data(as_text=True)
    assert "En brist." in page and "Spara bedömningen" not in page and "data-print" in page
    # read-only now
    answer = post_finding(client, first, "justified", "x")
    assert answer.status_code == 409
    answer = client.post(f"{path}/sign-off", data={"csrf_token": token, "summary": "Igen."})
    assert answer.status_code == 409
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("log_review.%"))
    ).all()
    assert {"log_review.view", "log_review.mark", "log_review.sign_off"} <= set(actions)
    assert actions.count("log_review.mark") == len(review.items) + 1


def test_opening_a_month_from_the_page(login_as):
    client = login_as("admin")
    token = _csrf(client, "/admin/log-review")
    answer = client.post("/admin/log-review/open", data={"csrf_token": token, "month": "2026-13"})
    assert answer.status_code == 422
    answer = client.post("/admin/log-review/open", data={"csrf_token": token, "month": "2027-01"})
    assert answer.status_code == 422
    assert "Välj den här månaden eller en tidigare." in answer.get_data(as_text=True)
    answer = client.post("/admin/log-review/open", data={"csrf_token": token, "month": "2026-06"})
    assert answer.status_code == 302
    assert db.session.scalar(select(LogReview.id).where(LogReview.month == date(2026, 6, 1)))


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:[a-z_]+:)?{arg}>", "1", path)
        yield rule.endpoint, path


ALLOWED = ("privacy.review", "accounts.", "about.", "static", "home.")


def test_the_log_reviewer_reaches_the_review_and_nothing_else(app, login_as):
    client = login_as("granskare")
    page = client.get("/admin/log-review")
    assert page.status_code == 200
    menu = re.search(r'<nav aria-label="Huvudmeny".*?</nav>', page.get_data(as_text=True), re.S)
    assert re.findall(r'href="([^"]+)"', menu.group(0)) == ["/home", "/admin/log-review"]
    assert client.get("/home").headers["Location"].endswith("/admin/log-review")
    refused = {}
    for endpoint, path in _get_routes(app):
        if endpoint.startswith(ALLOWED) or path.startswith("/api/"):
            continue
        status = client.get(path).status_code
        if status not in (403, 404):
            refused[path] = status
    assert refused == {}
    assert client.get("/admin/register-extract").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_the_log_reviewer_gets_403_from_the_api(client, demo):
    from tests.conftest import bearer

    headers = bearer(client, "granskare")
    for path in ("/api/v1/children", "/api/v1/households", "/api/v1/audit"):
        assert client.get(path, headers=headers).status_code == 403, path


def test_others_may_not_see_the_review(history, login_as, client):
    review_id = _july(client).id
    for short in ("socialsekreterare", "jour", "familj1"):
        client.post("/logout", data={"csrf_token": _csrf(client, "/home")})
        login_as(short)
        assert client.get("/admin/log-review").status_code == 403
        assert client.get(f"/admin/log-review/{review_id}").status_code == 403
