"""Dates read one way per language (Babel's medium format), never as ISO, on every page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.timeutil import local_today
from tests.respite_helpers import booking_body, children_of, set_beds

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SKIPPED = ("/logout", "/static/", "download", ".csv", ".xlsx", ".ics", "/feed", "export")


class VisibleText(HTMLParser):
    """The text a reader sees (not attributes, inputs, scripts) and the page's own links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "textarea"):
            self._hidden += 1
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def crawl(client, start: str = "/home", limit: int = 80) -> dict[str, str]:
    """Visit the pages reachable from `start`; return each HTML page's visible text."""
    pages: dict[str, str] = {}
    seen: set[str] = set()
    todo = [start]
    while todo and len(pages) < limit:
        url = todo.pop(0)
        if url in seen or any(s in url for s in SKIPPED):
            continue
        seen.add(url)
        answer = client.get(url)
        if answer.status_code != 200 or "html" not in answer.content_type:
            continue
        parser = VisibleText()
        parser.feed(answer.get_data(as_text=True))
        pages[url] = " ".join(parser.text)
        todo.extend(link for link in parser.links if link not in seen)
    return pages


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("user", ["admin", "socialsekreterare", "hubb.bjornen", "jour", "familj1"])
def test_no_page_shows_an_iso_date(client, login_as, user, language):
    login_as(user)
    client.post("/language", data={"lang-locale": language, "next": "/home"})
    pages = crawl(client)
    assert len(pages) > 5
    found = [
        f"{url}: …{text[max(0, m.start() - 40) : m.end() + 10]}…"
        for url, text in pages.items()
        for m in ISO_DATE.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_the_caseload_shows_advice_dates_in_the_medium_format(client, login_as, demo):
    login_as("socialsekreterare")
    swedish = crawl(client, "/caseload/", limit=1)["/caseload/"]
    assert re.search(r"Råd: \w+, \d{1,2} \w{3}\.? \d{4}", swedish), swedish
    client.post("/language", data={"lang-locale": "en", "next": "/home"})
    english = crawl(client, "/caseload/", limit=1)["/caseload/"]
    assert re.search(r"Advice: [\w ]+, [A-Z][a-z]{2} \d{1,2}, \d{4}", english), english


def test_a_refused_booking_names_the_full_night_in_the_users_language(client, login_as, demo):
    set_beds(demo, 0)
    login_as("familj1")
    family = demo.user("familj1")
    check_in = local_today() + timedelta(days=20)
    form = {
        "household_id": family.household_id,
        "child_ids": children_of(family)[:1],
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=1)).isoformat(),
        "kind": "planned",
        "note": "",
    }
    refused = client.post("/respite/book", data=form)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    summary = page[page.find("error-summary") :].split("</ul>")[0]
    assert f"fullbokad de här nätterna: {check_in.day} " in summary
    assert f"{check_in.year}." in summary and ".." not in summary  # one full stop


def test_a_respite_sms_shows_its_dates_as_one_span_without_a_double_stop(client, api_headers, demo):
    family = demo.user("familj1")
    check_in = local_today() + timedelta(days=30)
    check_out = check_in + timedelta(days=2)
    answer = client.post(
        "/api/v1/respite/bookings",
        json=booking_body(children_of(family)[:1], check_in, check_out),
        headers=api_headers("familj1"),
    )
    assert answer.status_code == 201, answer.get_json()
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.purpose.like("respite.%"))
    ).all()
    assert bodies
    for body in bodies:
        assert ".." not in body
        assert not ISO_DATE.search(body)
    assert any(str(check_in.day) in body and str(check_out.day) in body for body in bodies)


def test_an_english_date_reads_month_first(client, login_as, demo):
    login_as("familj1")
    client.post("/language", data={"lang-locale": "en", "next": "/home"})
    page = client.get("/account").get_data(as_text=True)
    today = date.today()
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", page)
    assert today.isoformat() not in VisibleTextOf(page)


def VisibleTextOf(page: str) -> str:  # noqa: N802
    parser = VisibleText()
    parser.feed(page)
    return " ".join(parser.text)
