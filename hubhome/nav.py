"""The main menu: each area adds its entries, with the roles that see them, in its init_app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask
from flask_babel import LazyString

from hubhome.accounts.models import Role, User
from hubhome.registry import Registry


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString
    roles: frozenset[Role]
    order: int


menu: Registry[NavItem] = Registry("nav", key=lambda item: item.endpoint)


def add(
    app: Flask, endpoint: str, label: LazyString, roles: Iterable[Role], order: int = 50
) -> None:
    """Add a menu entry (one per endpoint), shown in `order` to users with one of `roles`."""
    menu.add(app, NavItem(endpoint, label, frozenset(roles), order))


def items_for(user: User) -> list[NavItem]:
    """The current application's menu entries `user` sees, in order."""
    from hubhome.permissions import may_open

    shown = (i for i in menu.items() if user.role in i.roles and may_open(user, i.endpoint))
    return sorted(shown, key=lambda i: i.order)
