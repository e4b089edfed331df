"""Namesake children are told apart by birth year and home wherever people pick or list them."""

from __future__ import annotations

import re
from collections import Counter

from tests.test_display_dates import VisibleTextOf


def _options(page: str, select_id: str) -> list[str]:
    block = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert block, select_id
    return [VisibleTextOf(o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", block[1])]


def test_the_decision_picker_tells_namesakes_apart(client, login_as, demo):
    login_as("socialsekreterare")
    options = _options(client.get("/decisions/new").get_data(as_text=True), "child_id")
    assert len(options) == len(set(options)), Counter(options).most_common(3)
    holms = [o for o in options if o.startswith("Elis Holm")]
    assert len(holms) == 2
    assert all(re.fullmatch(r"Elis Holm \(född \d{4}(, .+)?\)", o) for o in holms), holms
    singles = [o for o in options if "(" not in o and o != "Välj ett barn"]
    assert singles  # a name that does not repeat stays short


def test_the_social_workers_home_page_names_children_in_full_and_apart(client, login_as, demo):
    login_as("socialsekreterare")
    page = client.get("/home").get_data(as_text=True)
    section = page.split('id="h-children"')[1].split("</section>")[0]
    names = [VisibleTextOf(n).strip() for n in re.findall(r"<li>(.*?)</li>", section)]
    assert names and len(names) == len(set(names)), Counter(names).most_common(3)
    assert all(" " in n for n in names)  # first and last name
    assert any(n.startswith("Otto Ekholm (född") for n in names)
