"""Codes reach people in words: job names, audit actions, message purposes and statuses."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

from hubhome.display.codes import AUDIT_ACTIONS, JOBS, MESSAGE_PURPOSES, MESSAGE_STATUSES
from hubhome.extensions import db
from hubhome.ops.models import JobRun
from hubhome.ops.schedule import scheduled_jobs
from hubhome.outbox.models import OutboxStatus
from hubhome.timeutil import utcnow
from tests.respite_helpers import children_of
from tests.test_display_dates import VisibleTextOf

HUBHOME = Path(__file__).resolve().parent.parent / "hubhome"
AUDIT_CALLS = {"record", "record_many", "record_regardless"}
MESSAGE_CALLS = {"enqueue_sms", "_send", "_tell", "_notify"}


def _literal_arguments(calls: set[str]) -> set[str]:
    """Every dotted string literal passed to one of `calls` anywhere in hubhome/."""
    found = set()
    for path in HUBHOME.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            name = name or getattr(node.func, "id", "")
            if name in calls:
                found |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str) and "." in a.value
                }
    return found


def test_every_audit_action_in_the_sources_has_words():
    actions = _literal_arguments(AUDIT_CALLS)
    assert len(actions) > 50
    assert sorted(actions - set(AUDIT_ACTIONS)) == []


def test_every_scheduled_job_and_message_status_has_words(app):
    assert sorted({job.name for job in scheduled_jobs.items(app)} - set(JOBS)) == []
    assert sorted({str(s) for s in OutboxStatus} - set(MESSAGE_STATUSES)) == []
    purposes = _literal_arguments(MESSAGE_CALLS)
    assert sorted(p for p in purposes - set(MESSAGE_PURPOSES) if "{" not in p) == []


def test_the_jobs_page_names_jobs_in_swedish_with_next_runs_and_no_idle_flood(
    client, login_as, demo
):
    now = utcnow()
    for i in range(40):
        db.session.add(
            JobRun(job="outbox", started_at=now - timedelta(seconds=5 * i), outcome="ok", rows=0)
        )
    db.session.add(
        JobRun(job="retention", started_at=now - timedelta(hours=1), outcome="ok", rows=3)
    )
    db.session.commit()
    login_as("admin")
    text = VisibleTextOf(client.get("/admin/jobs").get_data(as_text=True))
    assert "Skicka meddelanden" in text and "Gallring (radering av gamla uppgifter)" in text
    assert "var 5:e sekund" in text
    assert "Nästa körning" in text
    for raw in ("outbox", "phone_call_audit", "rota_gaps"):
        assert raw not in text
    recent = text.split("Senaste körningar")[1]
    assert recent.count("Skicka meddelanden") == 0  # idle runs hidden
    assert recent.count("Gallring") == 1
    everything = VisibleTextOf(client.get("/admin/jobs?idle=1").get_data(as_text=True))
    assert everything.split("Senaste körningar")[1].count("Skicka meddelanden") == 40


def test_the_audit_log_and_outbox_show_actions_purposes_and_statuses_in_words(
    client, login_as, demo
):
    login_as("admin")
    child_id = children_of(demo.user("familj1"))[0]
    assert client.get(f"/children/{child_id}").status_code == 200
    audit = VisibleTextOf(client.get("/admin/audit").get_data(as_text=True))
    assert "Inloggad" in audit and "Barnets uppgifter lästa" in audit
    assert "auth.login" not in audit and "child.view" not in audit
    assert "Barn " in audit and "children" not in audit
    assert "webb" in audit
    outbox = VisibleTextOf(client.get("/admin/outbox").get_data(as_text=True))
    for raw in ("sent", "pending", "respite.approved", "phone.follow_up"):
        assert f" {raw} " not in f" {outbox} "
