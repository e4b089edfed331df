"""Home-page panels: each area adds, in its init_app, what its users need to see today."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from hubhome.accounts.models import Role, User
from hubhome.registry import Registry


@dataclass(frozen=True)
class Panel:
    template: str
    roles: frozenset[Role]
    context: Callable[[User], dict[str, Any] | None]  # None hides the panel
    order: int


home_panels: Registry[Panel] = Registry("home_panels", key=lambda panel: panel.template)


def register(
    app: Flask,
    template: str,
    roles: Iterable[Role],
    context: Callable[[User], dict[str, Any] | None],
    order: int = 50,
) -> None:
    """Add a panel rendered from `template` with `context(user)` on the home page."""
    home_panels.add(app, Panel(template, frozenset(roles), context, order))


def panels_for(user: User) -> list[tuple[str, dict[str, Any]]]:
    """Return (template, context) for each panel `user` should see now, in order."""
    shown = []
    for panel in sorted(home_panels.items(), key=lambda p: p.order):
        if user.role in panel.roles:
            context = panel.context(user)
            if context is not None:
                shown.append((panel.template, context))
    return shown
