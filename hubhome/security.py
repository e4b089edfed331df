"""Response headers: a Content-Security-Policy that needs no inline script, and friends."""

from __future__ import annotations

from flask import Flask, Response, g, session

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_security(app: Flask) -> None:
    secure = app.config["SESSION_COOKIE_SECURE"]

    defaults = [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if secure:
        defaults.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    lowered = [(name.lower(), name, value) for name, value in defaults]

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        # One pass over the headers a view set, instead of a case-insensitive scan per
        # setdefault: a tenth of a phone webhook's Python time went to str.lower().
        present = {name.lower() for name, _value in response.headers.items()}
        for low, name, value in lowered:
            if low not in present:
                response.headers.add(name, value)
        if g.get("api_user") is not None or _signed_in():
            # pages and answers for a signed-in person hold children's data: never kept
            response.headers["Cache-Control"] = "no-store"
        return response


def _signed_in() -> bool:
    """Whether the request came with a signed-in session (read without a query)."""
    return "_user_id" in session
