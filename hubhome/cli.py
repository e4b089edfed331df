"""The `hubhome` command: demo, serve, jobs, create-user, and Flask's own (db, routes, shell)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from config import Settings

ROOT = Path(__file__).resolve().parent.parent


def _create_app() -> Flask:
    from hubhome import create_app

    return create_app()


DATA_LOSS_FLAG = "--i-understand-data-loss"


class HubhomeGroup(FlaskGroup):
    """Flask's command group, with `db downgrade` guarded in production."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if name == "db" and isinstance(command, click.Group):
            _guard_downgrade(ctx, command)
        return command


def _guard_downgrade(ctx: click.Context, group: click.Group) -> None:
    """Make `db downgrade` refuse in production unless given --i-understand-data-loss: a
    downgrade drops tables and columns with the records in them."""
    command = group.get_command(ctx, "downgrade")  # Flask-Migrate's, imported when asked
    if command is None or getattr(command, "hubhome_guarded", False) or command.callback is None:
        return
    original = command.callback

    def guarded(*args: Any, **kwargs: Any) -> Any:
        understood = kwargs.pop("i_understand_data_loss", False)
        if Settings.from_env().env == "production" and not understood:
            raise click.UsageError(
                "a downgrade deletes the data of the tables and columns it removes; take a "
                f"backup (hubhome backup --out FILE) and add {DATA_LOSS_FLAG} to go on"
            )
        return original(*args, **kwargs)

    command.params.append(
        click.Option(
            [DATA_LOSS_FLAG],
            is_flag=True,
            help="Required in production: the downgrade may delete data.",
        )
    )
    command.callback = guarded
    command.hubhome_guarded = True  # type: ignore[attr-defined]


