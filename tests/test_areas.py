"""Each area plugs in through its init_app; what it adds belongs to that application only."""

from __future__ import annotations

from hubhome.caseload.sources import caseload_sources
from hubhome.home.panels import home_panels
from hubhome.nav import menu
from hubhome.ops.retention import retention_rules
from hubhome.outcomes.sources import health_sources
from jobs.registry import all_jobs
from tests.conftest import make_test_app


def test_the_jobs_run_in_the_order_the_areas_add_them_outbox_first(app):
    assert [job.name for job in all_jobs()] == [
        "outbox",
        "respite_reminders",
        "respite_close_past_stays",
        "retention",
        "purge_sessions",
        "activity_reminders",
        "rota_materialise",
        "rota_gaps",
        "phone_spool_replay",
        "phone_reconciliation",
        "phone_follow_up_escalation",
        "phone_call_audit",
        "caseload_dues_digest",
        "ivo_report_ready",
        "outcome_snapshot",
    ]


def test_what_the_areas_add_to_each_other(app):
    assert [rule for rule, _fn in sorted(retention_rules.items())] == [
        "advice_contacts",
        "calls",
        "messages",
        "outbox_messages",
    ]
    modules = [fn.__module__ for fn in caseload_sources.items()]
    assert modules == [
        "hubhome.advice.contributions",
        "hubhome.phone.contributions",
        "hubhome.visits.contributions",
    ]
    assert [fn.__module__ for fn in health_sources.items()] == [
        "hubhome.activities.contributions",
        "hubhome.advice.contributions",
        "hubhome.phone.contributions",
    ]


def test_a_second_application_adds_nothing_to_the_first(app, db_url):
    entries, panels = len(menu.items(app)), len(home_panels.items(app))
    other = make_test_app(db_url)
    assert len(menu.items(other)) == entries and len(home_panels.items(other)) == panels
    assert len(menu.items(app)) == entries
    assert len({item.endpoint for item in menu.items(app)}) == entries
