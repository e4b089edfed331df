"""Configuration: typed settings from the environment; production refuses unsafe set-ups."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from config import ConfigError, Settings, describe
from hubhome import create_app
from hubhome.extensions import db
from tests.conftest import is_postgres

GOOD_PRODUCTION = {
    "HUBHOME_ENV": "production",
    "HUBHOME_SECRET_KEY": "s" * 48,
    "HUBHOME_DATABASE_URL": "postgresql+psycopg://hubhome@db/hubhome",
    "HUBHOME_FIELD_KEY": "t7yS2lV2dE4nZ0Sg3z2m8P7Jd3cV1o8W9QxkPp5YB0U=",
    "TWILIO_AUTH_TOKEN": "twilio-token",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "HUBHOME_SECURE_COOKIES": "1",
    "HUBHOME_SMS_BACKEND": "twilio",
    "HUBHOME_REDIS_URL": "redis://cache:6379/0",
    "HUBHOME_PROXY_HOPS": "1",
}


def test_a_complete_production_configuration_is_accepted():
    Settings.from_env(GOOD_PRODUCTION).check()


@pytest.mark.parametrize(
    "missing",
    ["HUBHOME_SECRET_KEY", "HUBHOME_DATABASE_URL", "HUBHOME_FIELD_KEY", "TWILIO_AUTH_TOKEN"],
)
def test_production_refuses_to_start_without(missing):
    environ = {k: v for k, v in GOOD_PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        create_app(Settings.from_env(environ))


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("HUBHOME_SECURE_COOKIES", "0"),
        ("HUBHOME_SMS_BACKEND", "console"),
        ("HUBHOME_REDIS_URL", ""),
        ("HUBHOME_PROXY_HOPS", None),
        ("HUBHOME_LOG_LEVEL", "DEBUG"),
    ],
)
def test_production_refuses_to_start_with_an_insecure(setting, value):
    environ = {k: v for k, v in GOOD_PRODUCTION.items() if k != setting}
    if value is not None:
        environ[setting] = value
    with pytest.raises(ConfigError, match=setting):
        create_app(Settings.from_env(environ))


def test_production_accepts_no_proxy_when_said_so():
    Settings.from_env({**GOOD_PRODUCTION, "HUBHOME_PROXY_HOPS": "0"}).check()


def test_production_refuses_a_short_secret_key():
    with pytest.raises(ConfigError, match="HUBHOME_SECRET_KEY"):
        Settings.from_env({**GOOD_PRODUCTION, "HUBHOME_SECRET_KEY": "short"}).check()


def test_production_refuses_the_phone_simulator():
    with pytest.raises(ConfigError, match="simulator"):
        Settings.from_env({**GOOD_PRODUCTION, "HUBHOME_PHONE_SIMULATOR": "1"}).check()


def test_production_with_twilio_sms_needs_the_account_sid():
    environ = {k: v for k, v in GOOD_PRODUCTION.items() if k != "TWILIO_ACCOUNT_SID"}
    with pytest.raises(ConfigError, match="TWILIO_ACCOUNT_SID"):
        Settings.from_env({**environ, "HUBHOME_SMS_BACKEND": "twilio"}).check()


def test_development_starts_with_safe_defaults():
    settings = Settings.from_env({})
    settings.check()
    assert settings.require_mfa is True
    assert settings.default_locale == "sv"
    assert settings.timezone == "Europe/Stockholm"


def test_values_are_typed():
    settings = Settings.from_env(
        {"HUBHOME_REQUIRE_MFA": "off", "HUBHOME_SESSION_IDLE_MINUTES": "45", "HUBHOME_ENV": "demo"}
    )
    assert settings.require_mfa is False
    assert settings.session_idle_minutes == 45
    with pytest.raises(ConfigError):
        Settings.from_env({"HUBHOME_SESSION_IDLE_MINUTES": "half an hour"})
    with pytest.raises(ConfigError):
        Settings.from_env({"HUBHOME_REQUIRE_MFA": "perhaps"})


def test_describe_masks_secrets():
    shown = describe(Settings.from_env(GOOD_PRODUCTION))
    assert shown["secret_key"] == "***"
    assert shown["field_key"] == "***"
    assert shown["twilio_auth_token"] == "***"
    assert shown["database_url"].startswith("postgresql")


def test_production_refuses_a_fake_twilio():
    with pytest.raises(ConfigError, match="HUBHOME_TWILIO_API_BASE"):
        Settings.from_env({**GOOD_PRODUCTION, "HUBHOME_TWILIO_API_BASE": "http://x"}).check()


def test_numbers_may_have_decimals():
    assert Settings.from_env({"HUBHOME_TWILIO_TIMEOUT": "2.5"}).twilio_timeout == 2.5
    with pytest.raises(ConfigError, match="twilio_timeout"):
        Settings.from_env({"HUBHOME_TWILIO_TIMEOUT": "soon"})


def test_postgresql_connections_and_statements_are_bounded():
    settings = Settings.from_env({"HUBHOME_DATABASE_URL": "postgresql+psycopg://h@db/hubhome"})
    assert settings.engine_options() == {
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": 2, "options": "-c statement_timeout=30000"},
    }
    given = Settings.from_env(
        {
            "HUBHOME_DATABASE_URL": "postgresql+psycopg://h@db/hubhome?options=-c%20work_mem%3D8MB",
            "HUBHOME_DB_CONNECT_TIMEOUT": "5",
            "HUBHOME_DB_STATEMENT_TIMEOUT_MS": "1500",
        }
    )
    assert given.engine_options()["connect_args"] == {
        "connect_timeout": 5,
        "options": "-c work_mem=8MB -c statement_timeout=1500",
    }
    unbounded = Settings.from_env(
        {
            "HUBHOME_DATABASE_URL": "postgresql+psycopg://h@db/hubhome",
            "HUBHOME_DB_CONNECT_TIMEOUT": "0",
            "HUBHOME_DB_STATEMENT_TIMEOUT_MS": "0",
        }
    )
    assert unbounded.engine_options()["connect_args"] == {}
    assert Settings.from_env({}).engine_options() == {"pool_recycle": 1800}  # SQLite
    recycled = Settings.from_env({"HUBHOME_DB_POOL_RECYCLE_SECONDS": "600"}).engine_options()
    assert recycled["pool_recycle"] == 600


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="a PostgreSQL server setting")
def test_the_statement_timeout_is_in_force_on_postgresql(app):
    assert db.session.execute(text("SHOW statement_timeout")).scalar() == "30s"


def test_the_twilio_transport_has_a_timeout_and_may_be_sent_elsewhere(app):
    from hubhome.telephony.client import TwilioTransport, rebase, twilio_client

    base = "http://127.0.0.1:5299/fake"
    api = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"
    assert rebase(api, base) == "http://127.0.0.1:5299/fake/2010-04-01/Accounts/AC1/Messages.json"
    assert rebase("https://messaging.twilio.com/v1/Services", base).endswith("/fake/v1/Services")
    assert rebase("https://example.com/x?y=1", base) == "https://example.com/x?y=1"
    other = dataclasses.replace(app.config["HUBHOME"], twilio_timeout=3.5, twilio_api_base=base)
    app.config["HUBHOME"] = other
    transport = twilio_client().http_client
    assert isinstance(transport, TwilioTransport)
    assert (transport.timeout, transport.api_base) == (3.5, base)


def test_production_refuses_a_reconcile_wait_within_the_twilio_timeout():
    environ = {**GOOD_PRODUCTION, "HUBHOME_OUTBOX_RECONCILE_SECONDS": "10"}
    with pytest.raises(ConfigError, match="HUBHOME_OUTBOX_RECONCILE_SECONDS"):
        Settings.from_env(environ).check()


def test_redis_is_optional_for_the_rate_limits():
    with_redis = Settings.from_env({"HUBHOME_REDIS_URL": "redis://127.0.0.1:1/0"}).flask_config()
    assert with_redis["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert with_redis["RATELIMIT_STORAGE_OPTIONS"]["socket_connect_timeout"] <= 1
