"""The one seam through which Hubhome talks to Twilio's REST API.

Only the HTTP transport under Twilio's SDK is ever replaced. In-process tests (and the phone
simulator) put a `twilio.http.HttpClient` in `app.extensions["twilio_http_client"]`;
otherwise the SDK's own transport is used, with an explicit timeout
(`HUBHOME_TWILIO_TIMEOUT`), and `HUBHOME_TWILIO_API_BASE` (tests and staging only; refused
in production) sends what would go to https://api.twilio.com to another base URL, such as
the fault tier's fake Twilio server. Business code never knows.
"""

from __future__ import annotations

from typing import Any
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


class MediaResponse(Response):
    """Twilio's answer with its body's bytes too (a recording's audio): the SDK's own
    response keeps only the body decoded as text."""

    def __init__(self, status_code: int, text: str, headers: Any, body: bytes) -> None:
        super().__init__(status_code, text, headers)
        self.body = body


class TwilioTransport(TwilioHttpClient):
    """Twilio's own HTTP transport, optionally sending Twilio's URLs to another base URL.

    Each client makes its own session and closes it after every request, so no socket is
    left to the garbage collector. Its answers carry the body's bytes (`MediaResponse`).
    """

    def __init__(self, timeout: float, api_base: str = "") -> None:
        super().__init__(timeout=timeout, request_hooks={"response": [self._keep_body]})
        self.api_base = api_base.rstrip("/")
        self._body = b""

    def _keep_body(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        """The last answer's bytes (after redirects, the final one's)."""
        self._body = response.content
        return response

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
        self._body = b""
        try:
            answer = super().request(
                method, url, params, data, headers, auth, timeout, allow_redirects
            )
            return MediaResponse(answer.status_code, answer.text, answer.headers, self._body)
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
