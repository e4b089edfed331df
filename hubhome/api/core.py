"""The flask-smorest Api object and shared API pieces."""

from __future__ import annotations

from typing import Any

from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint

from hubhome.api.bounds import BoundedParser


class HubhomeApi(Api):
    """flask-smorest's Api, leaving error rendering to Hubhome's problem+json handler."""

    def _register_error_handlers(self) -> None:
        """Errors are rendered by hubhome.errors for the API and the pages alike."""


class Blueprint(SmorestBlueprint):
    """An API blueprint whose arguments are range-checked (see `hubhome.api.bounds`)."""

    ARGUMENTS_PARSER = BoundedParser()

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Any:
        """flask-smorest's `arguments`, with a schema class made an instance once: webargs
        builds a new instance of a class on every request (copying each of its fields)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


api = HubhomeApi(
    spec_kwargs={
        "info": {"description": "Hubhome's JSON API. Authenticate with POST /api/v1/auth/token."},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    }
)


def paginate_args() -> dict[str, Any]:
    return {}
