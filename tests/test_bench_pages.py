"""Every page scenario of `python -m bench --org-scale` builds its requests and each answers 200."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from bench.generate import Scale, generate
from bench.pages import PAGES
from bench.phone import TWILIO_TOKEN
from bench.scenarios import scenarios, send


@pytest.fixture
def served(other_app) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    """A small generated organisation, served over HTTP as the bench serves it."""
    generated = generate(
        Scale(organisations=1, constellations=3, households=12, children=15, social_workers=2)
    )
    server = make_server("127.0.0.1", 0, None, threaded=False)  # bind first: the URL is signed
    port = server.socket.getsockname()[1]
    server.server_close()
    base = f"http://127.0.0.1:{port}"
    app = other_app(twilio_auth_token=TWILIO_TOKEN, twilio_auth_token_secondary="", public_url=base)
    server = make_server("127.0.0.1", port, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, generated
    finally:
        server.shutdown()
        thread.join(timeout=30)


def test_every_page_scenario_answers_200(served):
    base, generated = served
    assert {s.name for s in scenarios(org_scale=True)} >= set(PAGES)
    for name, build in PAGES.items():
        requests = build(base, generated)
        assert requests, name
        for request in requests:
            body = send(base, request)  # urlopen raises on any status >= 400
            assert body and b'type="password"' not in body, name  # signed in, not sent to /login
