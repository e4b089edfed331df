"""The one seam through which Hubhome talks to Twilio's REST API.

Tests (and the phone simulator) replace the HTTP transport by putting a
`twilio.http.HttpClient` in `app.extensions["twilio_http_client"]`; business code
never knows.
"""

from __future__ import annotations

from flask import current_app
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from config import Settings


def twilio_client() -> Client:
    """Return a Twilio REST client configured from the settings."""
    settings: Settings = current_app.config["HUBHOME"]
    http_client = current_app.extensions.get("twilio_http_client") or TwilioHttpClient(timeout=10)
    return Client(
        settings.twilio_account_sid or "AC" + "0" * 32,
        settings.twilio_auth_token or "unset",
        http_client=http_client,
    )
