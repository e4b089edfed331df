"""VAPID keys for Web Push: a P-256 key pair, as the settings and the browser want them."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate() -> tuple[str, str]:
    """A new key pair: (public key, private key), each base64url without padding — the
    public key as the uncompressed point browsers take as `applicationServerKey`, the
    private key as its raw 32 bytes (what pywebpush reads)."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(public), _b64url(private)


def demo_keys(folder: Path) -> dict[str, str]:
    """The demo's key pair, made once and kept in `folder` (the demo's instance folder), so
    browsers subscribed to the demo stay subscribed across restarts."""
    path = folder / "demo-vapid"
    if not path.exists():
        public, private = generate()
        path.write_text(f"{public}\n{private}\n")
        path.chmod(0o600)
    public, private = path.read_text().split()
    return {"HUBHOME_VAPID_PUBLIC_KEY": public, "HUBHOME_VAPID_PRIVATE_KEY": private}
