"""The everyday history the benchmark needs besides respite and rota, generated in bulk.

Two years of calls to the constellation lines (each with its dialled legs, and a follow-up
for the voicemails and missed calls), advice contacts (about half logged from a call),
constellation activities with the households' answers, and the social workers' follow-up:
visits, placement reviews and intervention decisions. Every row is drawn from the seeded
`random.Random` it is given, so a seed gives the same database.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from hubhome.timeutil import local_to_utc

DAYS = 730  # two years back from today
TOPICS = ("behaviour", "school", "health", "birth_family", "placement_concern", "practical")
Bulk = Callable[[str, Iterator[dict[str, Any]]], int]


@dataclass(frozen=True)
class People:
    """Who is who, by id, as the main generator made them."""

    constellations: list[dict[str, Any]]
    satellites_of: dict[int, list[int]]  # constellation id -> satellite household ids
    carer_of: dict[int, dict[str, Any]]  # household id -> its carer's user row
    oncall_of: dict[int, int]  # organisation id -> on-call staff user id
    liaison_of: dict[int, int]  # constellation id -> liaison social worker
    placements: list[dict[str, Any]]


def generate_history(
    rng: random.Random, people: People, bulk: Bulk, today: date, now: datetime
) -> dict[str, int]:
    """Insert every kind of history; return how many rows of each went in."""
    counts = {}
    calls, legs, follow_ups, advice = _calls_and_advice(rng, people, today)
    counts["calls"] = bulk("calls", iter(calls))
    counts["call_legs"] = bulk("call_legs", iter(legs))
    counts["phone_follow_ups"] = bulk("phone_follow_ups", iter(follow_ups))
    counts["advice_contacts"] = bulk("advice_contacts", iter(advice))
    activities, answers = _activities(rng, people, today, now)
    counts["activities"] = bulk("activities", iter(activities))
    counts["activity_answers"] = bulk("activity_answers", iter(answers))
    visits, reviews, decisions = _follow_up(rng, people, today, now)
    counts["follow_up_visits"] = bulk("follow_up_visits", iter(visits))
    counts["placement_reviews"] = bulk("placement_reviews", iter(reviews))
    counts["intervention_decisions"] = bulk("intervention_decisions", iter(decisions))
    return counts


def _at(day: date, rng: random.Random) -> datetime:
    return local_to_utc(day, time(rng.randint(0, 23), rng.randint(0, 59)))


def _calls_and_advice(
    rng: random.Random, people: People, today: date
) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """About two calls a week to each constellation line; one in eight goes unanswered."""
    calls: list[dict] = []
    legs: list[dict] = []
    follow_ups: list[dict] = []
    advice: list[dict] = []
    for c in people.constellations:
        satellites = people.satellites_of.get(c["id"], [])
        if not satellites:
            continue
        hub_carer = people.carer_of[c["hub_household_id"]]
        oncall = people.oncall_of[c["organisation_id"]]
        day = today - timedelta(days=DAYS) + timedelta(days=rng.randint(0, 5))
        while day < today:
            household = rng.choice(satellites)
            caller = people.carer_of[household]
            started = _at(day, rng)
            night = started.hour < 7 or started.hour >= 19  # UTC, roughly 20–08 in Stockholm
            first = oncall if night else hub_carer["id"]
            chain: list[dict[str, Any]] = [
                {"number": f"+4670{first:07d}", "label": "Jour", "user_id": first, "level": 1},
                {
                    "number": f"+4670{oncall:07d}",
                    "label": "Nattjour",
                    "user_id": oncall,
                    "level": 2,
                },
            ]
            call_id = len(calls) + 1
            fate = rng.random()
            answered_at_step = 0 if fate < 0.75 else 1 if fate < 0.875 else None
            steps = 2 if answered_at_step is None else answered_at_step + 1
            for step in range(steps):
                accepted = step == answered_at_step
                legs.append(
                    {
                        "id": len(legs) + 1,
                        "call_id": call_id,
                        "step": step,
                        "user_id": chain[step]["user_id"],
                        "number": chain[step]["number"],
                        "outcome": "accepted" if accepted else "no-answer",
                        "dial_call_sid": f"CAL{call_id:09d}{step}",
                        "started_at": started + timedelta(seconds=20 * step),
                        "ended_at": started + timedelta(seconds=20 * step + 20),
                    }
                )
            duration = rng.randint(60, 1800) if answered_at_step is not None else None
            status = (
                "completed" if answered_at_step is not None else rng.choice(["voicemail", "missed"])
            )
            accepted_by = (
                chain[answered_at_step]["user_id"] if answered_at_step is not None else None
            )
            calls.append(
                {
                    "id": call_id,
                    "call_sid": f"CAH{call_id:09d}",
                    "organisation_id": c["organisation_id"],
                    "constellation_id": c["id"],
                    "household_id": household,
                    "caller_id": caller["id"],
                    "from_number": caller["phone"],
                    "to_number": c["phone_number"],
                    "chain": chain,
                    "coverage_gap": False,
                    "status": status,
                    "twilio_status": "completed",
                    "accepted_by_id": accepted_by,
                    "accepted_at": started + timedelta(seconds=10) if accepted_by else None,
                    "started_at": started,
                    "ended_at": started + timedelta(seconds=(duration or 45)),
                    "duration_seconds": duration,
                    "note": None,
                }
            )
            if status != "completed":
                handled = started + timedelta(hours=rng.randint(1, 20))
                follow_ups.append(
                    {
                        "id": len(follow_ups) + 1,
                        "call_id": call_id,
                        "organisation_id": c["organisation_id"],
                        "constellation_id": c["id"],
                        "kind": "voicemail" if status == "voicemail" else "missed_call",
                        "recording_sid": f"RE{call_id:09d}" if status == "voicemail" else None,
                        "recording_url": None,
                        "recording_seconds": rng.randint(5, 90) if status == "voicemail" else None,
                        "created_at": started,
                        "escalation_level": 0,
                        "handled_at": handled if handled < _at(today, rng) else None,
                        "handled_by_id": hub_carer["id"],
                        "handled_note": None,
                    }
                )
            day += timedelta(days=rng.randint(1, 6))
            if accepted_by and rng.random() < 0.6:
                advice.append(
                    _advice(rng, len(advice) + 1, c, household, accepted_by, started, call_id)
                )
        # Advice given face to face or by text, without a call.
        for _ in range(DAYS // 14):
            when = _at(today - timedelta(days=rng.randint(1, DAYS)), rng)
            advice.append(
                _advice(
                    rng, len(advice) + 1, c, rng.choice(satellites), hub_carer["id"], when, None
                )
            )
    return calls, legs, follow_ups, advice


def _advice(
    rng: random.Random,
    advice_id: int,
    constellation: dict[str, Any],
    household: int,
    logged_by: int,
    when: datetime,
    call_id: int | None,
) -> dict[str, Any]:
    follow_up = rng.random() < 0.2
    return {
        "id": advice_id,
        "organisation_id": constellation["organisation_id"],
        "household_id": household,
        "constellation_id": constellation["id"],
        "logged_by_id": logged_by,
        "asked_by": "Familjehemsförälder",
        "channel": "phone" if call_id else rng.choice(["in_person", "sms", "video"]),
        "topic": rng.choice(TOPICS),
        "urgency": "urgent" if rng.random() < 0.1 else "normal",
        "summary": "Pratade igenom läget och kom överens om nästa steg.",
        "follow_up_on": (when + timedelta(days=7)).date() if follow_up else None,
        "follow_up_done_at": when + timedelta(days=6) if follow_up else None,
        "follow_up_done_by_id": logged_by if follow_up else None,
        "call_id": call_id,
        "created_at": when,
    }


def _activities(
    rng: random.Random, people: People, today: date, now: datetime
) -> tuple[list[dict], list[dict]]:
    """A monthly meeting and, every other month, a social event, over the past two years
    and the next three months; households answer, and past events record attendance."""
    activities: list[dict] = []
    answers: list[dict] = []
    for c in people.constellations:
        hub_carer = people.carer_of[c["hub_household_id"]]["id"]
        households = [c["hub_household_id"], *people.satellites_of.get(c["id"], [])]
        for month in range(-24, 4):
            first = date(today.year, today.month, 1)
            year, index = divmod(first.month - 1 + month, 12)
            day = date(first.year + year, index + 1, rng.randint(1, 28))
            kinds = ["meeting"] + (["social"] if month % 2 == 0 else [])
            for kind in kinds:
                starts = local_to_utc(day, time(18 if kind == "meeting" else 14))
                activity_id = len(activities) + 1
                activities.append(
                    {
                        "id": activity_id,
                        "constellation_id": c["id"],
                        "series_id": None,
                        "kind": kind,
                        "title": "Månadsträff" if kind == "meeting" else "Utflykt",
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=2),
                        "place": "Navhemmet",
                        "description": None,
                        "capacity": None,
                        "invite_all": True,
                        "status": "planned",
                        "version": 1,
                        "created_by_id": hub_carer,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                past = day < today
                for household in households:
                    if rng.random() < 0.3:
                        continue  # no answer
                    coming = rng.random() < 0.8
                    answers.append(
                        {
                            "id": len(answers) + 1,
                            "activity_id": activity_id,
                            "household_id": household,
                            "status": "coming" if coming else "not_coming",
                            "adults": rng.randint(1, 2) if coming else 0,
                            "children": rng.randint(0, 3) if coming else 0,
                            "needs": None,
                            "answered_by_id": people.carer_of[household]["id"],
                            "answered_at": starts - timedelta(days=rng.randint(1, 14)),
                            "attended": (coming and rng.random() < 0.9) if past else None,
                            "attendance_by_id": hub_carer if past else None,
                        }
                    )
    return activities, answers


def _follow_up(
    rng: random.Random, people: People, today: date, now: datetime
) -> tuple[list[dict], list[dict], list[dict]]:
    """Visits about every three months and reviews every six over the last two years of each
    placement; a foster-home decision per placement, and a few decisions still waiting."""
    visits: list[dict] = []
    reviews: list[dict] = []
    decisions: list[dict] = []
    horizon = today - timedelta(days=DAYS)
    for p in people.placements:
        end = p["end_date"] or today
        base = {
            "child_id": p["child_id"],
            "placement_id": p["id"],
            "recorded_by_id": p["social_worker_id"],
            "created_at": now,
            "organisation_id": p["organisation_id"],
        }
        day = max(p["start_date"], horizon) + timedelta(days=rng.randint(10, 100))
        while day < end:
            visits.append(
                {
                    **base,
                    "id": len(visits) + 1,
                    "visit_date": day,
                    "private_talk": rng.random() < 0.7,
                    "note": None,
                }
            )
            day += timedelta(days=rng.randint(60, 120))
        day = max(p["start_date"], horizon) + timedelta(days=rng.randint(100, 200))
        while day < end:
            reviews.append(
                {**base, "id": len(reviews) + 1, "review_date": day, "outcome": "Fortsätter."}
            )
            day += timedelta(days=rng.randint(150, 200))
        decided = p["start_date"] - timedelta(days=rng.randint(5, 60))
        decisions.append(
            {
                "id": len(decisions) + 1,
                "organisation_id": p["organisation_id"],
                "child_id": p["child_id"],
                "household_id": None,
                "kind": "foster_home",
                "decision_date": decided,
                "carried_out_on": p["start_date"],
                "closed_on": None,
                "closed_reason": None,
                "responsible_id": p["social_worker_id"],
                "delay_reason": None,
                "created_by_id": p["social_worker_id"],
                "created_at": now,
                "updated_at": now,
            }
        )
        if p["end_date"] is None and rng.random() < 0.05:  # respite decided, not yet given
            decisions.append(
                {
                    **decisions[-1],
                    "id": len(decisions) + 1,
                    "kind": "respite",
                    "decision_date": today - timedelta(days=rng.randint(10, 200)),
                    "carried_out_on": None,
                }
            )
    return visits, reviews, decisions
