"""Domain errors raised by services, and the pages and problem documents that show them."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A refusal a user can understand; `message` is already translated."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.extra = extra


class ValidationFailed(DomainError):
    status = 422
    title = "Invalid input"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class NotAllowed(DomainError):
    status = 403
    title = "Forbidden"


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> Response:
    """Build an RFC 9457 problem document."""
    from flask import json

    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def _field_errors(error: HTTPException) -> dict[str, Any] | None:
    """Flatten webargs' {location: {field: [messages]}} into {field: [messages]}."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if not messages:
        return None
    flat: dict[str, Any] = {}
    for by_field in messages.values():
        if isinstance(by_field, dict):
            flat.update(by_field)
    return flat or None


def _page_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to do that."),
        404: _("The page you asked for does not exist, or you may not see it."),
        405: _("That method is not allowed here."),
        409: _("Someone changed this at the same time. Reload the page and try again."),
        422: _("Some of the information could not be used."),
        429: _("Too many attempts. Wait a while and try again."),
        500: _("Something went wrong on our side. The error has been logged."),
    }


def expired_form_message() -> str:
    """A form refused for its CSRF token: most often its page was open from before a sign-out,
    a sign-in or the session's end."""
    return _("The form had expired. Reload the page and try again.")


def http_error_response(error: HTTPException) -> Any:
    """Render an HTTP error as problem+json for the API, as a page otherwise."""
    status = error.code or 500
    if wants_problem_json():
        response = problem(status, error.name, error.description, errors=_field_errors(error))
        for key, value in error.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response
    message = _page_messages().get(status, error.description or "")
    if isinstance(error, CSRFError):
        message = expired_form_message()
    return render_template("errors/error.html", status=status, message=message), status


def init_errors(app: Flask) -> None:
    """Render errors; the unit of work is rolled back before they run (hubhome.transaction)."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Any:
        return http_error_response(error)

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError) -> Any:
        if wants_problem_json():
            return problem(
                error.status, error.title, error.message, errors=error.errors or None, **error.extra
            )
        return (
            render_template("errors/error.html", status=error.status, message=error.message),
            error.status,
        )

    @app.errorhandler(500)
    def handle_500(error: Exception) -> Any:
        if wants_problem_json():
            return problem(500, "Internal Server Error")
        message = _page_messages()[500]
        return render_template("errors/error.html", status=500, message=message), 500
