"""Template helpers: labels for enums, masking and the menu."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hubhome import nav
from hubhome.accounts.models import Role
from hubhome.children.personnummer import mask
from hubhome.phones import display_phone

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SOCIAL_WORKER: _l("Social worker"),
    Role.HUB_CARER: _l("Hub carer"),
    Role.FOSTER_CARER: _l("Foster carer"),
    Role.ONCALL_STAFF: _l("On-call staff"),
    Role.LOG_REVIEWER: _l("Log reviewer"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


def init_templating(app: Flask) -> None:
    from hubhome.accounts.forms import LanguageForm

    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["phone"] = display_phone
    app.jinja_env.filters["mask_pnr"] = mask

    @app.context_processor
    def inject_layout() -> dict[str, Any]:
        items = nav.items_for(current_user) if current_user.is_authenticated else []
        return {"nav_items": items, "language_form": LanguageForm(prefix="lang")}
