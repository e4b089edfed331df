"""Charts drawn on the server as SVG: no script, no CDN, readable from 360 px up.

Each chart is a picture of a table the page also shows (for screen readers and for the
numbers themselves): the SVG is `aria-hidden`, its axes, months and numbers are in the
user's language, and series differ by pattern as well as colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from hubhome.display.dates import format_number

WIDTH, HEIGHT = 400, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 34
COLOURS = ("#1d5f3a", "#b4461b", "#0b4f9c", "#6f3f8f")  # 4.5:1 or more on white
DASHES = ("", "6 3", "2 3", "10 3 2 3")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


def _ticks(top: float) -> list[float]:
    """About four round steps from 0 to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = max(1.0, next(m * power for m in (1, 2, 5, 10) if m * power >= raw))  # counts
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _number(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def _frame(ticks: list[float], x_labels: Sequence[str], y_label: str) -> list[str]:
    top = ticks[-1]
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / top
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>'
        )
    step = (WIDTH - LEFT - RIGHT) / max(1, len(x_labels))
    every = max(1, math.ceil(len(x_labels) / 6))  # at most six labels: room on a phone
    for i, label in enumerate(x_labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append(
        f'<text x="4" y="{TOP - 2}" class="axis-label">{escape(y_label)}</text>' if y_label else ""
    )
    return parts


def _svg(parts: list[str]) -> Markup:
    body = "".join(parts)
    # Every text in `parts` went through escape(); the rest is numbers and fixed markup.
    return Markup(  # noqa: S704
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" '
        f'focusable="false" preserveAspectRatio="xMidYMid meet">{body}</svg>'
    )


def legend(series: Sequence[Series], bars: bool = False) -> Markup:
    """The series' names beside a sample of their line or fill (HTML: it wraps on a phone)."""
    items = []
    for i, s in enumerate(series):
        sample = (
            f'<rect width="14" height="14" fill="{COLOURS[i % 4]}"/>'
            if bars
            else f'<line x1="0" x2="28" y1="7" y2="7" stroke="{COLOURS[i % 4]}" '
            f'stroke-width="3" stroke-dasharray="{DASHES[i % 4]}"/>'
        )
        swatch = f'<svg width="28" height="14" aria-hidden="true" focusable="false">{sample}</svg>'

        items.append(f"<li>{swatch} {escape(s.label)}</li>")
    return Markup(f'<ul class="chart-legend">{"".join(items)}</ul>')  # noqa: S704 (escaped)


def line_chart(x_labels: Sequence[str], series: Sequence[Series], y_label: str = "") -> Markup:
    """Lines over months (or days); one scale, starting at zero."""
    ticks = _ticks(max((v for s in series for v in s.values), default=0))
    plot_h, top = HEIGHT - TOP - BOTTOM, ticks[-1]
    step = (WIDTH - LEFT - RIGHT) / max(1, len(x_labels))
    parts = _frame(ticks, x_labels, y_label)
    for i, s in enumerate(series):
        points = " ".join(
            f"{LEFT + step * (n + 0.5):.1f},{TOP + plot_h - plot_h * v / top:.1f}"
            for n, v in enumerate(s.values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOURS[i % 4]}" '
            f'stroke-width="2.5" stroke-dasharray="{DASHES[i % 4]}"/>'
        )
    return _svg(parts)


def stacked_bars(x_labels: Sequence[str], series: Sequence[Series], y_label: str = "") -> Markup:
    """Bars made of the series stacked, one bar per label (e.g. planned + emergency nights)."""
    totals = [sum(s.values[n] for s in series) for n in range(len(x_labels))]
    ticks = _ticks(max(totals, default=0))
    plot_h, top = HEIGHT - TOP - BOTTOM, ticks[-1]
    step = (WIDTH - LEFT - RIGHT) / max(1, len(x_labels))
    parts = _frame(ticks, x_labels, y_label)
    patterns = ("", ' class="hatched"')
    for n in range(len(x_labels)):
        base = 0.0
        for i, s in enumerate(series):
            value = s.values[n]
            if value <= 0:
                continue
            y0 = TOP + plot_h - plot_h * (base + value) / top
            height = plot_h * value / top
            parts.append(
                f'<rect x="{LEFT + step * n + step * 0.15:.1f}" y="{y0:.1f}" '
                f'width="{step * 0.7:.1f}" height="{height:.1f}" fill="{COLOURS[i % 4]}"'
                f"{patterns[i % 2]}/>"
            )
            base += value
    return _svg(parts)


def heat_map(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    shares: Sequence[Sequence[float | None]],
) -> Markup:
    """A grid of cells shaded by a share 0–1 (None: no beds), e.g. weekdays × weeks."""
    cell_w = (WIDTH - LEFT - RIGHT) / max(1, len(column_labels))
    cell_h = (HEIGHT - TOP - BOTTOM) / max(1, len(row_labels))
    parts = []
    for r, label in enumerate(row_labels):
        y = TOP + cell_h * r
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for c, share in enumerate(shares[r]):
            x = LEFT + cell_w * c
            shade = "#e8e8e8" if share is None else _shade(share)
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_w - 2:.1f}" '
                f'height="{cell_h - 2:.1f}" fill="{shade}"/>'
            )
    every = max(1, math.ceil(len(column_labels) / 6))
    for c, label in enumerate(column_labels):
        if c % every == 0:
            parts.append(
                f'<text x="{LEFT + cell_w * (c + 0.5):.1f}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(parts)


def _shade(share: float) -> str:
    """White to the accent green: a full hub is the darkest."""
    share = max(0.0, min(1.0, share))
    start, end = (255, 255, 255), (29, 95, 58)
    r, g, b = (round(a + (z - a) * share) for a, z in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def shade_scale(steps: Sequence[float] = (0.0, 0.5, 1.0)) -> Markup:
    """The heat map's key: a few shades with their share."""
    items = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true" focusable="false">'
        f'<rect width="14" height="14" fill="{_shade(s)}" stroke="#767676"/></svg> '
        f"{format_number(s * 100, 0)} %</li>"
        for s in steps
    )
    return Markup(f'<ul class="chart-legend">{items}</ul>')  # noqa: S704 (numbers only)
