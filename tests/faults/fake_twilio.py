"""A fake Twilio REST API on 127.0.0.1, reached by the real Twilio SDK inside Hubhome.

Hubhome's processes are pointed at it with `HUBHOME_TWILIO_API_BASE=<fake.url>`: the SDK
builds `https://api.twilio.com/2010-04-01/...` as always and only the HTTP transport sends
it here (see `hubhome.telephony.client`).

Every request is recorded (`fake.requests`, `fake.wait_for(n)`). What the fake does with
each one is programmable: `fake.script(*replies, method=, path=, when=)` gives the next
matching requests these replies in order, `fake.default` is the reply for the rest:

- `ANSWER`: as Twilio would, from the fake's state (the default);
- `error(status)`: Twilio's error JSON with that status (500 by default);
- `slow(seconds)`: answers as Twilio would, `seconds` late;
- `HANG`: reads the request and never answers until the test ends (or `release()`), so the
  client's timeout fires;
- `DROP`: reads the request and closes the connection without a byte.

State, which a test may also set (`twilio_state.py`): `fake.messages`, `fake.calls`,
`fake.recordings`, lists of resources as Twilio's JSON shows them, newest first
(`fake.add_message(...)` and friends fill in the fields a test leaves out). Sending an SMS or
starting a call adds to them; the list endpoints (`GET .../Messages.json`, `Calls.json`,
`Recordings.json`, with Twilio's common filters and paging) read them.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.faults.twilio_state import PATH, Answer, TwilioState, twilio_error


@dataclass(frozen=True)
class Reply:
    """What the fake does with one request."""

    kind: str  # "answer", "error", "slow", "hang" or "drop"
    status: int = 0
    seconds: float = 0.0


ANSWER = Reply("answer")
HANG = Reply("hang")
DROP = Reply("drop")


def error(status: int = 500) -> Reply:
    return Reply("error", status=status)


def slow(seconds: float) -> Reply:
    return Reply("slow", seconds=seconds)


@dataclass(frozen=True)
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    auth: tuple[str, str] | None
    headers: dict[str, str]
    reply: Reply
    at: float  # time.monotonic() when it arrived

    @property
    def resource(self) -> str | None:
        """'Messages', 'Calls' or 'Recordings' for Twilio's API paths."""
        match = PATH.match(self.path)
        return match["sub"] or match["resource"] if match else None


@dataclass
class _Script:
    replies: deque[Reply]
    method: str | None
    path: str | None
    when: Callable[[Recorded], bool] | None

    def matches(self, request: Recorded) -> bool:
        return (
            bool(self.replies)
            and (self.method is None or request.method == self.method)
            and (self.path is None or self.path in request.path)
            and (self.when is None or self.when(request))
        )


@dataclass
class FakeTwilio:
    """The fake Twilio API; `start()` serves it, `close()` stops it and ends every hang."""

    account_sid: str
    auth_token: str
    default: Reply = ANSWER
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._scripts: list[_Script] = []
        self._changed = threading.Condition()
        self._released = threading.Event()
        self.state = TwilioState(self.account_sid)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-twilio", daemon=True
        )

    # --- the test's side -----------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give Hubhome as HUBHOME_TWILIO_API_BASE."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeTwilio:
        self._thread.start()
        return self

    def close(self) -> None:
        """End every hang and slow answer, stop serving and wait for the handlers."""
        self._released.set()
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def release(self) -> None:
        """End the hangs now: each hung request's connection is closed unanswered."""
        self._released.set()

    def script(
        self,
        *replies: Reply,
        method: str | None = None,
        path: str | None = None,
        when: Callable[[Recorded], bool] | None = None,
    ) -> None:
        """Give the next requests that match (method, a part of the path, a predicate)
        these replies, one each in order; later ones get `default`."""
        with self._changed:
            self._scripts.append(_Script(deque(replies), method, path, when))

    def wait_for(self, count: int, timeout: float = 30.0, **match: Any) -> list[Recorded]:
        """Wait until `count` requests (matching `method=`/`path=` if given) have arrived."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self.matching(**match)) < count:
                left = deadline - time.monotonic()
                if left <= 0 or not self._changed.wait(left):
                    raise AssertionError(f"{len(found)} of {count} requests came: {found}")
            return found

    def matching(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and (path is None or path in r.path)
        ]

    @property
    def sent_sms(self) -> list[dict[str, str]]:
        """The forms of every SMS Hubhome asked Twilio to send."""
        return [r.form for r in self.matching("POST", "/Messages.json")]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.state.messages

    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.state.calls

    @property
    def recordings(self) -> list[dict[str, Any]]:
        return self.state.recordings

    def add_message(self, **fields: Any) -> dict[str, Any]:
        """Add a Message resource (the fields a test gives, Twilio's defaults for the rest)."""
        with self._changed:
            return self.state.add("Messages", fields)

    def add_call(self, **fields: Any) -> dict[str, Any]:
        with self._changed:
            return self.state.add("Calls", fields)

    def add_recording(self, audio: bytes | None = None, **fields: Any) -> dict[str, Any]:
        """Add a Recording resource; with `audio`, its media URL serves those bytes."""
        with self._changed:
            item = self.state.add("Recordings", fields)
            if audio is not None:
                self.state.media[item["sid"]] = audio
            return item

    # --- the server's side ----------------------------------------------------------------

    def _arrived(self, request: Recorded) -> Recorded:
        """Record the request with the reply it gets."""
        with self._changed:
            reply = next((s.replies.popleft() for s in self._scripts if s.matches(request)), None)
            recorded = replace(request, reply=reply or self.default)
            self.requests.append(recorded)
            self._changed.notify_all()
        return recorded

    def _answer(self, request: Recorded) -> Answer:
        """Answer as Twilio would."""
        if request.auth != (self.account_sid, self.auth_token):
            return twilio_error(401, 20003, "Authenticate")
        with self._changed:
            return self.state.answer(request.method, request.path, request.query, request.form)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for every handler: no thread outlives a test

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (its timeout before a slow answer) is no error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def do_DELETE(self) -> None:
            self._handle()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # requests are recorded, not printed

        def _handle(self) -> None:
            request = fake._arrived(self._read())
            reply = request.reply
            if reply.kind == "hang":
                fake._released.wait()
            if reply.kind in ("hang", "drop"):
                self.close_connection = True
                return
            if reply.kind == "slow":
                fake._released.wait(reply.seconds)
            if reply.kind == "error":
                phrase = HTTPStatus(reply.status).phrase
                status, body = twilio_error(reply.status, 20000 + reply.status, phrase)
            else:
                status, body = fake._answer(request)
            self._send(status, body)

        def _read(self) -> Recorded:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            return Recorded(
                method=self.command,
                path=split.path,
                query=_single(parse_qs(split.query)),
                form=_single(parse_qs(raw)),
                auth=_basic_auth(self.headers.get("Authorization")),
                headers=dict(self.headers.items()),
                reply=ANSWER,
                at=time.monotonic(),
            )

        def _send(self, status: int, body: dict[str, Any] | bytes | None) -> None:
            audio = isinstance(body, bytes)
            payload = body if isinstance(body, bytes) else b""
            if isinstance(body, dict):
                payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "audio/mpeg" if audio else "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def _single(values: dict[str, list[str]]) -> dict[str, str]:
    return {key: items[-1] for key, items in values.items()}


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


@contextmanager
def running(account_sid: str, auth_token: str) -> Iterator[FakeTwilio]:
    """A started fake, closed afterwards."""
    fake = FakeTwilio(account_sid, auth_token).start()
    try:
        yield fake
    finally:
        fake.close()
