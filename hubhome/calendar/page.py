"""The person's calendar page: the same events as the feed, as a month grid or an agenda."""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from hubhome.accounts.models import User
from hubhome.calendar.services import event_sources
from hubhome.db import DbSession
from hubhome.timeutil import to_local

# What an event is, read from the start of its uid (each area names its own).
KINDS = (
    ("respite-", "respite"),
    ("activity-", "activity"),
    ("contact-visit-", "contact_visit"),
    ("follow-up-visit-", "follow_up_visit"),
    ("conference-", "conference"),
)

if TYPE_CHECKING:
    from icalendar import Event  # imported where an event is made: calendar.services


@dataclass(frozen=True)
class Entry:
    """One event as the page shows it, in Stockholm time."""

    uid: str
    kind: str
    title: str
    start: datetime | None  # None for all-day entries
    end: datetime | None
    first_day: date
    last_day: date  # inclusive
    location: str | None
    url: str | None

    @property
    def all_day(self) -> bool:
        return self.start is None


def _kind(uid: str) -> str:
    return next((kind for prefix, kind in KINDS if uid.startswith(prefix)), "other")


def _entry(item: Event) -> Entry:
    uid = str(item.get("uid", ""))
    start = item.decoded("dtstart")
    end = item.decoded("dtend") if "dtend" in item else start
    url = str(item["url"]) if "url" in item else None
    location = str(item["location"]) if "location" in item else None
    common = {"uid": uid, "kind": _kind(uid), "title": str(item.get("summary", ""))}
    if isinstance(start, datetime):
        local_start, local_end = to_local(start), to_local(end)
        last = (local_end - timedelta(microseconds=1)).date()
        return Entry(
            **common,
            start=local_start,
            end=local_end,
            first_day=local_start.date(),
            last_day=max(last, local_start.date()),
            location=location,
            url=url,
        )
    last = end - timedelta(days=1) if end > start else start
    return Entry(
        **common,
        start=None,
        end=None,
        first_day=start,
        last_day=last,
        location=location,
        url=url,
    )


def entries(session: DbSession, user: User) -> list[Entry]:
    """Every event the areas put in the user's calendar, all-day first, then by time."""
    items = [_entry(item) for source in event_sources.items() for item in source(session, user)]
    return sorted(items, key=lambda e: (e.first_day, not e.all_day, e.start or 0, e.title))


def by_day(items: Sequence[Entry], first: date, last: date) -> dict[date, list[Entry]]:
    """The entries on each day from `first` to `last` (a stay shows on each of its nights)."""
    days: dict[date, list[Entry]] = {}
    for item in items:
        day = max(item.first_day, first)
        while day <= min(item.last_day, last):
            days.setdefault(day, []).append(item)
            day += timedelta(days=1)
    return days


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def month_grid(month: date, days: dict[date, list[Entry]]) -> list[list[tuple[date, list[Entry]]]]:
    """Weeks (Monday first) of (day, that day's entries)."""
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[(day, days.get(day, [])) for day in week] for week in weeks]


@dataclass(frozen=True)
class Subscribe:
    """Ways to add the feed to a calendar app; the token in them is the credential."""

    https: str
    webcal: str
    google: str
    outlook: str


def subscribe_links(feed_url: str) -> Subscribe:
    parts = urlsplit(feed_url)
    webcal = f"webcal://{parts.netloc}{parts.path}"
    return Subscribe(
        https=feed_url,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        outlook="https://outlook.live.com/calendar/0/addfromweb?url="
        + quote(feed_url, safe="")
        + "&name=Hubhome",
    )
