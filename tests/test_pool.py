"""No `SELECT 1` before each request; a connection the server closed is replaced unseen."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from hubhome.extensions import db
from tests.conftest import bearer, is_postgres


def _statements(app: Any, client: Any, path: str, headers: dict[str, str]) -> list[str]:
    """Every statement sent on a connection while serving `path`, pings included."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert client.get(path, headers=headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent


def test_a_request_sends_no_ping_before_its_own_statements(app, demo, client):
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "pool_pre_ping" not in options and options["pool_recycle"] == 1800
    with app.app_context():
        assert db.engine.pool._pre_ping is False  # noqa: SLF001
    sent = _statements(app, client, "/api/v1/me", bearer(client, "admin"))
    assert sent and not any(s.strip().upper() in ("SELECT 1", ";") for s in sent)


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="the server closing connections")
def test_connections_the_server_closed_while_idle_are_replaced_without_an_error(other_app, demo):
    served = other_app()
    client = served.test_client()
    headers = bearer(client, "admin")
    for _warm in range(3):  # connections now sit idle in the pool
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    with served.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    others = "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with psycopg.connect(url, autocommit=True) as admin:  # not one of the pool's
        killed = admin.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity {others} AND state = 'idle'"
        ).fetchall()
        assert killed
        deadline = time.monotonic() + 10  # the backends end a moment after the signal
        while admin.execute(f"SELECT count(*) FROM pg_stat_activity {others}").fetchone()[0]:
            assert time.monotonic() < deadline, "the terminated backends did not end"
    for _after in range(5):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
