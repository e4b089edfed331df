"""Home-page panels: each area registers what its users need to see today."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hubhome.accounts.models import Role, User


@dataclass(frozen=True)
class Panel:
    template: str
    roles: frozenset[Role]
    context: Callable[[User], dict[str, Any] | None]  # None hides the panel
    order: int


_panels: list[Panel] = []


def register(
    template: str,
    roles: Iterable[Role],
    context: Callable[[User], dict[str, Any] | None],
    order: int = 50,
) -> None:
    """Add a panel rendered from `template` with `context(user)` on the home page."""
    if all(p.template != template for p in _panels):
        _panels.append(Panel(template, frozenset(roles), context, order))
        _panels.sort(key=lambda p: p.order)


def panels_for(user: User) -> list[tuple[str, dict[str, Any]]]:
    """Return (template, context) for each panel `user` should see now."""
    shown = []
    for panel in _panels:
        if user.role in panel.roles:
            context = panel.context(user)
            if context is not None:
                shown.append((panel.template, context))
    return shown
