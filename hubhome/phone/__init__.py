"""Telephone support: the 24/7 line's webhooks, the on-call pages, calls and follow-ups."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the phone: webhooks, pages, API, menu entry, home panel, calls in the monthly
    report, health figures, caseload notes, its retention rule and jobs."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.activities.report import call_counters
    from hubhome.caseload.sources import register_caseload_source
    from hubhome.home import panels
    from hubhome.ops.retention import add_rule
    from hubhome.ops.schedule import add_job
    from hubhome.outcomes.sources import register_health_source
    from hubhome.permissions import ROTA_VIEWERS
    from hubhome.phone.api import blp
    from hubhome.phone.commands import phone_cli
    from hubhome.phone.contributions import caseload_notes, count_calls, health_figures
    from hubhome.phone.jobs import audit_call_handling, escalate_follow_ups, replay_spool
    from hubhome.phone.panels import home_panel
    from hubhome.phone.reconcile import JOB, reconcile_with_twilio
    from hubhome.phone.retention import remove_expired_calls
    from hubhome.phone.views import bp
    from hubhome.phone.webhooks import bp as webhooks
    from hubhome.transaction import serve_machines

    app.register_blueprint(webhooks)
    serve_machines(app, webhooks.name)  # Twilio: no session, sign-in, CSRF or rate limit
    app.cli.add_command(phone_cli)
    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "phone.now", _l("Phone"), ROTA_VIEWERS, order=56)
    panels.register(app, "phone/_home_panel.html", ROTA_VIEWERS, home_panel, order=6)
    call_counters.add(app, count_calls)
    register_health_source(health_figures, app)
    register_caseload_source(caseload_notes, app)
    add_rule(app, "calls", remove_expired_calls)
    # What the line kept or missed during an outage, before anything is escalated.
    add_job(app, "phone_spool_replay", replay_spool, "interval", minutes=1)
    add_job(app, JOB, reconcile_with_twilio, "interval", minutes=10)
    add_job(app, "phone_follow_up_escalation", escalate_follow_ups, "interval", minutes=5)
    add_job(app, "phone_call_audit", audit_call_handling, "interval", minutes=5)
