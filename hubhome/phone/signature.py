"""Twilio request signatures, checked against the configured public URL.

A proxy in front of Hubhome may change scheme, host and port, so the URL Twilio signed is
rebuilt from `HUBHOME_PUBLIC_URL` plus the path and query string, never from the request's
own host. The secondary token lets the auth token be rotated without dropping calls.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

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
    tokens = [t for t in (settings.twilio_auth_token, settings.twilio_auth_token_secondary) if t]
    if any(_signs(token, url, request.form, signature) for token in tokens):
        return True
    # Twilio's own check also accepts the URL with its default port added or removed
    return any(RequestValidator(token).validate(url, request.form, signature) for token in tokens)


def _signs(token: str, url: str, form: MultiDict[str, str], signature: str) -> bool:
    """Whether `signature` is Twilio's over exactly this URL and form: the computation of
    `RequestValidator.compute_signature`, once, where `validate` parses the URL and makes it
    for two variants (with and without the default port): one of them is this URL as
    `urlparse` writes it back, which for the URLs Hubhome builds is this URL itself."""
    payload = url + "".join(
        name + value for name in sorted(form) for value in sorted(set(form.getlist(name)))
    )
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature)


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403, before anything is read or written) a request Twilio did not sign."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not has_valid_signature():
            abort(403)
        return view(*args, **kwargs)

    return wrapper
