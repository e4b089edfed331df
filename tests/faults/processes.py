"""Hubhome's own processes, started for real: `hubhome serve` (gunicorn) and `hubhome jobs`.

Each runs in a process group of its own with its output in a log file (never a pipe that
could fill and block it); the fault tier's conftest adds the tail of every log to the
report of a test that fails. Nothing here sleeps to wait for something: servers are polled
until they answer, processes are waited for, each with a deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from config import ENV_ALIASES, Settings
from tests import clock

HUBHOME = str(Path(sys.executable).parent / "hubhome")
START_SECONDS = 90.0  # a gunicorn worker boots in seconds, but the machine may be busy
STOP_SECONDS = 10.0  # then SIGKILL: a worker stuck in a request would hold up gunicorn for 30 s


def settings_environment(settings: Settings) -> dict[str, str]:
    """The environment under which `hubhome` reads exactly these settings, on top of this
    process's own environment without its HUBHOME_* and TWILIO_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBHOME_", "TWILIO_"))}
    for field in fields(settings):
        value = getattr(settings, field.name)
        name = ENV_ALIASES.get(field.name, f"HUBHOME_{field.name.upper()}")
        env[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    env["PYTHONUNBUFFERED"] = "1"  # the log shows what happened up to a kill -9
    return env


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, and how long it took from sending the request to its last byte."""

    status: int
    body: str
    headers: dict[str, str]
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


class HubhomeProcess:
    """A `hubhome` subprocess in its own process group, its output in `log_path`."""

    def __init__(
        self,
        name: str,
        args: list[str],
        env: Mapping[str, str],
        log_path: Path,
        pass_fds: tuple[int, ...] = (),
    ) -> None:
        self.name = name
        self.args = [HUBHOME, *args]
        self.env = dict(env)
        self.log_path = log_path
        self._pass_fds = pass_fds
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            self.args,
            env=clock.process_env(self.env),  # on the test's clock, as it is when it starts
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() reaches its workers too
            pass_fds=self._pass_fds,
        )

    @property
    def process(self) -> subprocess.Popen[bytes]:
        assert self._process is not None, f"{self.name} was not started"
        return self._process

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.poll()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def output(self) -> str:
        """Everything the process has written so far (stdout and stderr)."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def signal(self, sig: int) -> None:
        """Send `sig` to the main process only (gunicorn's master, the scheduler)."""
        self.process.send_signal(sig)

    def terminate(self) -> None:
        """SIGTERM to the whole process group, as a service manager stops a service."""
        self._signal_group(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL (kill -9) to the whole process group: nothing gets to clean up."""
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> None:
        # Only while the group's leader is ours and not yet reaped: its id cannot have been
        # given to another process group.
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, sig)

    def wait(self, timeout: float = STOP_SECONDS) -> int:
        """Wait for the process to exit; return its exit code (negative: killed by a signal)."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{self.name} still running after {timeout:g} s:\n{self.tail()}"
            ) from None

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """SIGTERM, then SIGKILL after `timeout`; reap it and close its log. Safe to repeat."""
        if self._process is not None and self._process.poll() is None:
            self.terminate()
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                self._process.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None


class HubhomeServer(HubhomeProcess):
    """`hubhome serve` (gunicorn, sync workers) on a socket bound here before it starts.

    The listening socket is made by the test process on a port the OS assigns and handed to
    gunicorn as `fd://N`: no race for a free port, and a request sent before a worker has
    booted waits in the socket's backlog instead of being refused.
    """

    def __init__(
        self, env: Mapping[str, str], log_path: Path, workers: int = 1, phone: bool = False
    ) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(128)
        self._socket.set_inheritable(True)
        self.port: int = self._socket.getsockname()[1]
        fd = self._socket.fileno()
        args = ["serve", "--bind", f"fd://{fd}", "--workers", str(workers)]
        if phone:
            args.append("--phone")
        super().__init__(f"hubhome serve (port {self.port})", args, env, log_path, (fd,))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        try:
            super().start()
        finally:
            self._socket.close()  # gunicorn has its own copy now

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        self._socket.close()
        super().stop(timeout)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Answer:
        """Send one request on a new connection; the answer says how long it took."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=dict(headers or {}))
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.monotonic() - started
        text = data.decode(errors="replace")
        return Answer(response.status, text, dict(response.getheaders()), seconds)

    def get(
        self, path: str, headers: Mapping[str, str] | None = None, timeout: float = 10.0
    ) -> Answer:
        return self.request("GET", path, headers=headers, timeout=timeout)

    def post(
        self,
        path: str,
        form: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Answer:
        """POST a form."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, urlencode(form).encode(), headers, timeout)

    def webhook(self, path: str, form: Mapping[str, str], timeout: float = 10.0) -> Answer:
        """POST as Twilio does: signed over HUBHOME_PUBLIC_URL + path with TWILIO_AUTH_TOKEN."""
        url = self.env["HUBHOME_PUBLIC_URL"].rstrip("/") + path
        validator = RequestValidator(self.env["TWILIO_AUTH_TOKEN"])
        signature = validator.compute_signature(url, dict(form))
        return self.post(path, form, {"X-Twilio-Signature": signature}, timeout)

    def wait_until_serving(self, path: str = "/static/css/app.css") -> Answer:
        """Wait until a worker answers `path` (a static file: the database is not touched)."""
        deadline = time.monotonic() + START_SECONDS
        while True:
            if not self.running:
                raise AssertionError(
                    f"{self.name} exited ({self.returncode}) before serving:\n{self.tail()}"
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.name} did not answer {path}:\n{self.tail()}")
            try:
                return self.get(path, timeout=min(left, 10.0))
            except (OSError, http.client.HTTPException):
                # Still booting (the request waited in the backlog), or dying: the
                # process's exit, if it comes, ends this wait early.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=0.1)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers' process ids (children of the master)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def form_token(server: HubhomeServer, path: str, cookie: str = "") -> tuple[str, str]:
    """The CSRF token of the form at `path`, and the session cookie to send it with."""
    page = server.get(path, headers={"Cookie": cookie} if cookie else None)
    assert page.status == 200, page.body
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body)
    assert token is not None, page.body
    fresh = page.headers.get("Set-Cookie")
    return token[1], fresh.split(";")[0] if fresh else cookie


def sign_in(server: HubhomeServer, email: str, password: str = "demo-hubhome") -> tuple[int, str]:
    """Sign in on the web form; return the answer's status and the signed-in session cookie."""
    token, cookie = form_token(server, "/login")
    form = {"csrf_token": token, "email": email, "password": password}
    answer = server.post("/login", form, headers={"Cookie": cookie})
    fresh = answer.headers.get("Set-Cookie")
    return answer.status, fresh.split(";")[0] if fresh else cookie
