"""Phone numbers: parsed with libphonenumber, stored in E.164, masked in logs."""

from __future__ import annotations

import phonenumbers
from flask_babel import gettext as _


class InvalidPhone(ValueError):
    """The text is not a phone number we can dial."""


def normalize_phone(raw: str, region: str = "SE") -> str:
    """Return `raw` in E.164 (+46701234567), or raise InvalidPhone with a translated message."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(_("Enter a phone number, for example 070-123 45 67.")) from exc
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise InvalidPhone(_("That is not a valid phone number. Check the digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    """Format a stored number the way Swedes write it."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 46
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def mask_phone(e164: str | None) -> str:
    """Keep only the last two digits, for logs and audit details."""
    if not e164:
        return ""
    return "***" + e164[-2:]
