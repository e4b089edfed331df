"""Retention (gallring): the organisation's policy, applied by a job that logs what it removed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.network.models import Organisation
from hubhome.ops.retention import apply_retention, in_research_sample
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.services import enqueue_sms


def _message(demo, key: str, *, days_old: int, status: OutboxStatus) -> None:  # type: ignore[no-untyped-def]
    queued = enqueue_sms(db.session, demo.user("familj1"), "test", lambda: "Hej", dedupe_key=key)
    assert queued is not None
    message = db.session.get_one(OutboxMessage, queued.id)
    message.created_at = datetime.now(UTC) - timedelta(days=days_old)
    message.status = status


def test_retention_removes_old_sent_messages_keeps_pending_and_logs_counts(app, demo):
    _message(demo, "old-sent", days_old=120, status=OutboxStatus.SENT)
    _message(demo, "old-pending", days_old=120, status=OutboxStatus.PENDING)
    _message(demo, "new-sent", days_old=3, status=OutboxStatus.SENT)
    db.session.commit()
    assert apply_retention(db.session) >= 1
    db.session.commit()
    keys = set(db.session.scalars(select(OutboxMessage.dedupe_key)))
    assert keys == {"old-pending", "new-sent"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.removed"))
    assert event.detail["rule"] == "outbox_messages" and event.detail["rows"] == 1
    assert apply_retention(db.session) == 0  # run twice, removes nothing twice


def test_the_research_sample_is_people_born_on_the_5th_15th_and_25th():
    assert in_research_sample(date(2015, 3, 5))
    assert in_research_sample(date(2015, 3, 25))
    assert not in_research_sample(date(2015, 3, 6))
    assert not in_research_sample(None)


def test_admin_sets_the_retention_policy_and_duty_number(login_as, demo):
    client = login_as("admin")
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert "Spara" in page
    response = client.post(
        "/admin/organisation", data={"duty_number": "0771-11 22 33", "retention_years": "5"}
    )
    assert response.status_code == 302
    org = db.session.get(Organisation, demo.user("admin").organisation_id)
    db.session.refresh(org)
    assert (org.duty_number, org.retention_years) == ("+46771112233", 5)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.update"))
    assert set(event.detail["changed"]) == {"duty_number", "retention_years"}


def test_bad_settings_are_refused_in_swedish_and_nothing_changes(login_as, demo):
    client = login_as("admin")
    response = client.post(
        "/admin/organisation", data={"duty_number": "inte ett nummer", "retention_years": "5"}
    )
    assert response.status_code == 422
    assert "Det är inte ett giltigt telefonnummer" in response.get_data(as_text=True)
    response = client.post("/admin/organisation", data={"duty_number": "", "retention_years": "0"})
    assert response.status_code == 422
    org = db.session.get(Organisation, demo.user("admin").organisation_id)
    db.session.refresh(org)
    assert org.retention_years is None


def test_only_admins_change_organisation_settings(login_as):
    assert login_as("hubb.bjornen").post("/admin/organisation", data={}).status_code == 403


def _household_of(demo, short: str):  # type: ignore[no-untyped-def]
    return demo.user(short).household_id


def _old_advice(demo, short: str, days_old: int) -> None:  # type: ignore[no-untyped-def]
    from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic

    db.session.add(
        AdviceContact(
            organisation_id=demo.user("admin").organisation_id,
            household_id=_household_of(demo, short),
            logged_by_id=demo.user("hubb.bjornen").id,
            asked_by="Familjehemsförälder",
            channel=AdviceChannel.PHONE,
            topic=AdviceTopic.SCHOOL,
            summary="Gammal rådgivning",
            created_at=datetime.now(UTC) - timedelta(days=days_old),
        )
    )


def _children_of(demo, short: str) -> list:  # type: ignore[no-untyped-def]
    from hubhome.children.models import Child, Placement

    return list(
        db.session.scalars(
            select(Child)
            .join(Placement, Placement.child_id == Child.id)
            .where(Placement.household_id == _household_of(demo, short))
            .order_by(Child.id)
        )
    )


def _in_research_sample(demo, short: str) -> bool:  # type: ignore[no-untyped-def]
    return any(in_research_sample(child.birth_date) for child in _children_of(demo, short))


def test_case_entries_go_after_the_policy_but_never_the_research_sample(app, demo):
    from hubhome.advice.models import AdviceContact
    from hubhome.phone.models import Call, CallStatus

    # The demo draws birth dates relative to the day it is seeded, so which of its families
    # fall in the research sample changes from day to day: choose their birthdays here.
    families = [f"familj{n}" for n in range(1, 14) if f"familj{n}" in demo.users]
    plain, sampled = families[:2], families[2:3]
    for short in families[:3]:
        for child in _children_of(demo, short):
            child.birth_date = child.birth_date.replace(day=6)
    first = _children_of(demo, sampled[0])[0]
    first.birth_date = first.birth_date.replace(day=15)  # one child in the sample keeps it all
    assert [_in_research_sample(demo, f) for f in [*plain, *sampled]] == [False, False, True]
    db.session.execute(delete_all(AdviceContact))
    org = db.session.get(Organisation, demo.user("admin").organisation_id)
    org.retention_years = 5
    _old_advice(demo, plain[0], days_old=6 * 365)  # its last entry is old: goes
    _old_advice(demo, plain[-1], days_old=6 * 365)  # a newer entry keeps the family's log
    _old_advice(demo, plain[-1], days_old=30)
    _old_advice(demo, sampled[0], days_old=6 * 365)  # research sample: kept
    old_call = Call(
        call_sid="CA" + "9" * 32,
        organisation_id=org.id,
        household_id=_household_of(demo, plain[0]),
        from_number="+46700000001",
        to_number="+46100000001",
        chain=[],
        status=CallStatus.COMPLETED,
        started_at=datetime.now(UTC) - timedelta(days=6 * 365),
    )
    db.session.add(old_call)
    db.session.commit()
    old_call_id = old_call.id

    apply_retention(db.session)
    db.session.commit()

    left = db.session.scalars(select(AdviceContact.household_id)).all()
    assert _household_of(demo, plain[0]) not in left
    assert left.count(_household_of(demo, plain[-1])) == 2
    assert _household_of(demo, sampled[0]) in left
    db.session.expunge_all()
    assert db.session.get(Call, old_call_id) is None
    rules = {
        e.detail["rule"]: e.detail["rows"]
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.removed")
        )
    }
    assert rules["advice_contacts"] == 1 and rules["calls"] == 1
    assert "Gammal" not in str(rules)  # counts only, never content


def delete_all(model):  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    return delete(model)
