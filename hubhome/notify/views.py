"""The installable app's shell (manifest, service worker), the notification settings page
and its browser's push subscription (signed-in, CSRF-checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.errors import ValidationFailed
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.notify import services
from hubhome.notify.forms import PreferencesForm
from hubhome.notify.models import Via

bp = Blueprint("notify", __name__)

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
ICON_SIZES = (192, 512)


@bp.route("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: Hubhome installs as an app opening on the home page."""
    body = {
        "name": "Hubhome – stöd för familjehem",
        "short_name": "Familjestöd",
        "lang": "sv",
        "description": "Konstellationens kalender, bokningar, meddelanden och jour.",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f7a",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/hubhome-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/service-worker.js")
def service_worker() -> Response:
    """The service worker, from the root so its scope is the whole site."""
    body = (STATIC / "js" / "service-worker.js").read_text(encoding="utf-8")
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    """Choose a channel per kind of notification; turn on push in this browser."""
    chosen = services.preferences(db.session, current_user)
    form = PreferencesForm(data={kind.value: via.value for kind, via in chosen.items()})
    done = submit(form, lambda: services.set_preferences(db.session, current_user, form.chosen()))
    if done.saved:
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("notify.settings"))
    devices = services.subscriptions(db.session, current_user)
    vapid_key = current_app.config["HUBHOME"].vapid_public_key
    return render_template(
        "notify/settings.html",
        form=form,
        devices=len(devices),
        wants_push=Via.PUSH in chosen.values(),
        vapid_key=vapid_key,
    ), done.status


def _problem(error: ValidationFailed) -> tuple[dict[str, Any], int]:
    return {"title": error.message, "errors": error.errors}, 422


@bp.route("/settings/notifications/push", methods=["POST", "DELETE"])
@login_required
def push_subscription() -> Any:
    """The page's own door to the push subscription (the session and its CSRF token, where
    the API takes a bearer token)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("endpoint"), str):
        return {"title": _("Send the browser's push subscription.")}, 422
    if request.method == "DELETE":
        services.unsubscribe(db.session, current_user, data["endpoint"])
        return "", 204
    given = data.get("keys")
    keys: dict[str, Any] = given if isinstance(given, dict) else {}
    try:
        services.subscribe(
            db.session,
            current_user,
            endpoint=data["endpoint"],
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
        )
    except ValidationFailed as error:
        return _problem(error)
    return {"ok": True}, 201
