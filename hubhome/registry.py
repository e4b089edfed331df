"""What the areas contribute to the application and to each other, kept per application.

Each area's `init_app(app)` adds its part (menu entries, home panels, calendar events,
caseload notes, health figures, retention rules, jobs) to a `Registry`; the owner of the
registry reads it for the current application. Nothing registers itself when imported, so
one process can build apps with different areas, and a test can add and remove a part.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")


class Registry(Generic[T]):
    """Contributions of one kind, in the order the areas added them."""

    def __init__(self, name: str, key: Callable[[T], Hashable] | None = None) -> None:
        self.name = f"hubhome.{name}"
        self.key = key

    def add(self, app: Flask, item: T) -> T:
        """Add a contribution; adding one again (by its key) replaces it in its place."""
        items: list[T] = app.extensions.setdefault(self.name, [])
        same = [i for i, old in enumerate(items) if self._same(old, item)]
        if same:
            items[same[0]] = item
        else:
            items.append(item)
        return item

    def remove(self, app: Flask, item: T) -> None:
        items: list[T] = app.extensions.get(self.name, [])
        items[:] = [old for old in items if not self._same(old, item)]

    def items(self, app: Flask | None = None) -> list[T]:
        """The contributions to `app` (the current application by default)."""
        target = app if app is not None else current_app
        return list(target.extensions.get(self.name, ()))

    def _same(self, old: T, new: T) -> bool:
        return self.key(old) == self.key(new) if self.key is not None else old == new
