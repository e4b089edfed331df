"""Deadlines: a block past its time is interrupted, and a view answers its fallback."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import suppress

import pytest
from sqlalchemy import event, text

from hubhome.deadline import REPEAT_SECONDS, DeadlineExceeded, answer_within, deadline
from hubhome.extensions import db


def test_a_block_past_its_deadline_is_interrupted():
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as raised, deadline(0.1) as limit:
        time.sleep(10)
    assert raised.value.limit is limit and limit.expired
    assert 0.1 <= time.monotonic() - started < 1.0


def test_a_block_within_its_deadline_leaves_no_timer_and_no_handler_behind():
    before = signal.getsignal(signal.SIGALRM)
    with deadline(10) as limit:
        assert limit.armed
    assert not limit.expired
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before


def test_code_that_swallows_the_interruption_is_interrupted_again():
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded), deadline(0.1):
        with suppress(DeadlineExceeded):  # as psycopg turns it into an error of its own
            time.sleep(10)
        time.sleep(10)
    assert time.monotonic() - started < 0.1 + REPEAT_SECONDS + 0.5


def test_an_inner_deadline_arms_nothing_and_the_outer_one_governs():
    with pytest.raises(DeadlineExceeded) as raised, deadline(0.1) as outer, deadline(10) as inner:
        assert not inner.armed
        time.sleep(10)
    assert raised.value.limit is outer


def test_outside_the_main_thread_a_deadline_cannot_be_armed():
    armed: list[bool] = []

    def run() -> None:
        with deadline(0.01) as limit:
            armed.append(limit.armed)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert armed == [False]


def test_a_view_past_its_deadline_answers_the_fallback_and_drops_its_connection(other_app):
    app = other_app()  # its own app: this test adds routes and an engine listener
    with app.app_context():
        invalidated: list[object] = []
        event.listen(db.engine, "invalidate", lambda *args: invalidated.append(args))

        @answer_within(0.2, lambda: ("too late", 503))
        def stuck() -> str:
            db.session.execute(text("SELECT 1"))
            time.sleep(10)  # as on a connection that stopped answering
            return "never"

        app.add_url_rule("/stuck", view_func=stuck)
        app.add_url_rule("/quick", view_func=answer_within(5, lambda: "")(lambda: "in time"))
        client = app.test_client()
        response = client.get("/stuck")
        assert (response.status_code, response.get_data(as_text=True)) == (503, "too late")
        assert len(invalidated) == 1  # thrown away, not rolled back and returned to the pool
        assert client.get("/quick").get_data(as_text=True) == "in time"
        assert db.session.execute(text("SELECT 2")).scalar() == 2
