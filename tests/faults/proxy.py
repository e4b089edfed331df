"""A TCP proxy in front of PostgreSQL whose faults a test switches while the app runs.

Modes (each switch has taken effect on every connection when the call returns):

- ``pass_through()``: bytes flow both ways (the start).
- ``refuse()``: every open connection is cut with a reset (both sides), and each new one
  is reset as soon as it is accepted: the database is gone.
- ``hold()``: a silent stall, not a closed port. New connections are accepted but the
  database is never dialled; open connections stop forwarding in both directions (at
  most one chunk per direction is read and kept, then nothing more is read, so the
  kernel's buffers fill as on a dead network path). Nobody is told anything.
- ``slow(seconds)``: like pass-through, but every chunk the database sends reaches the
  client ``seconds`` late.

Recovery: ``pass_through()`` after ``hold()`` releases the held connections: forwarding
resumes where it stopped (the kept chunks are delivered, connections accepted during the
hold dial the database now), as when a stalled path comes back and TCP retransmits. A
client that gave up during the hold has closed its side, and the proxy closes the
database side when it reads that. To cut held connections instead, ``refuse()`` first.

The proxy runs an asyncio loop in a thread of the test process, on 127.0.0.1 with a port
the OS assigns.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

T = TypeVar("T")
CHUNK = 65536
SWITCH_SECONDS = 10.0  # how long a mode switch may take on a loaded machine


class Mode(Enum):
    PASS = "pass"
    REFUSE = "refuse"
    HOLD = "hold"
    SLOW = "slow"


@dataclass(eq=False)
class _Link:
    """One client connection, and the database connection behind it once dialled."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    task: asyncio.Task[None] | None = None

    def reset(self) -> None:
        for writer in (self.client, self.upstream):
            if writer is not None:
                _reset(writer)


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), not a polite FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class DatabaseProxy:
    """A TCP proxy on 127.0.0.1 in front of the database of `database_url`.

    ``proxy.url`` is `database_url` with the proxy's host and port: give it to the app.
    """

    def __init__(self, database_url: str) -> None:
        parsed = make_url(database_url)
        self.upstream = (parsed.host or "127.0.0.1", parsed.port or 5432)
        self._url = parsed
        self.mode = Mode.PASS
        self.delay = 0.0
        self.accepted = 0
        self.port = 0
        self._links: set[_Link] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="database-proxy", daemon=True
        )
        self._server: asyncio.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    # --- the test's side -----------------------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL through the proxy."""
        through = self._url.set(host="127.0.0.1", port=self.port)
        return through.render_as_string(hide_password=False)

    @property
    def open_connections(self) -> int:
        """Client connections open now (held ones included)."""
        return self._call(self._count())

    def start(self) -> DatabaseProxy:
        self._thread.start()
        self._call(self._start())
        return self

    def close(self) -> None:
        """Cut every connection and stop; safe to call twice."""
        if self._thread.is_alive():
            self._call(self._stop())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=SWITCH_SECONDS)
        if not self._loop.is_closed():
            self._loop.close()

    def pass_through(self) -> None:
        self._call(self._switch(Mode.PASS))

    def refuse(self) -> None:
        self._call(self._switch(Mode.REFUSE))

    def hold(self) -> None:
        self._call(self._switch(Mode.HOLD))

    def slow(self, seconds: float) -> None:
        self._call(self._switch(Mode.SLOW, seconds))

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(SWITCH_SECONDS)

    # --- the loop's side ------------------------------------------------------------------

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._on_client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _count(self) -> int:
        return len(self._links)

    async def _switch(self, mode: Mode, delay: float = 0.0) -> None:
        assert self._flowing is not None
        self.mode, self.delay = mode, delay
        if mode in (Mode.PASS, Mode.SLOW):
            self._flowing.set()
            return
        self._flowing.clear()
        if mode is Mode.REFUSE:
            await self._cut_all()

    async def _cut_all(self) -> None:
        links = list(self._links)
        for link in links:
            link.reset()
            if link.task is not None:
                link.task.cancel()
        await asyncio.gather(*(link.task for link in links if link.task), return_exceptions=True)

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._cut_all()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        self._handlers.add(handler)
        self.accepted += 1
        link = _Link(client=writer)
        try:
            if self.mode is Mode.REFUSE:
                return
            self._links.add(link)
            link.task = asyncio.ensure_future(self._serve(link, reader))
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await link.task  # cancelled when the proxy refuses or closes
        finally:
            self._links.discard(link)
            link.reset()
            self._handlers.discard(handler)

    async def _serve(self, link: _Link, client_reader: asyncio.StreamReader) -> None:
        assert self._flowing is not None
        await self._flowing.wait()  # held: accepted, the database not dialled
        upstream_reader, link.upstream = await asyncio.open_connection(*self.upstream)
        to_server = asyncio.ensure_future(self._pump(client_reader, link.upstream, False))
        to_client = asyncio.ensure_future(self._pump(upstream_reader, link.client, True))
        try:
            await asyncio.wait((to_server, to_client), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in (to_server, to_client):
                pump.cancel()
            await asyncio.gather(to_server, to_client, return_exceptions=True)

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, from_server: bool
    ) -> None:
        assert self._flowing is not None
        while True:
            data = await source.read(CHUNK)
            if not data:
                return
            await self._flowing.wait()
            if from_server and self.delay:
                await asyncio.sleep(self.delay)
                await self._flowing.wait()  # held while the chunk was late: still held
            sink.write(data)
            await sink.drain()
