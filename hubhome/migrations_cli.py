"""Flask-Migrate, imported only when a migration runs.

Flask-Migrate imports Alembic and Mako: 11 MB in every process that imports it, and a web
worker never migrates. `init_migrations(app)` puts a stand-in at `app.extensions["migrate"]`
and a `db` command group on `app.cli`; the first use of either (`hubhome db …`,
`flask_migrate.upgrade()`, Alembic's `env.py`) imports Flask-Migrate and initialises it for
real, exactly as `Migrate(app, db, directory)` would have at start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from flask import Flask, g
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from flask_sqlalchemy import SQLAlchemy


def init_migrations(app: Flask, db: SQLAlchemy, directory: str) -> None:
    """Register the migrations' configuration and the `db` commands without importing them."""
    loader = _Loader(app, db, directory)
    app.extensions["migrate"] = _DeferredConfig(loader)
    app.cli.add_command(_MigrationCommands(loader))


class _Loader:
    def __init__(self, app: Flask, db: SQLAlchemy, directory: str) -> None:
        self.app, self.db, self.directory = app, db, directory
        self.commands: click.Group | None = None

    def load(self) -> Any:
        """Initialise Flask-Migrate on the application (once); return its configuration."""
        if self.commands is None:
            from flask_migrate import Migrate
            from flask_migrate.cli import db as commands

            stand_in = self.app.cli.commands.get("db")
            Migrate().init_app(self.app, self.db, directory=self.directory)
            # Keep the stand-in on app.cli: it already carries the real group's commands.
            if stand_in is not None:
                self.app.cli.add_command(stand_in)
            self.commands = commands
        return self.app.extensions["migrate"]

    def group(self) -> click.Group:
        self.load()
        return self.commands or click.Group("db")


class _DeferredConfig:
    """What `app.extensions["migrate"]` holds until a migration first needs it."""

    def __init__(self, loader: _Loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader.load(), name)


class _MigrationCommands(click.Group):
    """Flask-Migrate's `db` group (`-d`/`-x` as there), its commands imported when asked."""

    def __init__(self, loader: _Loader) -> None:
        super().__init__(
            "db",
            help="Perform database migrations.",
            params=[
                click.Option(
                    ["-d", "--directory"],
                    default=None,
                    help='Migration script directory (default is "migrations")',
                ),
                click.Option(
                    ["-x", "--x-arg"],
                    multiple=True,
                    help="Additional arguments consumed by custom env.py scripts",
                ),
            ],
            callback=with_appcontext(_remember_arguments),
        )
        self._loader = loader

    def _load_commands(self) -> None:
        if not self.commands:
            self.commands = self._loader.group().commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_commands()
        return super().get_command(ctx, cmd_name)


def _remember_arguments(directory: str | None, x_arg: tuple[str, ...]) -> None:
    g.directory = directory
    g.x_arg = x_arg  # picked up by Migrate.get_config(), as Flask-Migrate's own group does
