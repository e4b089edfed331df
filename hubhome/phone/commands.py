"""`hubhome phone …`: the static fallback TwiML, the spool's replay, and the phone pool."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import Flask, abort, current_app, request
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hubhome.extensions import db

phone_cli = AppGroup("phone", help="The 24/7 line: static fallback TwiML, the spool.")

# What the phone pool serves: Twilio's webhooks, the health check, static files.
PHONE_POOL_BLUEPRINTS = {"phone_hooks", "notify_hooks"}  # the latter: SMS replies ("1")
PHONE_POOL_PATHS = ("/healthz", "/static/")


def fallback_file_name(number: str) -> str:
    """`+46 10-000 00 01` -> `46100000001.xml`."""
    return re.sub(r"\D", "", number) + ".xml"


@phone_cli.command("fallback-twiml")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for one <number>.xml per constellation line.",
)
def fallback_twiml(out: Path) -> None:
    """Write each constellation's fallback TwiML as a static file (no Hubhome needed).

    Serve the directory from the reverse proxy or any static host and set each number's
    "primary handler fails" URL in Twilio to its file. The file greets with the line's name,
    dials the organisation's duty number (else HUBHOME_FALLBACK_NUMBER), then records; the
    recording reaches Hubhome when it is back (or the reconciliation job fetches it).
    """
    from hubhome.network.models import Constellation
    from hubhome.phone import twiml

    settings = current_app.config["HUBHOME"]
    out.mkdir(parents=True, exist_ok=True)
    lines = db.session.scalars(
        select(Constellation)
        .options(joinedload(Constellation.organisation))
        .where(Constellation.phone_number.is_not(None))
        .order_by(Constellation.id)
    ).all()
    written = 0
    for constellation in lines:
        number = constellation.phone_number or ""
        response = twiml.fallback(
            line=number, name=constellation.name, number=constellation.organisation.duty_number
        )
        if not (constellation.organisation.duty_number or settings.fallback_number):
            click.echo(f"constellation {constellation.id}: no duty number to dial", err=True)
        target = out / fallback_file_name(number)
        target.write_text(str(response) + "\n")
        written += 1
    click.echo(f"{written} fallback files in {out}")


@phone_cli.command("replay-spool")
def replay_spool() -> None:
    """Post the webhooks kept in the spool during an outage to Hubhome again."""
    from hubhome.phone import spool

    result = spool.replay(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"replayed {result.done}, refused {result.failed}, waiting {result.waiting}")
    raise SystemExit(1 if result.waiting else 0)


@phone_cli.command("reconcile")
def reconcile() -> None:
    """Fetch from Twilio the calls and recordings Hubhome missed, and make them (once)."""
    from hubhome.phone.reconcile import reconcile_with_twilio
    from hubhome.transaction import unit_of_work

    with unit_of_work() as session:
        handled = reconcile_with_twilio(session)
    click.echo(f"{handled} calls reconciled")


def serve_phone_only(app: Flask) -> None:
    """Make this application the phone pool: Twilio's webhooks only (404 for pages)."""

    @app.before_request
    def phone_pool_only() -> None:
        if request.blueprint in PHONE_POOL_BLUEPRINTS or request.path.startswith(PHONE_POOL_PATHS):
            return
        abort(404)