@click.group(cls=HubhomeGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Hubhome: support for foster-care constellations."""


def _demo_settings(port: int = 5000) -> Settings:
    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    secret_file = instance / "demo-secret"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(48))
    env = dict(os.environ)
    env.setdefault("HUBHOME_DATABASE_URL", f"sqlite:///{instance / 'hubhome-demo.sqlite'}")
    env.setdefault("HUBHOME_SECRET_KEY", secret_file.read_text().strip())
    env.setdefault("HUBHOME_REQUIRE_MFA", "0")
    env.setdefault("HUBHOME_PHONE_SIMULATOR", "1")
    env.setdefault("HUBHOME_ENV", "demo")
    # The phone simulator signs its requests like Twilio: with these unless they are set.
    env.setdefault("TWILIO_AUTH_TOKEN", "demo-twilio-token-not-secret")
    env.setdefault("HUBHOME_PUBLIC_URL", f"http://127.0.0.1:{port}")
    from hubhome.notify.vapid import demo_keys  # Web Push works in the demo out of the box

    env = demo_keys(instance) | env
    return Settings.from_env(env)


@main.command("demo")
@click.option("--port", default=5000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--no-serve", is_flag=True, help="Migrate and seed, then exit.")
def demo(port: int, no_serve: bool) -> None:
    """Create, migrate and seed the demo database, then serve it on 127.0.0.1."""
    from flask_migrate import upgrade

    from hubhome import create_app
    from hubhome.demo.seed import ACCOUNTS, DEMO_PASSWORD, seed_demo
    from hubhome.privacy.demo import seed_reads
    from hubhome.transaction import unit_of_work

    settings = _demo_settings(port)
    app = create_app(settings, PUBLIC_URL=f"http://127.0.0.1:{port}")
    with app.app_context():
        upgrade()
        with unit_of_work() as session:
            seeded = seed_demo(session)
            if seeded:  # last month's reads, for the access review (not in the tests' seed)
                seed_reads(session)
    click.echo("Hubhome demo " + ("seeded." if seeded else "already seeded; nothing added."))
    click.echo(f"Open http://127.0.0.1:{port}/ and sign in with password {DEMO_PASSWORD!r}:")
    for account in ACCOUNTS:
        click.echo(f"  {account.email:40} {account.role}")
    if no_serve:
        return
    from werkzeug.serving import run_simple

    from jobs.scheduler import start_in_background

    start_in_background(app)
    # app.run() refuses to serve from inside a Flask CLI command; run_simple is what it wraps.
    run_simple("127.0.0.1", port, app, use_reloader=False, use_debugger=False, threaded=True)


# The access log names the path, never the query string (it may carry a line's number).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


@main.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option(
    "--phone",
    is_flag=True,
    help="Serve only Twilio's webhooks (/phone/voice…, /phone/sms…): the phone pool.",
)
def serve(bind: str, workers: int, phone: bool) -> None:
    """Serve Hubhome with gunicorn (production); `--phone` for the phone pool."""
    from gunicorn.app.base import BaseApplication

    class HubhomeServer(BaseApplication):
        def __init__(self, options: dict[str, Any]):
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            app = _create_app()
            if phone:
                from hubhome.phone.commands import serve_phone_only

                serve_phone_only(app)
            return app

    from hubhome.gunicorn_hooks import post_worker_init

    options: dict[str, Any] = {
        "bind": bind,
        "workers": workers,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "post_worker_init": post_worker_init,
    }
    if phone:
        # A webhook answers within HUBHOME_PHONE_DEADLINE_SECONDS; a worker stuck past
        # this is killed and replaced long before Twilio's 15 s are up twice. The server
        # ends a webhook's statement after 3 s unless told otherwise.
        os.environ.setdefault("HUBHOME_DB_STATEMENT_TIMEOUT_MS", "3000")
        options |= {"timeout": 10, "proc_name": "hubhome-phone"}
    HubhomeServer(options).run()


@main.command("jobs")
@click.option("--once", is_flag=True, help="Run every due job once, then exit (cron, tests).")
def jobs(once: bool) -> None:
    """Run the scheduler process (a single runner, held by a database lock)."""
    from jobs.scheduler import run_scheduler

    sys.exit(run_scheduler(_create_app(), once=once))


@main.command("backup")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write (PostgreSQL: pg_dump's custom format).",
)
def backup_command(out: Path) -> None:
    """Back up the database to a file (pg_dump --format=custom)."""
    from hubhome.ops.backup import backup

    _with_database(backup, out)
    click.echo(f"Backup written to {out} ({out.stat().st_size} bytes).")


def _with_database(action: Any, path: Path) -> None:
    """Run a backup tool on the configured database; its refusal is the command's error."""
    from hubhome.ops.backup import BackupError

    try:
        action(Settings.from_env().database_url or "sqlite:///hubhome.sqlite", path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(backup_file: Path) -> None:
    """Restore a backup into the (empty) database named by HUBHOME_DATABASE_URL."""
    from hubhome.ops.backup import restore

    _with_database(restore, backup_file)
    click.echo(f"Restored {backup_file}.")


@main.command("watchdog")
@with_appcontext
def watchdog() -> None:
    """Text the admins if the scheduler has stopped (for cron, beside `hubhome jobs`).

    Exits 1 when the scheduler's heartbeat is older than five minutes.
    """
    from hubhome.ops.health import alert_if_scheduler_stale, scheduler_stale
    from hubhome.transaction import unit_of_work

    with unit_of_work() as session:
        alert_if_scheduler_stale(session)
        stale = scheduler_stale(session)
    if stale:
        click.echo("The scheduler has stopped; the admins have been told.", err=True)
    sys.exit(1 if stale else 0)


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "social_worker", "hub_carer", "foster_carer", "oncall_staff"]),
)
@click.option("--organisation", "organisation_name", required=True, help="Organisation name.")
@click.option("--phone", default=None)
@click.option("--household-id", type=int, default=None)
@click.password_option()
@with_appcontext
def create_user_command(
    email: str,
    name: str,
    role: str,
    organisation_name: str,
    phone: str | None,
    household_id: int | None,
    password: str,
) -> None:
    """Create an account (the organisation is created if it does not exist)."""
    from sqlalchemy import select

    from hubhome.accounts.models import Role
    from hubhome.accounts.services import create_user
    from hubhome.audit.services import record
    from hubhome.errors import ValidationFailed
    from hubhome.network.models import Organisation
    from hubhome.transaction import unit_of_work

    with unit_of_work() as session:
        org = session.scalar(select(Organisation).where(Organisation.name == organisation_name))
        if org is None:
            org = Organisation(name=organisation_name)
            session.add(org)
            session.flush()
        try:
            user = create_user(
                session,
                organisation_id=org.id,
                email=email,
                name=name,
                role=Role(role),
                password=password,
                phone=phone,
                household_id=household_id,
            )
        except ValidationFailed as exc:
            for field, messages in exc.errors.items():
                click.echo(f"{field}: {' '.join(messages)}", err=True)
            sys.exit(2)  # leaves the unit of work: nothing is written
        session.flush()
        record(session, None, "user.create", user, organisation_id=org.id)
        user_id = user.id
    click.echo(f"Created user {user_id} ({role}).")


def register_app_commands(app: Flask) -> None:
    """Commands that need the app are on the group above; nothing to add to app.cli yet."""
