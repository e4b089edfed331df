"""Notifications: Web Push subscriptions, each person's preferences, the installable app's
manifest and service worker, and on-call acknowledgement by SMS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from hubhome.notify.services import Notified


def notify(*args: Any, **kwargs: Any) -> Notified:
    """`hubhome.notify.services.notify`: tell a person by the channel they chose."""
    from hubhome.notify.services import notify as by_preference

    return by_preference(*args, **kwargs)


def init_app(app: Flask) -> None:
    """Plug in the app shell (manifest, service worker), the settings page, the push API, the
    SMS reply webhook, and the notice of a new message."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.messages.services import message_listeners
    from hubhome.notify import api as push_api
    from hubhome.notify import replies, views
    from hubhome.notify.commands import notify_cli
    from hubhome.notify.messages import message_posted

    app.register_blueprint(views.bp)
    nav.add(app, "notify.settings", _l("Notifications"), list(Role), order=90)
    app.register_blueprint(replies.bp)
    api.register(push_api.blp)
    app.cli.add_command(notify_cli)
    message_listeners.add(app, message_posted)  # a new message tells the others
