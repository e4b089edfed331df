"""Generate a country's worth of synthetic Hubhome data on PostgreSQL, repeatably from a seed.

Scale (full): 290 organisations, 2,000 constellations, 15,000 households, 25,000 children
with placement histories. `--quick` divides everything by ten. Rows go in with bulk inserts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, insert, text

from bench.history import People, generate_history
from hubhome.accounts.passwords import hash_password
from hubhome.crypto import encrypt
from hubhome.extensions import db

TIMINGS: dict[str, float] = {}  # table -> seconds spent generating and inserting its rows
BENCH_PASSWORD = "bench-password-1"  # noqa: S105  (synthetic accounts on a scratch database)


@dataclass(frozen=True)
class Scale:
    organisations: int
    constellations: int
    households: int
    children: int
    social_workers: int = 3  # per organisation
    audit_events: int = 0  # generated in SQL, spread over the last three years

    @classmethod
    def full(cls) -> Scale:
        return cls(organisations=290, constellations=2000, households=15000, children=25000)

    @classmethod
    def quick(cls) -> Scale:
        return cls(organisations=29, constellations=200, households=1500, children=2500)

    @classmethod
    def org(cls) -> Scale:
        """The largest municipality: a tenth of the country in one organisation, whose
        social workers each carry about forty children, as in a large city."""
        return cls(
            organisations=1,
            constellations=200,
            households=1500,
            children=2500,
            social_workers=60,
            audit_events=3_000_000,
        )


@dataclass
class Generated:
    """Ids the load scenarios need: who to sign in as, and what to ask about."""

    organisation_ids: list[int]
    social_worker_emails: list[str]
    carer_emails: list[str]
    constellation_numbers: list[str]
    seconds: float
    # (carer e-mail, household id, constellation id, a placed child's id) per satellite family
    families: list[tuple[str, int, int, int]]
    bookings: int
    # (a carer's phone, their constellation's number): who calls which line
    callers: list[tuple[str, str]] = field(default_factory=list)
    shifts: int = 0
    admin_emails: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows generated
    # e-mail -> placed children (social workers) / constellations (liaisons) / all (admins)
    caseload_sizes: dict[str, int] = field(default_factory=dict)
    liaison_sizes: dict[str, int] = field(default_factory=dict)
    oncall_emails: list[str] = field(default_factory=list)
    hub_carers: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, line number)
    audit_events: int = 0


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _bulk(name: str, rows: Iterable[dict[str, Any]], chunk: int = 5000) -> int:
    """executemany of Core inserts, `chunk` rows at a time; returns the number of rows."""
    batch: list[dict[str, Any]] = []
    count = 0
    started = time.perf_counter()
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            db.session.execute(insert(_table(name)), batch)
            count += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(_table(name)), batch)
        count += len(batch)
    TIMINGS[name] = TIMINGS.get(name, 0.0) + time.perf_counter() - started
    return count


def generate(scale: Scale, seed: int = 1) -> Generated:
    """Fill an empty, migrated database; return handles for the load scenarios."""
    from hubhome.timeutil import utcnow

    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  (synthetic data)
    now = utcnow()
    today = date(2026, 11, 23)
    password_hash = hash_password(BENCH_PASSWORD)

    orgs: list[dict[str, Any]] = [
        {
            "id": i + 1,
            "name": f"Kommun {i + 1:03d}",
            "duty_number": f"+4610{i + 1:07d}",
            "created_at": now,
        }
        for i in range(scale.organisations)
    ]
    _bulk("organisations", orgs)

    per_constellation = scale.households // scale.constellations  # hub + satellites
    households: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    constellations: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    user_id = 0
    social_workers: dict[int, list[int]] = {}
    oncall_of: dict[int, int] = {}
    sw_emails, carer_emails, admin_emails, oncall_emails = [], [], [], []
    hub_carers: list[tuple[str, str]] = []
    for org in orgs:
        for role in ("admin", *["social_worker"] * scale.social_workers, "oncall_staff"):
            user_id += 1
            email = f"{role}{user_id}@bench.hubhome.test"
            users.append(
                {
                    "id": user_id,
                    "organisation_id": org["id"],
                    "email": email,
                    "name": f"{role} {user_id}",
                    "phone": f"+4670{user_id:07d}",
                    "password_hash": password_hash,
                    "role": role,
                    "locale": "sv",
                    "active": True,
                    "household_id": None,
                    "created_at": now,
                }
            )
            if role == "social_worker":
                social_workers.setdefault(org["id"], []).append(user_id)
                sw_emails.append(email)
            if role == "oncall_staff":
                oncall_of[org["id"]] = user_id
                oncall_emails.append(email)
            if role == "admin":
                admin_emails.append(email)

    household_id = 0
    for c in range(scale.constellations):
        org_id = orgs[c % len(orgs)]["id"]
        hub_id = household_id + 1
        for k in range(per_constellation):
            household_id += 1
            households.append(
                {
                    "id": household_id,
                    "organisation_id": org_id,
                    "name": f"Familjen {household_id}",
                    "kind": "hub" if k == 0 else "satellite",
                    "street": f"Gatan {household_id}",
                    "postcode": "123 45",
                    "city": "Staden",
                    "phone": None,
                    "respite_beds": 2 if k == 0 else 0,
                    "registered_on": today - timedelta(days=rng.randint(100, 4000)),
                    "deregistered_on": None,
                    "created_at": now,
                }
            )
            if k > 0:
                memberships.append(
                    {
                        "constellation_id": c + 1,
                        "household_id": household_id,
                        "joined_on": today - timedelta(days=rng.randint(30, 2000)),
                        "left_on": None,
                    }
                )
            user_id += 1
            email = f"carer{user_id}@bench.hubhome.test"
            users.append(
                {
                    "id": user_id,
                    "organisation_id": org_id,
                    "email": email,
                    "name": f"Carer {user_id}",
                    "phone": f"+4670{user_id:07d}",
                    "password_hash": password_hash,
                    "role": "hub_carer" if k == 0 else "foster_carer",
                    "locale": "sv",
                    "active": True,
                    "household_id": household_id,
                    "created_at": now,
                }
            )
            if k > 0:
                carer_emails.append(email)
            else:
                hub_carers.append((email, f"+4611{c + 1:07d}"))
        constellations.append(
            {
                "id": c + 1,
                "organisation_id": org_id,
                "name": f"Konstellation {c + 1}",
                "hub_household_id": hub_id,
                "liaison_id": rng.choice(social_workers[org_id]),
                "phone_number": f"+4611{c + 1:07d}",
                "created_at": now,
            }
        )
    _bulk("households", households)
    _bulk("users", users)
    _bulk("constellations", constellations)
    _bulk("constellation_memberships", memberships)

    satellites = [h for h in households if h["kind"] == "satellite"]
    children: list[dict[str, Any]] = []
    placements: list[dict[str, Any]] = []
    placement_id = 0
    for child_id in range(1, scale.children + 1):
        home = satellites[child_id % len(satellites)]
        birth = today - timedelta(days=rng.randint(365, 17 * 365))
        children.append(
            {
                "id": child_id,
                "organisation_id": home["organisation_id"],
                "first_name": f"Barn{child_id}",
                "last_name": "Bench",
                "birth_date": birth,
                "gender": rng.choice(["girl", "boy"]),
                "personnummer": encrypt(f"{birth:%Y%m%d}{rng.randint(0, 9999):04d}"),
                "protected_identity": rng.random() < 0.02,
                "created_at": now,
            }
        )
        social_worker = rng.choice(social_workers[home["organisation_id"]])
        start = max(birth, today - timedelta(days=rng.randint(30, 3000)))
        if rng.random() < 0.3:  # an earlier placement that ended
            earlier = satellites[(child_id * 7) % len(satellites)]
            placement_id += 1
            first_start = max(birth, start - timedelta(days=rng.randint(200, 900)))
            placements.append(
                {
                    "id": placement_id,
                    "child_id": child_id,
                    "household_id": earlier["id"],
                    "social_worker_id": social_worker,
                    "start_date": first_start,
                    "end_date": start,
                    "ended_planned": rng.random() < 0.7,
                    "end_reason": None,
                    "created_at": now,
                }
            )
        placement_id += 1
        placements.append(
            {
                "id": placement_id,
                "child_id": child_id,
                "household_id": home["id"],
                "social_worker_id": social_worker,
                "start_date": start,
                "end_date": None,
                "ended_planned": None,
                "end_reason": None,
                "created_at": now,
            }
        )
    _bulk("children", children)
    _bulk("placements", placements)
    constellation_of = {m["household_id"]: m["constellation_id"] for m in memberships}
    hub_of = {c["id"]: c["hub_household_id"] for c in constellations}
    first_child: dict[int, int] = {}
    for p in placements:
        if p["end_date"] is None:
            first_child.setdefault(p["household_id"], p["child_id"])
    carer_of = {u["household_id"]: u for u in users if u.get("household_id")}
    families = [
        (carer_of[h["id"]]["email"], h["id"], constellation_of[h["id"]], first_child[h["id"]])
        for h in satellites
        if h["id"] in first_child
    ]
    bookings = _respite_history(rng, families, hub_of, carer_of, today, now)
    shifts = _rota_history(constellations, carer_of, oncall_of, today, now)
    number_of = {c["id"]: c["phone_number"] for c in constellations}
    callers = [(carer_of[h]["phone"], number_of[c]) for _e, h, c, _child in families[:2000]]
    satellites_of: dict[int, list[int]] = {}
    for m in memberships:
        satellites_of.setdefault(m["constellation_id"], []).append(m["household_id"])
    org_of_child = {c["id"]: c["organisation_id"] for c in children}
    people = People(
        constellations=constellations,
        satellites_of=satellites_of,
        carer_of=carer_of,
        oncall_of=oncall_of,
        liaison_of={c["id"]: c["liaison_id"] for c in constellations},
        placements=[{**p, "organisation_id": org_of_child[p["child_id"]]} for p in placements],
    )
    rows = {
        "organisations": len(orgs),
        "users": len(users),
        "households": len(households),
        "constellations": len(constellations),
        "children": len(children),
        "placements": len(placements),
        "respite_bookings": bookings,
        "on_call_shifts": shifts,
    }
    rows |= generate_history(rng, people, _bulk, today, now)
    email_of = {u["id"]: u["email"] for u in users}
    caseload_sizes = dict.fromkeys(sw_emails, 0)
    for placement in placements:
        if placement["end_date"] is None:
            caseload_sizes[str(email_of[placement["social_worker_id"]])] += 1
    liaison_sizes = dict.fromkeys(sw_emails, 0)
    for constellation in constellations:
        liaison_sizes[str(email_of[constellation["liaison_id"]])] += 1
    audit_events = 0
    if scale.audit_events and db.engine.dialect.name == "postgresql":
        audit_events = _audit_history(scale.audit_events, len(users), scale.children)
    rows["audit_events"] = audit_events
    if db.engine.dialect.name == "postgresql":  # SQLite (the tests) takes the next id itself
        _reset_sequences()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        _analyze()
    return Generated(
        organisation_ids=[o["id"] for o in orgs],
        social_worker_emails=sw_emails,
        carer_emails=carer_emails,
        constellation_numbers=[c["phone_number"] for c in constellations],
        seconds=time.perf_counter() - started,
        families=families,
        bookings=bookings,
        callers=callers,
        shifts=shifts,
        admin_emails=admin_emails,
        rows=rows,
        caseload_sizes=caseload_sizes,
        liaison_sizes=liaison_sizes,
        oncall_emails=oncall_emails,
        hub_carers=hub_carers,
        audit_events=audit_events,
    )


def _rota_history(
    constellations: list[dict[str, Any]],
    carer_of: dict[int, dict[str, Any]],
    oncall_of: dict[int, int],
    today: date,
    now: Any,
) -> int:
    """Two years of rota: a day rota per constellation, a night rota per organisation."""
    from bench.phone import rota_rows

    hubs = {
        c["id"]: (c["organisation_id"], carer_of[c["hub_household_id"]]["id"])
        for c in constellations
    }
    rotas, slots, shifts = rota_rows(hubs, oncall_of, today, now)
    _bulk("rotas", rotas)
    _bulk("rota_slots", slots)
    count = 0

    def counted() -> Any:
        nonlocal count
        for row in shifts:
            count += 1
            yield row

    _bulk("on_call_shifts", counted())
    return count


def _respite_history(
    rng: random.Random,
    families: list[tuple[str, int, int, int]],
    hub_of: dict[int, int],
    carer_of: dict[int, dict[str, Any]],
    today: date,
    now: Any,
) -> int:
    """Ten years of past stays: about six a year per family, one child, one to three nights."""
    start = today - timedelta(days=3650)
    booking_id = 0

    def rows() -> Any:
        nonlocal booking_id
        for _email, household_id, constellation_id, child_id in families:
            day = start + timedelta(days=rng.randint(0, 60))
            while day < today - timedelta(days=3):
                booking_id += 1
                nights = rng.randint(1, 3)
                yield {
                    "id": booking_id,
                    "constellation_id": constellation_id,
                    "hub_household_id": hub_of[constellation_id],
                    "household_id": household_id,
                    "check_in": day,
                    "check_out": day + timedelta(days=nights),
                    "kind": "emergency" if rng.random() < 0.15 else "planned",
                    "status": "completed",
                    "note": None,
                    "requested_by_id": carer_of[household_id]["id"],
                    "idempotency_key": None,
                    "decided_by_id": None,
                    "decided_at": None,
                    "reason": None,
                    "created_at": now,
                    "updated_at": now,
                    "_child": child_id,
                }
                day += timedelta(days=rng.randint(30, 90))

    batch: list[dict[str, Any]] = []
    for row in rows():
        batch.append(row)
        if len(batch) >= 5000:
            _insert_bookings(batch)
            batch = []
    if batch:
        _insert_bookings(batch)
    return booking_id


def _insert_bookings(batch: list[dict[str, Any]]) -> None:
    children = [{"booking_id": r["id"], "child_id": r.pop("_child")} for r in batch]
    db.session.execute(insert(_table("respite_bookings")), batch)
    db.session.execute(insert(_table("respite_booking_children")), children)


AUDIT_ACTIONS = (
    "children.view",
    "phone.context_view",
    "caseload.view",
    "households.view",
    "respite.booking_requested",
    "auth.login",
    "advice.view",
    "decisions.view",
)


def _audit_history(count: int, users: int, children: int) -> int:
    """`count` audit events of the first organisation over three years, made by the server
    (`generate_series`): reads of children by staff, mostly, as the real log is."""
    actions = ", ".join(f"'{a}'" for a in AUDIT_ACTIONS)
    db.session.execute(
        text(
            "INSERT INTO audit_events (at, organisation_id, actor_id, actor_role, action, "
            "object_type, object_id, child_id, channel) "
            "SELECT now() - make_interval(secs => g * (94608000.0 / :count)), 1, "
            "1 + (g * 7919) % :users, 'social_worker', "
            f"(ARRAY[{actions}])[1 + (g * 31) % {len(AUDIT_ACTIONS)}], 'children', "
            "1 + (g * 104729) % :children, 1 + (g * 104729) % :children, 'web' "
            "FROM generate_series(1::bigint, :count) AS g"  # g * 104729 outgrows int4
        ),
        {"count": count, "users": users, "children": children},
    )
    return count


def _reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the ids inserted explicitly."""
    from sqlalchemy import text

    for table in (
        "organisations",
        "households",
        "users",
        "constellations",
        "children",
        "placements",
        "rotas",
        "rota_slots",
        "on_call_shifts",
        "respite_bookings",
        "calls",
        "call_legs",
        "phone_follow_ups",
        "advice_contacts",
        "activities",
        "activity_answers",
        "follow_up_visits",
        "placement_reviews",
        "intervention_decisions",
    ):
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def _analyze() -> None:
    """VACUUM ANALYZE, as autovacuum eventually would: fresh statistics and visibility maps,
    so the planner sees the real sizes and no vacuum starts in the middle of a measurement.
    Then CHECKPOINT: the gigabytes just written would otherwise be flushed to disk by a
    checkpoint running during the measurements, slowing every commit (the booking scenario's
    p50 went from 13 to 19 ms between two otherwise equal runs)."""
    from sqlalchemy import text

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        conn.execute(text("CHECKPOINT"))
