"""Swedish personal identity numbers: validated with python-stdnum, stored whole, shown masked."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer as pnr


class InvalidPersonnummer(ValueError):
    """The text is not a valid personnummer (or samordningsnummer)."""


def normalize_personnummer(raw: str) -> str:
    """Return the number as twelve digits (YYYYMMDDNNNN), or raise with a translated message."""
    text = raw.strip().replace(" ", "")
    try:
        compact = pnr.validate(text)
    except ValidationError as exc:
        raise InvalidPersonnummer(
            _("That is not a valid personnummer. Check the date and the last four digits.")
        ) from exc
    if len(compact) == 10 or len(compact) == 11:
        birth = pnr.get_birth_date(compact)
        digits = compact.replace("-", "").replace("+", "")
        return f"{birth.year:04d}{digits[2:]}"
    return compact.replace("-", "").replace("+", "")


def birth_date_of(number: str) -> date:
    """Return the birth date in a normalised number (samordningsnummer day minus 60)."""
    day = int(number[6:8])
    if day > 60:
        day -= 60
    return date(int(number[0:4]), int(number[4:6]), day)


def mask(number: str | None) -> str:
    """Show the date part only: 20150314-****."""
    if not number:
        return ""
    return f"{number[:8]}-****"
