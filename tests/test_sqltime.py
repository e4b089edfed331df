"""Swedish hours counted in SQL agree with Python's conversion, across summer time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hubhome.extensions import db
from hubhome.phone.models import Call, CallStatus
from hubhome.sqltime import offset_changes, stockholm_hour, stockholm_hour_between
from hubhome.timeutil import to_local


def _instants() -> list[datetime]:
    """Every 20 minutes around the changes of 2025, and every 7 h 13 min over three years."""
    found = []
    for change in (
        datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
        datetime(2025, 10, 26, 1, 0, tzinfo=UTC),
    ):
        found += [change + timedelta(minutes=20 * n) for n in range(-12, 13)]
    start = datetime(2023, 12, 31, 22, 59, 59, tzinfo=UTC)
    found += [start + timedelta(hours=7, minutes=13) * n for n in range(3700)]
    return found


def test_hours_between_changes_agree_with_python(app, demo):
    org = demo.user("admin").organisation_id
    instants = _instants()
    db.session.add_all(
        Call(
            call_sid=f"CA{n:032d}",
            organisation_id=org,
            from_number="+46700000001",
            to_number="+46100000001",
            chain=[],
            status=CallStatus.COMPLETED,
            started_at=at,
        )
        for n, at in enumerate(instants)
    )
    db.session.flush()
    first, last = min(instants), max(instants) + timedelta(seconds=1)
    june, july = datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)
    for period in [(first, last), (june, last), (june, july)]:  # 7, 3 and no changes
        start, end = (at.replace(tzinfo=None) for at in period)
        rows = db.session.execute(
            select(
                Call.started_at,
                stockholm_hour(Call.started_at),
                stockholm_hour_between(Call.started_at, start, end),
            ).where(
                Call.call_sid.like("CA%"),
                Call.started_at >= period[0],
                Call.started_at < period[1],
            )
        ).all()
        assert len(rows) > 50
        for at, hour, between in rows:
            expected = to_local(at.replace(tzinfo=UTC) if at.tzinfo is None else at).hour
            assert (hour, between) == (expected, expected), at


def test_offset_changes_are_the_summer_time_changes():
    changes, offsets = offset_changes(datetime(2024, 12, 1), datetime(2026, 12, 1))
    assert changes == (
        datetime(2025, 3, 30, 1),
        datetime(2025, 10, 26, 1),
        datetime(2026, 3, 29, 1),
        datetime(2026, 10, 25, 1),
    )
    assert offsets == (1, 2, 1, 2, 1)
    assert offset_changes(datetime(2025, 6, 1), datetime(2025, 7, 1)) == ((), (2,))
