"""Each user's private iCalendar feed: a revocable secret URL valid in calendar apps."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.calendar.models import CalendarFeed
from hubhome.db import DbSession
from hubhome.registry import Registry
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from icalendar import Event

# Areas add the events they contribute, in their init_app: function(session, user) -> events.
EventSource = Callable[[DbSession, User], list["Event"]]
event_sources: Registry[EventSource] = Registry("calendar_sources")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(session: DbSession, user: User) -> CalendarFeed | None:
    """Return the user's feed that has not been revoked, if any."""
    return session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def feed_for(session: DbSession, user: User) -> CalendarFeed:
    """Return the user's live feed, creating one if there is none."""
    feed = live_feed(session, user)
    if feed is None:
        token = secrets.token_urlsafe(24)
        feed = CalendarFeed(user_id=user.id, token=token, token_hash=_hash(token))
        session.add(feed)
        session.flush()
    return feed


def feed_url(feed: CalendarFeed) -> str:
    return absolute_url(f"/calendar/{feed.token}.ics")


def revoke(session: DbSession, user: User) -> None:
    """Revoke the user's feed; the old URL stops working at once."""
    feed = live_feed(session, user)
    if feed is not None:
        feed.revoked_at = utcnow()


def renew(session: DbSession, user: User) -> CalendarFeed:
    """Give the user a new feed URL; the old one stops working at once."""
    revoke(session, user)
    session.flush()
    feed = feed_for(session, user)
    record(session, user, "calendar.feed_renewed")
    return feed


def user_for_feed(session: DbSession, token: str) -> User | None:
    feed = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    return user if user is not None and user.active else None


def build_calendar(session: DbSession, user: User) -> bytes:
    """Render the user's events from every registered source as an iCalendar file."""
    from icalendar import Calendar  # 2.5 MB; only the feed and the calendar pages need it

    calendar = Calendar()
    calendar.add("prodid", "-//Hubhome//Hubhome//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hubhome")
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for source in event_sources.items():
        for event in source(session, user):
            calendar.add_component(event)
    return calendar.to_ical()


def event(
    uid: str,
    summary: str,
    start: object,
    end: object,
    *,
    stamp: datetime | None = None,
    description: str | None = None,
    location: str | None = None,
    url: str | None = None,
) -> Event:
    """Build one VEVENT (dates for all-day stays, aware datetimes for timed events)."""
    from icalendar import Event

    item = Event()
    item.add("uid", f"{uid}@hubhome")
    item.add("dtstamp", stamp or utcnow())
    item.add("summary", summary)
    item.add("dtstart", start)
    item.add("dtend", end)
    if description:
        item.add("description", description)
    if location:
        item.add("location", location)
    if url:
        item.add("url", url)
    return item


def absolute_url(path: str) -> str:
    """The public address of a page, for links in the feed (calendar apps open them)."""
    return current_app.config["HUBHOME"].public_url.rstrip("/") + path
