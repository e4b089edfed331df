"""The outcomes page's charts: what they show, built from the same figures as its tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from hubhome.db import DbSession
from hubhome.display import charts
from hubhome.display.dates import format_day
from hubhome.network.models import Constellation
from hubhome.outcomes.models import ConstellationSnapshot
from hubhome.outcomes.queries import TrendRow

WEEKS = 13  # the occupancy map: the last quarter, week by week
DAY_STARTS, NIGHT_STARTS = 8, 20  # as the phone figures count day and night calls


def percents() -> Callable[[float | None], str]:
    """The page's share formatter: "45,7 %", or "no beds" for None.

    Flask-Babel's `percentformat` looks up the locale and parses its pattern on every call;
    the largest organisation's page shows some 2,800 shares (a week's mean per hub).
    """
    from babel.numbers import parse_pattern
    from flask_babel import get_locale

    locale, pattern, none = get_locale(), parse_pattern("0.0 %"), _("no beds")

    def percent(share: float | None) -> str:
        return none if share is None else pattern.apply(share, locale)

    return percent


def month_label(month: date) -> str:
    """A month on an axis: "jan. 2026" in Swedish, "Jan 2026" in English."""
    return format_day(month, "LLL y")


def trend_charts(trend: Sequence[TrendRow]) -> dict[str, Markup]:
    """Children and families on one scale, respite nights on their own (stacked by kind)."""
    months = [format_day(t.month, "LLL") for t in trend]  # the table names the year
    people = [
        charts.Series(_("Children placed (mean)"), [t.children_placed for t in trend]),
        charts.Series(_("Satellites active (mean)"), [t.satellites_active for t in trend]),
    ]
    nights = [
        charts.Series(_("Planned respite nights"), [t.planned_nights for t in trend]),
        charts.Series(_("Emergency respite nights"), [t.emergency_nights for t in trend]),
    ]
    return {
        "people": charts.line_chart(months, people),
        "people_legend": charts.legend(people),
        "nights": charts.stacked_bars(months, nights),
        "nights_legend": charts.legend(nights, bars=True),
    }


@dataclass
class OccupancyMap:
    name: str
    weeks: list[date]  # each week's Monday
    shares: list[list[float | None]] = field(default_factory=list)  # weekday × week
    # The axes' labels, the same for every hub's map: formatted once per page, not per map.
    labels: tuple[list[str], list[str]] | None = None

    def chart(self) -> Markup:
        weekdays, columns = self.labels or _axis_labels(self.weeks)
        return charts.heat_map(weekdays, columns, self.shares)

    def mean(self, week: int) -> float | None:
        known = [row[week] for row in self.shares if row[week] is not None]
        return sum(known) / len(known) if known else None  # type: ignore[arg-type]


def occupancy_maps(
    session: DbSession, constellations: Sequence[Constellation], last: date
) -> list[OccupancyMap]:
    """Each hub's bed occupancy night by night over the last weeks, from the snapshots."""
    end = last - timedelta(days=last.weekday()) + timedelta(days=6)  # the Sunday of `last`
    start = end - timedelta(days=7 * WEEKS - 1)
    weeks = [start + timedelta(days=7 * w) for w in range(WEEKS)]
    s = ConstellationSnapshot
    rows = session.execute(
        select(s.constellation_id, s.day, s.hub_beds, s.planned_nights, s.emergency_nights).where(
            s.constellation_id.in_([c.id for c in constellations]),
            s.day >= start,
            s.day <= end,
        )
    ).all()
    nights = {
        (cid, day): (planned + emergency) / beds if beds else None
        for cid, day, beds, planned, emergency in rows
    }
    labels = _axis_labels(weeks)
    maps = []
    for c in sorted(constellations, key=lambda c: c.name):
        grid = [[nights.get((c.id, week + timedelta(days=d))) for week in weeks] for d in range(7)]
        maps.append(OccupancyMap(c.name, weeks, grid, labels))
    return maps


def _axis_labels(weeks: Sequence[date]) -> tuple[list[str], list[str]]:
    """The weekdays down the side and the weeks along the bottom of an occupancy map."""
    weekdays = [format_day(weeks[0] + timedelta(days=d), "EEE") for d in range(7)]
    return weekdays, [format_day(w, "d MMM") for w in weeks]


@dataclass
class CallsByHour:
    counts: list[int]  # calls starting in each hour of the day, Stockholm time

    @property
    def day(self) -> int:
        return sum(self.counts[DAY_STARTS:NIGHT_STARTS])

    @property
    def night(self) -> int:
        return sum(self.counts) - self.day

    def chart(self) -> Markup:
        hours = [f"{h:02d}" for h in range(24)]
        day = [c if DAY_STARTS <= h < NIGHT_STARTS else 0 for h, c in enumerate(self.counts)]
        night = [c - d for c, d in zip(self.counts, day, strict=True)]
        series = [charts.Series(_("Day"), day), charts.Series(_("Night"), night)]
        return charts.stacked_bars(hours, series)

    def legend(self) -> Markup:
        series = [charts.Series(_("Day"), []), charts.Series(_("Night"), [])]
        return charts.legend(series, bars=True)


def calls_by_hour(
    session: DbSession, constellation_ids: Sequence[int], first: date, last: date
) -> CallsByHour:
    """How many calls came in each hour of the day over the period.

    Counted with the constellations' calls by day and night (`hubhome.phone.contributions`):
    on the outcomes page, the same constellations and period, so one pass over the calls."""
    from hubhome.phone.contributions import calls_by_constellation_and_hour

    counts = [0] * 24
    counted = calls_by_constellation_and_hour(session, constellation_ids, first, last)
    for (_constellation, at_hour), (calls, _unanswered) in counted.items():
        counts[at_hour] += calls
    return CallsByHour(counts)
