"""Optional per-request SQL query counting (HUBHOME_COUNT_QUERIES=1), for benchmarks and tests.

The count is returned in the `X-Query-Count` response header; it is off by default.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


def init_query_counting(app: Flask) -> None:
    @event.listens_for(Engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    @app.after_request
    def _report(response: Response) -> Response:
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
