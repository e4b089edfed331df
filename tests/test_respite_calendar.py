"""The booking page's month of free nights (without JavaScript) and the allowance shown
while booking."""

import re
from datetime import date

import pytest

from hubhome.extensions import db
from hubhome.respite.models import RespiteRules
from tests.respite_helpers import NOW, booking_body, children_of, set_beds

pytestmark = pytest.mark.clock(NOW)  # Monday 23 November 2026


def _cell(page: str, day: str) -> str:
    """The grid cell of one night (its <td> up to the closing tag)."""
    found = re.search(r'<td role="gridcell"[^>]*>\s*<a href="[^"]*" data-date="' + day, page)
    assert found, day
    return page[found.start() : page.index("</td>", found.start())]


def test_the_month_shows_free_and_full_nights_and_months_around_it(
    client, demo, api_headers, login_as, frozen
):
    set_beds(demo, 1)
    other = demo.user("familj2")
    client.post(
        "/api/v1/respite/bookings",
        json=booking_body(children_of(other)[:1], date(2026, 11, 27), date(2026, 11, 28)),
        headers=api_headers("familj2"),
    )
    login_as("familj1")
    page = client.get("/respite/book").get_data(as_text=True)
    assert 'role="grid"' in page and "November 2026" in page
    assert "1 ledig" in _cell(page, "2026-11-26")
    assert "Fullt" in _cell(page, "2026-11-27")
    assert "Familjen Berg" not in page  # whose booking fills it is not told
    assert 'data-date="2026-11-22"' not in page  # the past cannot be chosen
    assert 'rel="prev"' not in page
    assert 'href="/respite/book?month=2026-12"' in page
    december = client.get("/respite/book?month=2026-12").get_data(as_text=True)
    assert "December 2026" in december and 'rel="prev"' in december
    assert client.get("/respite/book?month=nonsense").status_code == 200
    far = client.get("/respite/book?month=2031-01").get_data(as_text=True)
    assert "Maj 2027" in far  # the last month that can be booked (180 days ahead)
    assert 'rel="next"' not in far


def test_choosing_nights_without_javascript_fills_the_form(client, demo, login_as, frozen):
    login_as("familj1")
    page = client.get("/respite/book?month=2026-12").get_data(as_text=True)
    assert 'href="/respite/book?month=2026-12&amp;check_in=2026-12-04"' in _cell(page, "2026-12-04")
    chosen = client.get("/respite/book?month=2026-12&check_in=2026-12-04").get_data(as_text=True)
    assert 'id="check_in" name="check_in" required type="date" value="2026-12-04"' in chosen or (
        'value="2026-12-04"' in chosen.split('id="check_in"')[1].split(">")[0]
    )
    assert 'aria-selected="true"' in _cell(chosen, "2026-12-04")
    assert "check_out=2026-12-07" in _cell(chosen, "2026-12-07")
    both = client.get(
        "/respite/book?month=2026-12&check_in=2026-12-04&check_out=2026-12-07"
    ).get_data(as_text=True)
    assert 'value="2026-12-07"' in both.split('id="check_out"')[1].split(">")[0]
    assert 'aria-selected="true"' in _cell(both, "2026-12-06")
    assert 'aria-selected="false"' in _cell(both, "2026-12-07")  # the morning they leave
    assert client.get("/respite/book?check_in=2026-99-01").status_code == 200


def test_staff_booking_for_a_family_keep_the_family_in_the_calendar_links(
    client, demo, login_as, frozen
):
    family = demo.user("familj1").household_id
    login_as("hubb.bjornen")
    page = client.get(f"/respite/book?household_id={family}").get_data(as_text=True)
    assert f"household_id={family}" in _cell(page, "2026-11-30")


def test_the_allowance_used_and_left_is_shown_while_booking(
    client, demo, api_headers, login_as, frozen
):
    family = demo.user("familj1")
    login_as("familj1")
    assert "Det finns ingen årsgräns" in client.get("/respite/book").get_data(as_text=True)
    db.session.add(
        RespiteRules(
            constellation_id=demo.constellations["Björnen"].id,
            max_days_ahead=180,
            max_nights=14,
            yearly_planned_nights=20,
        )
    )
    db.session.commit()
    client.post(
        "/api/v1/respite/bookings",
        json=booking_body(children_of(family)[:1], date(2026, 12, 4), date(2026, 12, 7)),
        headers=api_headers("familj1"),
    )
    page = client.get("/respite/book").get_data(as_text=True)
    assert "Planerad avlastning 2026: 3 av 20 nätter använda, 17 nätter kvar." in page


def test_the_family_page_shows_the_month_instead_of_a_long_list(client, demo, login_as, frozen):
    login_as("familj1")
    page = client.get("/respite/").get_data(as_text=True)
    assert 'role="grid"' in page and "Planerad avlastning 2026" in page
    assert "/respite/book?month=2026-11&amp;check_in=2026-11-30" in _cell(page, "2026-11-30")
    assert page.count("<tr") < 12  # weeks, not a row per night


def test_the_month_in_english(client, demo, login_as, frozen):
    user = demo.user("familj1")
    user.locale = "en"
    db.session.commit()
    login_as("familj1")
    page = client.get("/respite/book?month=2026-12").get_data(as_text=True)
    assert "December 2026" in page and "‹ November" in page
    assert "2 free" in _cell(page, "2026-12-04")
    assert "Planned respite 2026: 0 nights used." in page
