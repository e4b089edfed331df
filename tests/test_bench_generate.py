"""The benchmark's generated history is complete, consistent and repeatable from a seed."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from bench.generate import BENCH_PASSWORD, Scale, generate
from bench.history import People, generate_history
from hubhome.advice.models import AdviceContact
from hubhome.extensions import db
from hubhome.phone.models import Call, CallLeg, FollowUp

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, 0)


def _people() -> People:
    constellations = [
        {"id": c, "organisation_id": 1, "hub_household_id": c * 10, "phone_number": f"+461{c}"}
        for c in (1, 2)
    ]
    satellites = {1: [11, 12, 13], 2: [21, 22]}
    households = [10, 20, *satellites[1], *satellites[2]]
    carer_of = {h: {"id": 100 + h, "phone": f"+4670{h:07d}"} for h in households}
    placements = [
        {
            "id": i + 1,
            "child_id": i + 1,
            "household_id": h,
            "social_worker_id": 3,
            "start_date": date(2020, 1, 1),
            "end_date": None,
            "organisation_id": 1,
        }
        for i, h in enumerate([11, 12, 13, 21, 22])
    ]
    return People(constellations, satellites, carer_of, {1: 5}, {1: 3, 2: 3}, placements)


def _history(seed: int) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}

    def bulk(name: str, rows: Any) -> int:
        tables[name] = list(rows)
        return len(tables[name])

    generate_history(random.Random(seed), _people(), bulk, TODAY, NOW)  # noqa: S311
    return tables


def test_history_is_the_same_for_a_seed_and_differs_for_another():
    assert _history(7) == _history(7)
    assert _history(7)["calls"] != _history(8)["calls"]


def test_two_years_of_calls_with_legs_follow_ups_and_advice():
    tables = _history(1)
    calls = {c["id"]: c for c in tables["calls"]}
    assert len(calls) > 2 * 100  # about two a week for each of two lines over two years
    starts = [c["started_at"].date() for c in calls.values()]
    assert min(starts) < date(2024, 12, 1) and max(starts) <= TODAY
    legs = Counter(leg["call_id"] for leg in tables["call_legs"])
    assert set(legs) == set(calls)
    followed = {f["call_id"] for f in tables["phone_follow_ups"]}
    for call_id, call in calls.items():
        accepted = [
            leg
            for leg in tables["call_legs"]
            if leg["call_id"] == call_id and leg["outcome"] == "accepted"
        ]
        assert (call["status"] == "completed") == bool(accepted) == (call_id not in followed)
    from_calls = [a for a in tables["advice_contacts"] if a["call_id"]]
    assert from_calls and all(calls[a["call_id"]]["status"] == "completed" for a in from_calls)
    assert any(a["call_id"] is None for a in tables["advice_contacts"])


def test_activities_answers_and_follow_up_of_each_placement():
    tables = _history(1)
    activities = {a["id"]: a for a in tables["activities"]}
    assert {a["kind"] for a in activities.values()} == {"meeting", "social"}
    assert all(answer["activity_id"] in activities for answer in tables["activity_answers"])
    pairs = [(a["activity_id"], a["household_id"]) for a in tables["activity_answers"]]
    assert len(pairs) == len(set(pairs))  # one answer per household and event
    visited = Counter(v["placement_id"] for v in tables["follow_up_visits"])
    assert set(visited) == {1, 2, 3, 4, 5} and min(visited.values()) >= 4
    assert {d["child_id"] for d in tables["intervention_decisions"]} == {1, 2, 3, 4, 5}


def test_generate_fills_a_database_the_api_reads(app, client):
    generated = generate(Scale(organisations=2, constellations=4, households=20, children=30))
    assert generated.rows["calls"] == db.session.scalar(select(func.count()).select_from(Call))
    assert db.session.scalar(select(func.count()).select_from(CallLeg)) >= generated.rows["calls"]
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) > 0
    assert db.session.scalar(select(func.count()).select_from(AdviceContact)) > 0
    email = max(generated.caseload_sizes, key=lambda e: generated.caseload_sizes[e])
    token = client.post(
        "/api/v1/auth/token", json={"email": email, "password": BENCH_PASSWORD}
    ).json["token"]
    caseload = client.get("/api/v1/caseload", headers={"Authorization": f"Bearer {token}"})
    assert caseload.status_code == 200
    assert len(caseload.json["children"]) == generated.caseload_sizes[email]


def test_the_memory_bench_rebuilds_the_handles_from_the_database(app):
    from bench.memory import load_generated

    generated = generate(Scale(organisations=2, constellations=4, households=20, children=30))
    loaded = load_generated(str(db.engine.url.render_as_string(hide_password=False)))
    assert loaded.families == generated.families
    assert loaded.callers == generated.callers
    assert loaded.carer_emails == generated.carer_emails
    assert loaded.admin_emails == generated.admin_emails
    assert loaded.caseload_sizes == generated.caseload_sizes
    assert loaded.liaison_sizes == generated.liaison_sizes
