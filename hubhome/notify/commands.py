"""`hubhome notify …`: make the VAPID key pair Web Push needs."""

from __future__ import annotations

import click
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="Notifications: Web Push keys.")


@notify_cli.command("vapid-keys")
def vapid_keys() -> None:
    """Print a new VAPID key pair as environment lines (keep the private key secret; a new
    pair makes every browser subscribe again)."""
    from hubhome.notify.vapid import generate

    public, private = generate()
    click.echo(f"HUBHOME_VAPID_PUBLIC_KEY={public}")
    click.echo(f"HUBHOME_VAPID_PRIVATE_KEY={private}")
