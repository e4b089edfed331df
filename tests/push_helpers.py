"""A fake Web Push service on a local port, VAPID keys, and a browser's subscription keys.

The push service is faked at the HTTP transport: pywebpush posts to it as it would to
Mozilla's or Google's; the test reads what arrived (headers, encrypted body) and can check
the VAPID signature and decrypt the body with the browser's private key.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from flask import Flask


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass
class Vapid:
    public_key: str
    private_key: str


def make_vapid() -> Vapid:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return Vapid(public_key=b64url(_point(key)), private_key=b64url(raw))


def with_vapid(app: Flask, vapid: Vapid, **more: Any) -> None:
    """Give the shared app VAPID keys (the `app` fixture restores its config after)."""
    app.config["HUBHOME"] = dataclasses.replace(
        app.config["HUBHOME"],
        vapid_public_key=vapid.public_key,
        vapid_private_key=vapid.private_key,
        vapid_subject="mailto:jour@example.se",
        push_timeout=5.0,
        **more,
    )


@dataclass
class Browser:
    """A browser's side of a subscription: its ECDH key and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, endpoint: str) -> dict[str, Any]:
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(_point(self.key)), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth)
        return dict(json.loads(plain))


def verify_vapid(authorization: str, public_key: str, audience: str) -> dict[str, Any]:
    """Check `vapid t=<JWT>, k=<key>`: the key is ours and it signed the JWT (ES256)."""
    assert authorization.startswith("vapid "), authorization
    parts = dict(p.strip().split("=", 1) for p in authorization[len("vapid ") :].split(","))
    assert parts["k"] == public_key
    header, claims, signature = parts["t"].split(".")
    assert json.loads(unb64url(header))["alg"] == "ES256"
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if not
    decoded = dict(json.loads(unb64url(claims)))
    assert decoded["aud"] == audience
    return decoded


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class FakePushService:
    """Answers each POST with `status` (201 unless told); keeps what it received."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.received.append(Received(self.path, headers, body))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture
def vapid(app: Flask) -> Vapid:
    keys = make_vapid()
    with_vapid(app, keys)
    return keys
