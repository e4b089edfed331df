"""Phone numbers people can tap: a `tel:` link with the number written the Swedish way."""

from __future__ import annotations

from markupsafe import Markup, escape

from hubhome.phones import display_phone


def tel_link(e164: str | None) -> Markup:
    """Link a stored (E.164) number for calling from a phone; empty when there is none."""
    if not e164:
        return Markup("")
    shown = display_phone(e164)
    return Markup('<a href="tel:{}">{}</a>').format(escape(e164.replace(" ", "")), shown)
