"""Meddelanden: group threads per constellation and direct threads between its people."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in messages: pages, API, menu entry and the retention rule."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.messages.api import blp
    from hubhome.messages.retention import remove_expired_messages
    from hubhome.messages.views import bp
    from hubhome.ops.retention import add_rule

    app.register_blueprint(bp)
    api.register(blp)
    # administrators are in no thread; theirs is the break-the-glass list (and "Messages" is
    # already their outbox's name)
    people = [role for role in Role if role != Role.ADMIN]
    nav.add(app, "messages.index", _l("Messages"), people, order=35)
    nav.add(app, "messages.organisation", _l("Conversations"), [Role.ADMIN], order=35)
    add_rule(app, "messages", remove_expired_messages)
