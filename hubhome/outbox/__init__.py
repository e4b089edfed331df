"""The outbox: messages that leave Hubhome, sent after the transaction that queued them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the outbox's API, the job that sends it and the rule that clears old messages."""
    from hubhome import api
    from hubhome.ops.retention import add_rule
    from hubhome.ops.schedule import add_job
    from hubhome.outbox.api import blp
    from hubhome.outbox.jobs import send_outbox
    from hubhome.outbox.retention import remove_old_messages

    api.register(blp)
    add_job(app, "outbox", send_outbox, "interval", seconds=5)
    add_rule(app, "outbox_messages", remove_old_messages)
