"""Addresses where nothing useful answers: one that accepts TCP and never says a word, one
that refuses. For a Redis (or any other) URL that does not work."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field


@dataclass
class DeadAddress:
    """A port on 127.0.0.1, held by this process for as long as the test runs."""

    listening: bool
    sock: socket.socket = field(init=False)

    def __post_init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        if self.listening:
            # The kernel completes the handshake for up to the backlog's connections;
            # nobody ever accepts them, so whatever is sent is never read or answered.
            self.sock.listen(128)
        # Bound but not listening: a connection attempt is answered with a reset, at once.

    @property
    def port(self) -> int:
        port: int = self.sock.getsockname()[1]
        return port

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def close(self) -> None:
        self.sock.close()


def silent() -> DeadAddress:
    """Accepts TCP connections and never answers (a hung server, a black-holed path)."""
    return DeadAddress(listening=True)


def refusing() -> DeadAddress:
    """Refuses every connection (nothing listens; the port is held so nothing else can)."""
    return DeadAddress(listening=False)
