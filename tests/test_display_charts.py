"""Charts worth looking at: drawn on the server in the user's language, with their tables."""

from __future__ import annotations

import re

from tests.test_display_dates import VisibleTextOf


def _section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("<h2")[0]


def test_a_fresh_demo_shows_every_chart_in_swedish_with_separate_scales(client, login_as, demo):
    login_as("admin")
    page = client.get("/outcomes/").get_data(as_text=True)
    trend = _section(page, "h-trend")
    assert trend.count('<svg class="chart-svg"') == 2  # people and nights on their own scales
    assert "Placerade barn (medel)" in trend and "Planerade avlastningsnätter" in trend
    table = trend.split("<table")[1]
    assert len(re.findall(r"<tr><th scope=\"row\">", table)) >= 12  # a year of snapshots
    cells = re.findall(r"<td>([^<]*)</td>", table)
    assert not [c for c in cells if re.fullmatch(r"\d+\.\d+", c)]  # one decimal sign: ","
    assert any(re.fullmatch(r"\d+,\d", c) for c in cells)
    text = VisibleTextOf(page)
    for english in ("Time:", " Aug ", " Jan ", "Children placed"):
        assert english not in text
    occupancy = _section(page, "h-occupancy")
    assert occupancy.count('<svg class="chart-svg"') == 2  # one map per hub
    assert "Björnen" in occupancy and "Räven" in occupancy
    calls = _section(page, "h-calls")
    assert '<svg class="chart-svg"' in calls and "samtal nattetid" in calls


def test_the_charts_speak_english_in_the_english_ui(client, login_as, demo):
    login_as("admin")
    client.post("/language", data={"lang-locale": "en", "next": "/home"})
    page = client.get("/outcomes/").get_data(as_text=True)
    trend = _section(page, "h-trend")
    assert "Children placed (mean)" in trend
    assert re.search(r">(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)<", trend)


def test_months_without_a_meeting_are_not_summed_as_months(client, login_as, demo):
    login_as("admin")
    text = VisibleTextOf(client.get("/outcomes/").get_data(as_text=True))
    organisation = text.split("Organisationen")[-1] if "Organisationen" in text else text
    assert "Konstellationsmånader utan konstellationsträff" in organisation
