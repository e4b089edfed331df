"""Configuration: typed settings from the environment; production refuses unsafe set-ups."""

from __future__ import annotations

import pytest

from config import ConfigError, Settings, describe
from hubhome import create_app

GOOD_PRODUCTION = {
    "HUBHOME_ENV": "production",
    "HUBHOME_SECRET_KEY": "s" * 48,
    "HUBHOME_DATABASE_URL": "postgresql+psycopg://hubhome@db/hubhome",
    "HUBHOME_FIELD_KEY": "t7yS2lV2dE4nZ0Sg3z2m8P7Jd3cV1o8W9QxkPp5YB0U=",
    "TWILIO_AUTH_TOKEN": "twilio-token",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
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
        {"HUBHOME_REQUIRE_MFA": "off", "HUBHOME_SESSION_MINUTES": "45", "HUBHOME_ENV": "demo"}
    )
    assert settings.require_mfa is False
    assert settings.session_minutes == 45
    with pytest.raises(ConfigError):
        Settings.from_env({"HUBHOME_SESSION_MINUTES": "half an hour"})
    with pytest.raises(ConfigError):
        Settings.from_env({"HUBHOME_REQUIRE_MFA": "perhaps"})


def test_describe_masks_secrets():
    shown = describe(Settings.from_env(GOOD_PRODUCTION))
    assert shown["secret_key"] == "***"
    assert shown["field_key"] == "***"
    assert shown["twilio_auth_token"] == "***"
    assert shown["database_url"].startswith("postgresql")
