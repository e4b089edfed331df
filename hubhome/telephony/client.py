"""The one seam through which Hubhome talks to Twilio's REST API.

Only the HTTP transport under Twilio's SDK is ever replaced. In-process tests (and the phone
simulator) put a `twilio.http.HttpClient` in `app.extensions["twilio_http_client"]`;
otherwise the SDK's own transport is used, with an explicit timeout
(`HUBHOME_TWILIO_TIMEOUT`), and `HUBHOME_TWILIO_API_BASE` (tests and staging only; refused
in production) sends what would go to https://api.twilio.com to another base URL, such as
the fault tier's fake Twilio server. Business code never knows.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from config import Settings


def twilio_client() -> Client:
    """Return a Twilio REST client configured from the settings."""
    settings: Settings = current_app.config["HUBHOME"]
    http_client = current_app.extensions.get("twilio_http_client") or TwilioTransport(
        settings.twilio_timeout, settings.twilio_api_base
    )
    return Client(
        settings.twilio_account_sid or "AC" + "0" * 32,
        settings.twilio_auth_token or "unset",
        http_client=http_client,
    )


class TwilioTransport(TwilioHttpClient):
    """Twilio's own HTTP transport, optionally sending Twilio's URLs to another base URL.

    Each client makes its own session and closes it after every request, so no socket is
    left to the garbage collector.
    """

    def __init__(self, timeout: float, api_base: str = "") -> None:
        super().__init__(timeout=timeout)
        self.api_base = api_base.rstrip("/")

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if self.api_base:
            url = rebase(url, self.api_base)
        try:
            return super().request(
                method, url, params, data, headers, auth, timeout, allow_redirects
            )
        finally:
            if self.session is not None:
                self.session.close()


def rebase(url: str, base: str) -> str:
    """`https://api.twilio.com/2010-04-01/…` -> `<base>/2010-04-01/…` (any *.twilio.com host)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host != "twilio.com" and not host.endswith(".twilio.com"):
        return url
    target = urlsplit(base)
    path = target.path.rstrip("/") + parts.path
    return urlunsplit((target.scheme, target.netloc, path, parts.query, parts.fragment))
