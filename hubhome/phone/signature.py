"""Twilio request signatures, checked against the configured public URL.

A proxy in front of Hubhome may change scheme, host and port, so the URL Twilio signed is
rebuilt from `HUBHOME_PUBLIC_URL` plus the path and query string, never from the request's
own host. The secondary token lets the auth token be rotated without dropping calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator

from config import Settings


def public_url(path: str) -> str:
    """Return the absolute URL Twilio uses for a path on Hubhome."""
    settings: Settings = current_app.config["HUBHOME"]
    return settings.public_url.rstrip("/") + path


def signed_url() -> str:
    """The URL of the current request as Twilio requested it."""
    query = request.query_string.decode()
    return public_url(request.path + (f"?{query}" if query else ""))


def has_valid_signature() -> bool:
    settings: Settings = current_app.config["HUBHOME"]
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    url = signed_url()
    for token in (settings.twilio_auth_token, settings.twilio_auth_token_secondary):
        if token and RequestValidator(token).validate(url, request.form, signature):
            return True
    return False


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403, before anything is read or written) a request Twilio did not sign."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not has_valid_signature():
            abort(403)
        return view(*args, **kwargs)

    return wrapper
