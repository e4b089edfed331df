"""Where Hubhome keeps call recordings: a directory, or an S3-compatible bucket.

A store keeps opaque blobs (already encrypted) under keys such as `12/RE….mp3.enc`. Writes
are atomic: a reader (or a run killed mid-write) sees the whole blob or none of it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from flask import current_app

KEY = re.compile(r"^[0-9]+/RE[0-9a-fA-F]{32}\.[a-z0-9]+\.enc$")


class RecordingStore(Protocol):
    def put(self, key: str, blob: bytes) -> None:
        """Keep `blob` under `key`, replacing what was there, atomically."""

    def get(self, key: str) -> bytes | None:
        """The blob under `key`, or None if there is none."""

    def delete(self, key: str) -> None:
        """Remove the blob under `key` (nothing happens if there is none)."""

    def stored_keys(self) -> Iterator[str]:
        """Every key kept."""


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError("not a recording key")
    return key


class DirectoryStore:
    """Blobs as files under a directory (mode 0600), written to a temporary file first."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, blob: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(blob)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def stored_keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("*/*.enc")):
            key = path.relative_to(self.root).as_posix()
            if KEY.match(key):
                yield key


class S3Store:
    """Blobs as objects in an S3-compatible bucket (boto3, installed separately)."""

    def __init__(self, bucket: str, endpoint: str = "", timeout: float = 10.0) -> None:
        import boto3  # optional: only with a bucket
        from botocore.config import Config

        config = Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2})
        self.bucket = bucket
        self.client: Any = boto3.client("s3", endpoint_url=endpoint or None, config=config)

    def put(self, key: str, blob: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=_checked(key), Body=blob)

    def get(self, key: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=_checked(key))
        except self.client.exceptions.NoSuchKey:
            return None
        return bytes(answer["Body"].read())

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_checked(key))

    def stored_keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        for page in pages:
            for item in page.get("Contents", []):
                if KEY.match(item["Key"]):
                    yield item["Key"]


def recording_store() -> RecordingStore:
    """The configured store: the bucket if one is set, else the directory."""
    settings = current_app.config["HUBHOME"]
    if settings.recordings_s3_bucket:
        return S3Store(
            settings.recordings_s3_bucket, settings.recordings_s3_endpoint, settings.twilio_timeout
        )
    return DirectoryStore(settings.recordings_dir or Path(current_app.instance_path) / "recordings")
