"""The reminder the day before goes to the families who answered yes, from 18:00 Stockholm
time, once, on both sides of the DST changes."""

from datetime import UTC, datetime

import pytest
import time_machine

from hubhome.activities.jobs import send_activity_reminders
from hubhome.extensions import db
from jobs.registry import all_jobs
from tests import clock
from tests.activity_helpers import (
    answer_form,
    messages,
    plan,
    without_demo_everyday,  # noqa: F401
)
from tests.conftest import login

pytestmark = [pytest.mark.clock(clock.WRITTEN), pytest.mark.usefixtures("without_demo_everyday")]


def _coming_event(app, demo, day, start, planned_at):
    """Plan an event as the hub carer; familj1 answers yes, familj2 no."""
    bjornen = demo.constellations["Björnen"].id
    with time_machine.travel(planned_at, tick=False):
        hub = app.test_client()
        login(hub, "hubb.bjornen")
        [event] = plan(hub, bjornen, day=day, start=start, end="23:59")
        for who, coming in (("familj1", True), ("familj2", False)):
            family = app.test_client()
            login(family, who)
            family.post(
                f"/activities/{event.id}/answer",
                data=answer_form(demo.user(who).household_id, attending=coming),
            )
    return event


def _run_at(instant):
    with time_machine.travel(instant, tick=False):
        sent = send_activity_reminders(db.session)
        db.session.commit()
    return sent


@pytest.mark.parametrize(
    ("day", "start", "planned_at", "before_six", "at_six"),
    [
        # Sunday 28 March 2027, DST starts at 02:00: Saturday 18:00 is still CET (17:00 UTC).
        ("2027-03-28", "10:00", "2027-03-01 09:00Z", "2027-03-27 16:59Z", "2027-03-27 17:00Z"),
        # An event at 03:30 on the short night itself is still tomorrow's.
        ("2027-03-28", "03:30", "2027-03-01 09:00Z", "2027-03-27 16:59Z", "2027-03-27 17:00Z"),
        # Sunday 31 October 2027, DST ends at 03:00: Saturday 18:00 is CEST (16:00 UTC).
        ("2027-10-31", "10:00", "2027-10-01 09:00Z", "2027-10-30 15:59Z", "2027-10-30 16:00Z"),
        # 23:30 on the long day: still Sunday in Stockholm (22:30 UTC).
        ("2027-10-31", "23:30", "2027-10-01 09:00Z", "2027-10-30 15:59Z", "2027-10-30 16:00Z"),
    ],
)
def test_reminder_the_day_before_across_dst(app, demo, day, start, planned_at, before_six, at_six):
    event = _coming_event(app, demo, day, start, planned_at)
    assert _run_at(before_six) == 0
    assert _run_at(at_six) == 1
    assert _run_at(at_six) == 0  # idempotent: the dedupe key holds
    sent = messages("activity.reminder")
    assert [m.recipient_id for m in sent] == [demo.user("familj1").id]
    assert event.title in sent[0].body and start in sent[0].body


def test_no_reminder_two_days_before_or_for_a_cancelled_event(app, demo):
    event = _coming_event(app, demo, "2027-03-28", "10:00", "2027-03-01 09:00Z")
    assert _run_at(datetime(2027, 3, 26, 18, 0, tzinfo=UTC)) == 0
    with time_machine.travel("2027-03-27 09:00Z", tick=False):
        hub = app.test_client()
        login(hub, "hubb.bjornen")
        hub.post(f"/activities/{event.id}/cancel")
    assert _run_at(datetime(2027, 3, 27, 17, 30, tzinfo=UTC)) == 0
    assert [m.recipient_id for m in messages("activity.cancelled")] == [demo.user("familj1").id]


def test_reminder_job_is_registered():
    names = {job.name: job for job in all_jobs()}
    assert names["activity_reminders"].func is send_activity_reminders
