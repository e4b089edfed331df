"""CPU instructions per respite booking, counted by valgrind: a measure the machine's noise
does not move.

    python -m bench.instructions [--db URL] [--requests 40]

On a shared 2-vCPU machine the same code measured a median booking of 13 ms and 19 ms an
hour apart, so wall-clock runs cannot tell a 10 % change from the weather. Callgrind counts
the instructions the Python process executes, the same however busy the machine is. The
process is run twice under `valgrind --tool=callgrind` against a database `python -m bench
--generate-only` filled: once making no bookings, once making `--requests` of them through
the test client (token check, validation, lock, availability, booking, audit, SMS, commit);
the difference divided by the requests is the cost of one booking in this process. The
database's own work runs in PostgreSQL's processes and is not counted. The bookings this
tool makes carry the note "bench.instructions" and are deleted when it next runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta

from bench.__main__ import DEFAULT_DB, ROOT, _server_env

WARM_UP = 10
NOTE = "bench.instructions"  # marks the bookings this tool makes


def _book(db_url: str, count: int) -> None:
    """Make WARM_UP + count one-night bookings, each by another family."""
    from sqlalchemy import text

    from config import Settings
    from hubhome import create_app
    from hubhome.accounts.models import User
    from hubhome.accounts.services import issue_api_token
    from hubhome.extensions import db

    app = create_app(Settings.from_env(_server_env(db_url, 0)), CHEAP_PASSWORD_HASHES=True)
    with app.app_context():
        session = db.session
        mine = "SELECT id FROM respite_bookings WHERE note = :note"
        session.execute(
            text(f"DELETE FROM respite_booking_children WHERE booking_id IN ({mine})"),  # noqa: S608
            {"note": NOTE},
        )
        session.execute(text("DELETE FROM respite_bookings WHERE note = :note"), {"note": NOTE})
        families = session.execute(
            text(
                """
                SELECT min(u.id), h.id, min(p.child_id)
                FROM users u
                JOIN households h ON h.id = u.household_id
                JOIN constellation_memberships m ON m.household_id = h.id AND m.left_on IS NULL
                JOIN constellations c ON c.id = m.constellation_id
                    AND c.hub_household_id <> h.id
                JOIN placements p ON p.household_id = h.id AND p.end_date IS NULL
                GROUP BY h.id ORDER BY h.id LIMIT :n
                """
            ),
            {"n": WARM_UP + count},
        ).all()
        tokens = [
            (issue_api_token(session, session.get_one(User, user_id)).token, household, child)
            for user_id, household, child in families
        ]
        session.commit()
    client = app.test_client()
    first_night = date.today() + timedelta(days=7)
    for i, (token, household, child) in enumerate(tokens):
        night = first_night + timedelta(days=i)
        response = client.post(
            "/api/v1/respite/bookings",
            json={
                "household_id": household,
                "child_ids": [child],
                "check_in": night.isoformat(),
                "check_out": (night + timedelta(days=1)).isoformat(),
                "kind": "planned",
                "note": NOTE,
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code != 201:
            raise SystemExit(f"booking {i} was refused: {response.get_json()}")


def _instructions(db_url: str, count: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--db",
        db_url,
        "--inner",
        str(count),
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    parser.add_argument("--db", default=os.environ.get("HUBHOME_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--inner", type=int, help=argparse.SUPPRESS)  # the run under valgrind
    args = parser.parse_args(argv)
    if args.inner is not None:
        _book(args.db, args.inner)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    baseline = _instructions(args.db, 0)
    loaded = _instructions(args.db, args.requests)
    per_booking = (loaded - baseline) / args.requests
    print(  # noqa: T201
        f"{per_booking / 1e6:.2f} million instructions per booking request "
        f"({args.requests} requests; {baseline:,} and {loaded:,} in all)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
