"""A real local SMTP server (aiosmtpd) on a port the OS picks; tests read what it received."""

from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP


@dataclass
class MailServer:
    url: str
    received: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.received if m["To"] == address]

    def link_in(self, message: Message) -> str:
        body = message.get_payload(decode=True).decode()
        match = re.search(r"https?://\S+/account/link/\S+", body)
        assert match, body
        return match.group(0)


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = MailServer(url=f"smtp://127.0.0.1:{sock.getsockname()[1]}")
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        holder["server"] = loop.run_until_complete(
            loop.create_server(lambda: SMTP(server, hostname="hubhome-test"), sock=sock)
        )
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="smtp", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield server
    finally:
        loop.call_soon_threadsafe(holder["server"].close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
