"""Constellation health and outcomes against a hand-computed municipality, CSV, snapshots,
health-figure sources, and a query count that does not grow with the data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.children.models import Child, Gender, Placement
from hubhome.extensions import db
from hubhome.network.models import (
    Constellation,
    ConstellationMembership,
    Household,
    HouseholdKind,
    Organisation,
)
from hubhome.outcomes.jobs import take_snapshots
from hubhome.outcomes.models import ConstellationSnapshot
from hubhome.outcomes.sources import HealthFigure, register_health_source, unregister_health_source
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking, RespiteBookingChild
from tests.conftest import DEMO_PASSWORD, login
from tests.monitoring_helpers import NOW

pytestmark = pytest.mark.clock(NOW)

ADMIN = "chef@test.hubhome.test"
YEAR_2025 = "/outcomes/?from=2025-01-01&to=2025-12-31"


def _household(org, name, kind, registered, deregistered=None):
    home = Household(
        organisation_id=org.id,
        name=name,
        kind=kind,
        registered_on=registered,
        deregistered_on=deregistered,
        respite_beds=2,
    )
    db.session.add(home)
    db.session.flush()
    return home


def _place(org, home, name, start, end=None, planned=None):
    child = Child(
        organisation_id=org.id,
        first_name=name,
        last_name="Test",
        birth_date=date(2015, 1, 1),
        gender=Gender.GIRL,
    )
    db.session.add(child)
    db.session.flush()
    db.session.add(
        Placement(
            child_id=child.id,
            household_id=home.id,
            start_date=start,
            end_date=end,
            ended_planned=planned,
        )
    )
    return child


def _booking(constellation, hub, home, user, children, check_in, check_out, kind, status):
    booking = RespiteBooking(
        constellation_id=constellation.id,
        hub_household_id=hub.id,
        household_id=home.id,
        check_in=check_in,
        check_out=check_out,
        kind=kind,
        status=status,
        requested_by_id=user.id,
    )
    booking.children = [RespiteBookingChild(child_id=c.id) for c in children]
    db.session.add(booking)


@pytest.fixture
def municipality(app, demo):
    """A small municipality whose 2025 figures are worked out by hand in the tests."""
    org = Organisation(name="Testkommun")
    db.session.add(org)
    db.session.flush()
    hub = _household(org, "Navet", HouseholdKind.HUB, date(2020, 1, 1))
    s1 = _household(org, "Sat Ett", HouseholdKind.SATELLITE, date(2023, 6, 1))
    s2 = _household(org, "Sat Två", HouseholdKind.SATELLITE, date(2024, 3, 1), date(2025, 2, 1))
    s3 = _household(org, "Sat Tre", HouseholdKind.SATELLITE, date(2024, 9, 1))
    admin = User(
        organisation_id=org.id,
        email=ADMIN,
        name="Chef",
        role=Role.ADMIN,
        password_hash=hash_password(DEMO_PASSWORD),
        locale="en",
    )
    db.session.add(admin)
    db.session.flush()
    constellation = Constellation(organisation_id=org.id, name="Ugglan", hub_household_id=hub.id)
    db.session.add(constellation)
    db.session.flush()
    for home, joined, left in [
        (s1, date(2023, 6, 1), None),
        (s2, date(2024, 3, 1), date(2025, 2, 1)),
        (s3, date(2024, 9, 1), None),
    ]:
        db.session.add(
            ConstellationMembership(
                constellation_id=constellation.id,
                household_id=home.id,
                joined_on=joined,
                left_on=left,
            )
        )
    a = _place(org, s1, "A", date(2024, 1, 1))  # 365 days in 2025
    _place(org, s2, "B", date(2024, 6, 1), date(2025, 2, 1), planned=False)  # 31, unplanned
    c = _place(org, s3, "C", date(2025, 7, 1))  # 184
    _place(org, s3, "D", date(2025, 3, 1), date(2025, 5, 1), planned=True)  # 61, planned
    P, E = BookingKind.PLANNED, BookingKind.EMERGENCY
    _booking(
        constellation,
        hub,
        s1,
        admin,
        [a],
        date(2025, 3, 10),
        date(2025, 3, 13),
        P,
        BookingStatus.COMPLETED,
    )
    _booking(
        constellation,
        hub,
        s1,
        admin,
        [a, c],
        date(2025, 12, 30),
        date(2026, 1, 2),
        E,
        BookingStatus.COMPLETED,
    )
    _booking(
        constellation,
        hub,
        s3,
        admin,
        [c],
        date(2025, 6, 1),
        date(2025, 6, 5),
        P,
        BookingStatus.DECLINED,
    )
    db.session.commit()
    return {"org": org, "constellation": constellation, "hub": hub, "admin": admin}


@pytest.fixture
def manager(client, municipality):
    with time_machine.travel(NOW, tick=False):
        login(client, ADMIN)
        yield client


def test_outcomes_match_the_hand_computed_figures(manager):
    text = manager.get(YEAR_2025).get_data(as_text=True)
    assert 'id="organisation"' in text
    # 1 unplanned ending over (365 + 31 + 184 + 61) / 365.25 = 1.755 placement-years.
    assert "0.570" in text
    assert "1 unplanned ending over 1.8 placement-years; 1 planned ending" in text
    # 12 months: hub, Ett, Två, Tre registered early enough; Två stopped within a year.
    assert "75.0 %" in text and "3 of 4 households" in text
    # 24 months: only the hub and Ett; both still fostering.
    assert "100.0 %" in text and "2 of 2 households" in text
    # 3 planned child-nights; 2 children x 2 nights of emergency respite inside 2025.
    assert "3 planned nights, 4 emergency nights" in text and "57.1 % emergency" in text


def test_constellation_health_and_csv(manager):
    response = manager.get("/outcomes/outcomes.csv?from=2025-01-01&to=2025-12-31")
    assert response.status_code == 200
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    figures = {(r[2], r[3]): r[4] for r in rows[1:]}
    assert figures[("Ugglan", "Satellites active")] == "2"
    assert figures[("Ugglan", "Satellites that left")] == "1"
    assert figures[("Ugglan", "Children placed")] == "2"
    assert figures[("Ugglan", "Hub beds")] == "2"
    assert figures[("Ugglan", "Hub bed occupancy (%)")] == "1.0"  # 7 / (2 x 365)
    assert figures[("Organisation", "Unplanned placement endings")] == "1"
    assert figures[("Organisation", "Still fostering after 12 months (%)")] == "75.0"
    assert figures[("Organisation", "Carer households that stopped fostering")] == "1"


def test_registered_health_sources_are_shown_and_added_up(manager, municipality):
    ugglan = municipality["constellation"].id

    def fake(session, constellation_ids, start, end):
        assert (start, end) == (date(2025, 1, 1), date(2025, 12, 31))
        return {
            ugglan: [
                HealthFigure("meetings.held", "Monthly meetings held", 11),
                HealthFigure("advice.sleep", "Sleep", 4, group="Advice contacts by topic"),
                HealthFigure("voicemail.open", "Open voicemails", 2, concern=True),
            ]
        }

    register_health_source(fake)
    try:
        text = manager.get(YEAR_2025).get_data(as_text=True)
        csv_text = manager.get("/outcomes/outcomes.csv?from=2025-01-01&to=2025-12-31").get_data(
            as_text=True
        )
    finally:
        unregister_health_source(fake)
    assert "Not connected yet" not in text
    assert "Advice contacts by topic: Sleep: 4" in text
    assert "<strong>Open voicemails: 2</strong>" in text
    assert "Ugglan;Monthly meetings held;11" in csv_text
    assert "Organisation;Monthly meetings held;11" in csv_text


def test_nightly_snapshot_is_idempotent_and_feeds_the_trend(manager, municipality):
    # The night of 31 December 2025 (CET): two children in emergency respite at the hub.
    with time_machine.travel(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        # 00:30 on 1 January in Stockholm: the snapshot is for 1 January.
        assert take_snapshots(db.session) >= 1
        assert take_snapshots(db.session) >= 1
        db.session.commit()
    snapshots = db.session.scalars(
        select(ConstellationSnapshot).where(
            ConstellationSnapshot.constellation_id == municipality["constellation"].id
        )
    ).all()
    assert [(s.day, s.emergency_nights, s.children_placed, s.hub_beds) for s in snapshots] == [
        (date(2026, 1, 1), 2, 2, 2)
    ]
    text = manager.get("/outcomes/?from=2026-01-01&to=2026-01-31").get_data(as_text=True)
    assert "Jan 2026" in text and "100.0 %" in text  # 2 of 2 beds on the one night recorded
    # The charts are drawn on the server as SVG beside their tables: no script, no CDN.
    assert text.count('<svg class="chart-svg"') >= 3 and "cdn" not in text.lower()


def test_queries_do_not_grow_with_constellations(app, other_app, municipality):
    counting = other_app(count_queries=True)
    client = counting.test_client()
    with time_machine.travel(NOW, tick=False):
        login(client, ADMIN)
        small = int(client.get(YEAR_2025).headers["X-Query-Count"])
        org = municipality["org"]
        for i in range(4):
            hub = _household(org, f"Nav {i}", HouseholdKind.HUB, date(2021, 1, 1))
            sat = _household(org, f"Sat {i}", HouseholdKind.SATELLITE, date(2022, 1, 1))
            extra = Constellation(
                organisation_id=org.id, name=f"Extra {i}", hub_household_id=hub.id
            )
            db.session.add(extra)
            db.session.flush()
            db.session.add(
                ConstellationMembership(
                    constellation_id=extra.id, household_id=sat.id, joined_on=date(2022, 1, 1)
                )
            )
            _place(org, sat, f"X{i}", date(2024, 1, 1))
        db.session.commit()
        response = client.get(YEAR_2025)
        assert "Extra 3" in response.get_data(as_text=True)
        assert int(response.headers["X-Query-Count"]) == small


def test_who_sees_outcomes(app, demo, client, municipality):
    with time_machine.travel(NOW, tick=False):
        login(client, "familj1")
        assert client.get("/outcomes/").status_code == 403
        worker = app.test_client()
        login(worker, "socialsekreterare")
        seeded = db.session.scalar(select(func.count(ConstellationSnapshot.id)))
        db.session.commit()
        text = worker.get("/outcomes/").get_data(as_text=True)
        assert "Björnen" in text and "Ugglan" not in text
        assert 'id="organisation"' not in text  # organisation figures are for managers
        # reading the page writes no snapshot (the demo seeds a year of them)
        assert db.session.scalar(select(func.count(ConstellationSnapshot.id))) == seeded


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29)),  # 00:30 CET, DST day
        (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), date(2026, 3, 30)),  # 00:30 CEST
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 25)),  # 00:30 CEST, DST ends
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26)),  # 00:30 CET
    ],
)
def test_snapshot_day_is_the_stockholm_date_across_dst(municipality, instant, day):
    with time_machine.travel(instant, tick=False):
        take_snapshots(db.session)
        db.session.commit()
    ours = ConstellationSnapshot.constellation_id == municipality["constellation"].id
    days = db.session.scalars(select(ConstellationSnapshot.day).where(ours).distinct()).all()
    assert days == [day]


def test_occupancy_counts_capacity_changes_and_closed_nights(manager, municipality):
    from hubhome.respite.models import BedCapacityChange, BlockedPeriod

    hub = municipality["hub"]
    # 2 beds until 1 July, then 3; closed 1-11 August (10 nights).
    db.session.add(BedCapacityChange(household_id=hub.id, effective_from=date(2025, 7, 1), beds=3))
    db.session.add(
        BlockedPeriod(household_id=hub.id, start_date=date(2025, 8, 1), end_date=date(2025, 8, 11))
    )
    db.session.commit()
    response = manager.get("/outcomes/outcomes.csv?from=2025-01-01&to=2025-12-31")
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    figures = {(r[2], r[3]): r[4] for r in rows[1:]}
    # 181 nights x 2 + (184 - 10) nights x 3 = 884 bed-nights; 7 used -> 0.8 %.
    assert figures[("Ugglan", "Hub bed occupancy (%)")] == "0.8"
    assert figures[("Ugglan", "Hub beds")] == "3"
