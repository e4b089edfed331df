"""The append-only audit log: who did or saw what, when, from where."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the audit log's API (its page is under administration)."""
    from hubhome import api
    from hubhome.audit.api import blp

    api.register(blp)
