"""OpenID Connect sign-in: e-legitimation for families, the municipality's IdP for staff.

Authorization-code flow with PKCE (S256), state and nonce, the ID token verified against
the provider's published keys, and `client_secret_basic`, all by Authlib's Flask client.
Each provider (`staff`, `family`) is configured by `HUBHOME_OIDC_<NAME>_*`; an identity is
matched to an existing account, never creates one: staff by e-mail, families by the
personnummer an administrator registered. The providers are multi-factor already, so no
one-time code is asked for.

Authlib (with joserfc and requests) is imported, and the providers registered with it, on the
first request to an OIDC route: most workers never see one, and it costs each of them 4 MB.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, abort, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from config import Settings
from hubhome.accounts import services
from hubhome.audit.services import record_regardless
from hubhome.extensions import db

log = logging.getLogger(__name__)

bp = Blueprint("oidc", __name__)
PROVIDERS = ("family", "staff")  # the family provider first: most sign in on a phone
EXTENSION = "hubhome.oidc"
SCOPE = "openid email profile"
CLIENTS = "hubhome.oidc.clients"


@dataclass(frozen=True)
class IdentityProvider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    claim: str
    label: Any  # the configured label, or a lazily translated default


def providers(settings: Settings) -> list[IdentityProvider]:
    """The configured providers, the family one first."""
    found = []
    for name in PROVIDERS:
        issuer = getattr(settings, f"oidc_{name}_issuer")
        if not issuer:
            continue
        default_label = _l("BankID or Freja+") if name == "family" else _l("Staff sign-in")
        found.append(
            IdentityProvider(
                name=name,
                issuer=issuer.rstrip("/"),
                client_id=getattr(settings, f"oidc_{name}_client_id"),
                client_secret=getattr(settings, f"oidc_{name}_client_secret"),
                claim=getattr(settings, f"oidc_{name}_claim"),
                label=getattr(settings, f"oidc_{name}_label") or default_label,
            )
        )
    return found


def init_oidc(app: Flask) -> None:
    """Note the configured providers and add the sign-in routes (Authlib on first use)."""
    settings: Settings = app.config["HUBHOME"]
    app.extensions[EXTENSION] = {p.name: p for p in providers(settings)}
    app.jinja_env.globals["oidc_providers"] = login_links
    app.register_blueprint(bp)


def _oauth() -> Any:
    """Authlib's client registry for this application, made on first use."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    oauth = app.extensions.get(CLIENTS)
    if oauth is None:
        from authlib.integrations.flask_client import OAuth

        settings: Settings = app.config["HUBHOME"]
        oauth = OAuth(app)
        for provider in app.extensions[EXTENSION].values():
            oauth.register(
                name=provider.name,
                client_id=provider.client_id,
                client_secret=provider.client_secret,
                server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
                client_kwargs={
                    "scope": SCOPE,
                    "code_challenge_method": "S256",
                    "token_endpoint_auth_method": "client_secret_basic",
                    "default_timeout": settings.oidc_timeout,  # metadata, keys, token: bounded
                },
            )
        app.extensions[CLIENTS] = oauth
    return oauth


def _protocol_errors() -> tuple[type[Exception], ...]:
    """What a provider's wrong or forged answer raises."""
    from authlib.integrations.base_client.errors import OAuthError
    from joserfc.errors import JoseError

    return (OAuthError, JoseError, ValueError, KeyError)


def _provider(name: str) -> tuple[Any, IdentityProvider]:
    provider = current_app.extensions[EXTENSION].get(name)
    if provider is None:
        abort(404)
    return _oauth().create_client(name), provider


@bp.route("/login/oidc/<any(staff, family):name>")
def start(name: str) -> Any:
    """Send the browser to the provider to sign in."""
    import requests

    client, provider = _provider(name)
    callback = url_for("oidc.callback", name=name, _external=True)
    try:
        return client.authorize_redirect(callback)
    except requests.RequestException:
        log.warning("the %s identity provider did not answer", name)
        return _unavailable(provider)


@bp.route("/login/oidc/<any(staff, family):name>/callback")
def callback(name: str) -> Any:
    """Take the provider's answer: verify it, find the account, sign in; or refuse."""
    import requests

    from hubhome.accounts.views import finish_login

    client, provider = _provider(name)
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if provider.claim not in claims:
            extra = client.userinfo(token=token)
            if extra.get("sub") != claims.get("sub"):
                raise ValueError("userinfo is about someone else")
            claims.update(extra)
    except requests.RequestException:
        log.warning("the %s identity provider did not answer", name)
        return _unavailable(provider)
    except _protocol_errors() as exc:
        log.info("refused an answer from the %s identity provider: %s", name, type(exc).__name__)
        return _refused(provider, "protocol")
    value = claims.get(provider.claim)
    user = None
    if isinstance(value, str) and value:
        if name == "staff":
            user = services.staff_for_email(db.session, value)
        else:
            user = services.carer_for_personnummer(db.session, value)
    if user is None:
        return _refused(provider, "unknown_identity")
    return finish_login(user, method=f"oidc:{name}")


def _refused(provider: IdentityProvider, reason: str) -> Any:
    record_regardless(
        None, "auth.login_failed", detail={"provider": provider.name, "reason": reason}
    )
    return render_template("accounts/oidc_refused.html", provider=provider, reason=reason), 403


def _unavailable(provider: IdentityProvider) -> Any:
    return render_template("accounts/oidc_unavailable.html", provider=provider), 503


def login_links() -> list[IdentityProvider]:
    """The providers to offer on the sign-in page, the family one first."""
    found = current_app.extensions.get(EXTENSION)
    return list(found.values()) if found else []
