"""A small durable spool on disk for webhooks that arrive while the database is unusable.

Twilio does not send a status or recording callback twice, so a webhook that cannot reach
the database writes what it carried (path, query, form, signature) to a file of its own
(written whole, fsynced, then renamed into place) and answers Twilio at once. The
`phone_spool_replay` job (and `hubhome phone replay-spool`) posts each file to the same
webhook again, in the order they came, once the database is back: each is one unit of work,
and the webhooks are idempotent, so a file replayed twice changes nothing twice. A file the
webhook refuses for good (a 4xx: a signature that no longer validates) moves to `failed/`.

The spool holds phone numbers and message bodies: it is data, kept with mode 0600, and it is
never logged. Web and scheduler must share the directory (`HUBHOME_PHONE_SPOOL_DIR`); what
a spool on another machine misses, the reconciliation job fetches from Twilio.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request

from config import Settings

log = logging.getLogger(__name__)

REPLAY = "hubhome.phone_replay"  # set in the WSGI environ of a replayed request


def directory(app: Flask | None = None) -> Path:
    app = app or current_app
    settings: Settings = app.config["HUBHOME"]
    return Path(settings.phone_spool_dir or Path(app.instance_path) / "phone-spool")


def replaying() -> bool:
    return bool(request.environ.get(REPLAY))


def keep() -> Path | None:
    """Write the current webhook to the spool; None when it is a replay (it stays where it is)."""
    if replaying():
        return None
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    entry = {
        "path": request.path,
        "query": request.query_string.decode(),
        "form": request.form.to_dict(),
        "signature": request.headers.get("X-Twilio-Signature", ""),
    }
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"  # sorts in the order they came
    temporary = folder / f".{name}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(entry, file)
        file.flush()
        os.fsync(file.fileno())
    target = folder / f"{name}.json"
    os.replace(temporary, target)
    _sync_directory(folder)
    log.warning("kept %s in the phone spool for replay", request.path)
    return target


def _sync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def pending(app: Flask | None = None) -> list[Path]:
    """The spooled webhooks, oldest first."""
    folder = directory(app)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@dataclass
class Replayed:
    done: int = 0
    failed: int = 0
    waiting: int = 0


def replay(app: Flask) -> Replayed:
    """Post every spooled webhook to the app again, oldest first; stop at the first one the
    database still cannot take (it and the rest wait for the next run)."""
    result = Replayed()
    files = pending(app)
    client = app.test_client()
    for number, path in enumerate(files):
        try:
            entry: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError):
            _set_aside(path)
            result.failed += 1
            continue
        target = entry["path"] + (f"?{entry['query']}" if entry["query"] else "")
        with app.app_context():  # a unit of work of its own, beside the caller's
            response = client.post(
                target,
                data=entry["form"],
                headers={"X-Twilio-Signature": entry["signature"]},
                environ_overrides={REPLAY: True},
            )
        if response.status_code < 400:
            path.unlink()
            result.done += 1
        elif response.status_code < 500:
            _set_aside(path)
            log.error("spooled %s refused (%s)", entry["path"], response.status)
            result.failed += 1
        else:
            result.waiting = len(files) - number
            break
    return result


def _set_aside(path: Path) -> None:
    """Move a file that can never be replayed to `failed/`, for a person to look at."""
    failed = path.parent / "failed"
    failed.mkdir(exist_ok=True, mode=0o700)
    os.replace(path, failed / path.name)
    log.error("phone spool: %s moved to failed/", path.name)
