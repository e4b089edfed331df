"""The main menu: each area registers its entries with the roles that see them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import LazyString

from hubhome.accounts.models import Role, User


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString
    roles: frozenset[Role]
    order: int


_items: list[NavItem] = []


def add(endpoint: str, label: LazyString, roles: Iterable[Role], order: int = 50) -> None:
    """Register a menu entry (idempotent, so re-imports do not duplicate it)."""
    item = NavItem(endpoint, label, frozenset(roles), order)
    if all(existing.endpoint != endpoint for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def items_for(user: User) -> list[NavItem]:
    return [item for item in _items if user.role in item.roles]
