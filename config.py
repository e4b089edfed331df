"""Hubhome configuration: every setting, its type and its default, read from HUBHOME_* variables.

Defaults are safe for the demo. Production (``HUBHOME_ENV=production``) refuses to start
without a secret key, a database URL, a field-encryption key and Twilio credentials.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


class ConfigError(RuntimeError):
    """Raised when the configuration cannot run Hubhome safely."""


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"not a boolean: {value!r}")


@dataclass(frozen=True)
class Settings:
    """Typed settings; field names map to HUBHOME_<NAME> unless listed in ENV_ALIASES."""

    env: str = "development"
    secret_key: str = ""
    database_url: str = ""
    field_key: str = ""
    redis_url: str = ""
    public_url: str = "http://127.0.0.1:5000"
    require_mfa: bool = True
    session_idle_minutes: int = 60
    session_max_hours: int = 12
    secure_cookies: bool = False
    default_locale: str = "sv"
    timezone: str = "Europe/Stockholm"
    login_rate_limit: str = "30 per 10 minutes"  # refused sign-ins per address
    proxy_hops: int = -1  # reverse proxies in front (X-Forwarded-For); -1: not said
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    api_token_hours: int = 12
    sms_backend: str = "console"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_auth_token_secondary: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_from_number: str = ""
    twilio_timeout: float = 10.0
    twilio_api_base: str = ""
    outbox_reconcile_seconds: float = 60.0
    outbox_backoff_seconds: float = 60.0
    fallback_number: str = ""
    phone_deadline_seconds: float = 2.0
    log_review_sample_size: int = 25  # reads drawn at random for each monthly access review
    log_review_heavy_factor: float = 3.0  # a heavy reader reads more than this × the median
    log_review_heavy_minimum: int = 50  # … and at least this many reads in the month
    phone_spool_dir: str = ""
    phone_reconcile_hours: int = 24
    phone_simulator: bool = False
    recordings_dir: str = ""  # call recordings kept in Hubhome (default: instance/recordings)
    recordings_s3_bucket: str = ""  # or an S3-compatible bucket (needs boto3)
    recordings_s3_endpoint: str = ""  # the bucket's endpoint URL (an EU provider, MinIO, ...)
    recordings_max_bytes: int = 50_000_000
    db_connect_timeout: int = 2
    db_statement_timeout_ms: int = 30_000
    db_pool_recycle_seconds: int = 1800
    oidc_staff_issuer: str = ""
    oidc_staff_client_id: str = ""
    oidc_staff_client_secret: str = ""
    oidc_staff_claim: str = "email"
    oidc_staff_label: str = ""
    oidc_family_issuer: str = ""
    oidc_family_client_id: str = ""
    oidc_family_client_secret: str = ""
    oidc_family_claim: str = "personal_identity_number"
    oidc_family_label: str = ""
    oidc_timeout: float = 10.0
    smtp_url: str = ""
    smtp_timeout: float = 10.0
    mail_from: str = "hubhome@localhost"
    log_level: str = "INFO"
    vapid_public_key: str = ""  # Web Push: the application server key (base64url, uncompressed)
    vapid_private_key: str = ""  # base64url of the raw or DER private key
    vapid_subject: str = "mailto:hubhome@localhost"
    push_timeout: float = 10.0  # seconds for one request to a push service
    count_queries: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from the environment, converting each value to its field's type."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = environ.get(ENV_ALIASES.get(field.name, f"HUBHOME_{field.name.upper()}"))
            if raw is None:
                continue
            kind = field.type
            if kind == "bool":
                values[field.name] = _bool(raw)
            elif kind == "int":
                try:
                    values[field.name] = int(raw)
                except ValueError as exc:
                    raise ConfigError(f"{field.name} must be an integer, got {raw!r}") from exc
            elif kind == "float":
                try:
                    values[field.name] = float(raw)
                except ValueError as exc:
                    raise ConfigError(f"{field.name} must be a number, got {raw!r}") from exc
            else:
                values[field.name] = raw
        return cls(**values)

    def check(self) -> None:
        """Refuse configurations that would be unsafe in production."""
        if self.env != "production":
            return
        missing = [
            name
            for name in ("secret_key", "database_url", "field_key", "twilio_auth_token")
            if not getattr(self, name)
        ]
        if self.sms_backend == "twilio" and not self.twilio_account_sid:
            missing.append("twilio_account_sid")
        if missing:
            names = ", ".join(ENV_ALIASES.get(n, f"HUBHOME_{n.upper()}") for n in missing)
            raise ConfigError(f"production needs these settings: {names}")
        if len(self.secret_key) < 32:
            raise ConfigError("HUBHOME_SECRET_KEY must be at least 32 characters in production")
        if self.phone_simulator:
            raise ConfigError("the phone simulator must be off in production")
        if self.twilio_api_base:
            raise ConfigError("HUBHOME_TWILIO_API_BASE is for tests and staging, not production")
        if self.outbox_reconcile_seconds <= self.twilio_timeout:
            raise ConfigError(
                "HUBHOME_OUTBOX_RECONCILE_SECONDS must be longer than HUBHOME_TWILIO_TIMEOUT"
            )
        if not self.secure_cookies:
            raise ConfigError("production needs HUBHOME_SECURE_COOKIES=1 (cookies over HTTPS only)")
        if self.sms_backend != "twilio":
            raise ConfigError("production needs HUBHOME_SMS_BACKEND=twilio (a real SMS backend)")
        if not self.redis_url:
            raise ConfigError("production needs HUBHOME_REDIS_URL (shared rate limits)")
        if self.proxy_hops < 0:
            raise ConfigError(
                "production needs HUBHOME_PROXY_HOPS: the number of reverse proxies in front "
                "(0 when none)"
            )
        if self.log_level.upper() == "DEBUG":
            raise ConfigError("HUBHOME_LOG_LEVEL=DEBUG may log personal data; not in production")

    def flask_config(self) -> dict[str, Any]:
        """Translate settings into the Flask and extension configuration keys."""
        from datetime import timedelta

        return {
            "HUBHOME": self,
            "SECRET_KEY": self.secret_key or "dev-only-not-secret",
            "SQLALCHEMY_DATABASE_URI": self.database_url or "sqlite:///hubhome.sqlite",
            "SQLALCHEMY_ENGINE_OPTIONS": self.engine_options(),
            "PERMANENT_SESSION_LIFETIME": timedelta(hours=self.session_max_hours),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_DEFAULT_TIMEZONE": self.timezone,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            # Redis is an accelerator, not a single point of failure: when it cannot be
            # reached within half a second, limits are counted in this process's memory
            # until it answers again (Flask-Limiter checks it with exponential backoff).
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
            "RATELIMIT_STORAGE_OPTIONS": (
                {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if self.redis_url else {}
            ),
            "RATELIMIT_HEADERS_ENABLED": True,
            "API_TITLE": "Hubhome API",
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.0.3",
            "OPENAPI_URL_PREFIX": "/api/v1",
            "OPENAPI_JSON_PATH": "openapi.json",
        }

    def engine_options(self) -> dict[str, Any]:
        """SQLAlchemy engine options: on PostgreSQL, bounded connecting and statements.

        `connect_timeout` bounds opening a connection (libpq counts whole seconds, at least
        2); `statement_timeout` bounds a statement the server runs. Neither bounds a
        statement on a connection that has stalled, whose query the server never sees: a
        view under `hubhome.deadline.answer_within` is bounded by its deadline instead.

        No `pool_pre_ping`: it cost every request a `SELECT 1` round trip (and a rollback).
        A connection is instead replaced after `pool_recycle` seconds (before any firewall
        or server idle limit drops it), and one the server has closed while it sat in the
        pool is found without a round trip when it is checked out (`hubhome.pool`).
        """
        options: dict[str, Any] = {"pool_recycle": self.db_pool_recycle_seconds}
        if not self.database_url.startswith("postgresql"):
            return options
        from sqlalchemy.engine import make_url

        connect_args: dict[str, Any] = {}
        if self.db_connect_timeout > 0:
            connect_args["connect_timeout"] = self.db_connect_timeout
        if self.db_statement_timeout_ms > 0:
            given = make_url(self.database_url).query.get("options")
            server_options = [given] if isinstance(given, str) else list(given or ())
            server_options.append(f"-c statement_timeout={self.db_statement_timeout_ms}")
            connect_args["options"] = " ".join(server_options)
        options["connect_args"] = connect_args
        return options


ENV_ALIASES = {
    "twilio_account_sid": "TWILIO_ACCOUNT_SID",
    "twilio_auth_token": "TWILIO_AUTH_TOKEN",
    "twilio_auth_token_secondary": "TWILIO_AUTH_TOKEN_SECONDARY",
    "twilio_messaging_service_sid": "TWILIO_MESSAGING_SERVICE_SID",
    "twilio_from_number": "TWILIO_FROM_NUMBER",
}


def describe(settings: Settings) -> dict[str, Any]:
    """Return the settings with secrets masked, for `hubhome config` and logs."""
    secret = {
        "secret_key",
        "field_key",
        "twilio_auth_token",
        "twilio_auth_token_secondary",
        "oidc_staff_client_secret",
        "oidc_family_client_secret",
        "smtp_url",
    }
    return {k: ("***" if k in secret and v else v) for k, v in asdict(settings).items()}
