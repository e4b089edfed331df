"""Queueing messages: a dedupe key queues one message, even when two transactions race."""

import threading

import pytest
from sqlalchemy import func, select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.services import enqueue_sms, enqueue_sms_to_number
from tests.conftest import is_postgres


def _count(key: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.dedupe_key == key)
    )


def test_a_key_queued_twice_gives_one_message_and_says_which_was_new(app, demo):
    carer = demo.user("familj1")
    first = enqueue_sms(db.session, carer, "test", lambda: "Hej", dedupe_key="k1")
    again = enqueue_sms(db.session, carer, "test", lambda: "Hej igen", dedupe_key="k1")
    db.session.commit()
    assert first is not None and first.new
    assert again is not None and not again.new and again.id == first.id
    message = db.session.get_one(OutboxMessage, first.id)
    assert (message.body, message.status, message.attempts) == ("Hej", OutboxStatus.PENDING, 0)
    assert message.to == carer.phone and message.recipient_id == carer.id
    assert message.created_at is not None and message.due_at is not None


def test_messages_without_a_key_are_all_queued(app, demo):
    first = enqueue_sms_to_number(db.session, None, "+46701234567", "test", "Ett")
    second = enqueue_sms_to_number(db.session, None, "+46701234567", "test", "Två")
    db.session.commit()
    assert first.new and second.new and first.id != second.id


def test_a_user_without_a_phone_gets_nothing(app, demo):
    carer = demo.user("familj1")
    carer.phone = None
    assert enqueue_sms(db.session, carer, "test", lambda: "Hej", dedupe_key="k2") is None
    db.session.commit()
    assert _count("k2") == 0


def _queue_at_once(app, carer_id: int, key: str, threads: int = 4) -> list[object]:
    """Queue the same key from several threads, each in its own transaction, released together."""
    from hubhome.accounts.models import User

    barrier = threading.Barrier(threads)
    results: list[object] = []

    def queue() -> None:
        with app.app_context():
            carer = db.session.get_one(User, carer_id)
            barrier.wait()
            try:
                queued = enqueue_sms(db.session, carer, "test", lambda: "Hej", dedupe_key=key)
                db.session.commit()
                results.append(queued)
            except Exception as exc:  # noqa: BLE001  (the test's assertion names it)
                results.append(exc)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=queue) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="concurrent transactions are proven on PostgreSQL")
def test_two_transactions_queueing_the_same_key_at_once_both_commit_one_message(app, demo):
    carer_id = demo.user("familj1").id
    db.session.commit()
    for round_ in range(10):
        key = f"race-{round_}"
        results = _queue_at_once(app, carer_id, key)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sum(r.new for r in results) == 1  # type: ignore[attr-defined]
        assert len({r.id for r in results}) == 1  # type: ignore[attr-defined]
        assert _count(key) == 1


def test_urgent_messages_go_before_bulk_ones_queued_earlier(app, demo, twilio_http):
    from hubhome.outbox.sender import send_due

    familj1 = demo.user("familj1")
    for n in range(3):
        enqueue_sms(db.session, familj1, "caseload.digest", lambda n=n: f"Veckans lista {n}")
    enqueue_sms(db.session, familj1, "phone.follow_up", lambda: "Nytt röstmeddelande")
    db.session.commit()
    send_due(db.session, limit=1)
    assert [form["Body"] for form in twilio_http.sent_sms] == ["Nytt röstmeddelande"]
    send_due(db.session)
    assert len(twilio_http.sent_sms) == 4
