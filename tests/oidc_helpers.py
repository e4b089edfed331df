"""A real OpenID provider for the tests: tests/oidc/provider.js (npm oidc-provider), started
on a port the OS picks, with a staff and a family client and accounts the tests choose."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests

HERE = Path(__file__).resolve().parent / "oidc"
HUBHOME = "http://localhost"  # the Flask test client's own address
SECRETS = {"staff": "staff-client-secret", "family": "family-client-secret"}


@dataclass
class OidcProvider:
    issuer: str

    def add_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        response = requests.post(f"{self.issuer}/_test/accounts", json=accounts, timeout=10)
        assert response.status_code == 204

    def follow_the_test_clock(self) -> None:
        """Move the provider's clock to the test's (tests/clock.py), so the tokens it issues
        are fresh at the instant the test runs at."""
        now_ms = int(time.time() * 1000)  # the travelled clock
        response = requests.post(f"{self.issuer}/_test/clock", json={"now_ms": now_ms}, timeout=10)
        assert response.status_code == 204

    def settings(self) -> dict[str, str]:
        """Hubhome's settings for both providers, both served by this one."""
        values = {}
        for name, secret in SECRETS.items():
            values[f"oidc_{name}_issuer"] = self.issuer
            values[f"oidc_{name}_client_id"] = f"hubhome-{name}"
            values[f"oidc_{name}_client_secret"] = secret
        return values


def start_provider(tmp_path: Path, redirect_base: str = HUBHOME) -> tuple[subprocess.Popen, str]:
    """Start the provider; return the process and its issuer URL."""
    config = {
        "port": 0,
        "clients": [
            {
                "client_id": f"hubhome-{name}",
                "client_secret": secret,
                "redirect_uris": [f"{redirect_base}/login/oidc/{name}/callback"],
            }
            for name, secret in SECRETS.items()
        ],
        "accounts": {},
    }
    path = tmp_path / "oidc-provider.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        ["node", str(HERE / "provider.js"), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # printed once it listens
    if not line:
        process.kill()
        raise RuntimeError("the OpenID provider did not start")
    return process, json.loads(line)["issuer"]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.skip(
            "run `npm ci --prefix tests/oidc` for the OpenID provider (node_modules absent)"
        )
    process, issuer = start_provider(tmp_path_factory.mktemp("oidc"))
    try:
        yield OidcProvider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def at_provider(authorize_url: str, account: str) -> str:
    """Sign in at the provider as `account` the way a browser would; return the URL it sends
    the browser back to (Hubhome's callback with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        if url.startswith(HUBHOME):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "/interaction/" in url:
            response = browser.post(
                f"{url}/login", data={"account": account}, allow_redirects=False, timeout=10
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:300])
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def local(url: str) -> str:
    """The path and query of a URL on Hubhome, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def with_params(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))
