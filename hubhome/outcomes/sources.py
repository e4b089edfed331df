"""Constellation health figures supplied by other areas (meetings, advice, calls, voicemail).

An area adds `fn(session, constellation_ids, start, end) -> {constellation_id: [HealthFigure]}`
covering the period [start, end] in its init_app; it must run a constant number of queries.
The health page shows whatever is added and says plainly when a figure is not connected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app

from hubhome.db import DbSession
from hubhome.registry import Registry


@dataclass(frozen=True)
class HealthFigure:
    key: str  # stable, e.g. "advice.sleep" or "calls.night"; figures with one key add up
    label: str  # already translated
    value: int
    group: str = ""  # e.g. "Advice contacts by topic"; shown as a heading
    concern: bool = False  # e.g. "Monthly meeting not held", open voicemails
    # What the sum over constellations is called, where that is not the same thing: twelve
    # months without a meeting in each of two constellations are 24 constellation-months.
    total_label: str = ""


HealthSource = Callable[[DbSession, Sequence[int], date, date], dict[int, list[HealthFigure]]]

health_sources: Registry[HealthSource] = Registry("health_sources")


def register_health_source(fn: HealthSource, app: Flask | None = None) -> HealthSource:
    """Add a source of constellation health figures to `app` (the current one by default)."""
    return health_sources.add(app or current_app, fn)


def unregister_health_source(fn: HealthSource, app: Flask | None = None) -> None:
    health_sources.remove(app or current_app, fn)


def has_sources() -> bool:
    return bool(health_sources.items())


def figures_for(
    session: DbSession, constellation_ids: Sequence[int], start: date, end: date
) -> dict[int, list[HealthFigure]]:
    merged: dict[int, list[HealthFigure]] = {}
    for source in health_sources.items():
        for constellation_id, figures in source(session, constellation_ids, start, end).items():
            merged.setdefault(constellation_id, []).extend(figures)
    return merged


def totals(per_constellation: dict[int, list[HealthFigure]]) -> list[HealthFigure]:
    """Add up figures with the same key across constellations (for the organisation)."""
    summed: dict[str, HealthFigure] = {}
    for figures in per_constellation.values():
        for f in figures:
            seen = summed.get(f.key)
            label = f.total_label or f.label
            value = f.value + (seen.value if seen else 0)
            summed[f.key] = HealthFigure(f.key, label, value, f.group, f.concern)
    return sorted(summed.values(), key=lambda f: (f.group, f.label))
