"""Every string shown to users has a Swedish translation, and the compiled catalogs are current."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("hubhome", "jobs", "templates")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}


def _catalog_paths() -> list[Path]:
    root = ROOT / "hubhome" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    areas = sorted((ROOT / "hubhome").glob("*/translations/sv/LC_MESSAGES/messages.po"))
    return [root, *areas]


def _extracted() -> dict[object, str]:
    """Return every msgid in the sources (a tuple for plurals) and where it was found."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[object, str] = {}
    for source in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / source), method_map, options_map, keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else tuple(message[:2])
            found.setdefault(key, f"{source}/{filename}:{lineno}")
    return found


def _translations() -> dict[object, object]:
    merged: dict[object, object] = {}
    for path in _catalog_paths():
        with open(path, "rb") as po:
            catalog = read_po(po, locale="sv")
        for message in catalog:
            if message.id and not message.fuzzy:
                merged.setdefault(message.id, message.string)
    return merged


def test_the_sources_have_strings_to_translate():
    assert len(_extracted()) > 100


def test_every_string_has_a_swedish_translation():
    translations = _translations()
    missing = []
    for msgid, where in _extracted().items():
        string = translations.get(msgid)
        filled = all(string) if isinstance(string, (tuple, list)) else bool(string)
        if not filled:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "untranslated or fuzzy:\n" + "\n".join(missing)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@pytest.mark.parametrize("po_path", _catalog_paths(), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalog_matches_its_source(po_path: Path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run pybabel compile"
    with open(po_path, "rb") as po:
        catalog = read_po(po, locale="sv")
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    with open(mo_path, "rb") as mo:
        committed = read_mo(mo)
    expected = {_key(m.id): _key(m.string) for m in read_mo(fresh) if m.id}
    actual = {_key(m.id): _key(m.string) for m in committed if m.id}
    assert actual == expected, f"{mo_path} is stale: run pybabel compile"


def test_pages_are_swedish_by_default(client, demo):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in" in page


def test_a_visitor_can_switch_to_english(client, demo):
    response = client.post("/language", data={"lang-locale": "en", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Logga in" not in page


def test_a_signed_in_user_switches_language_and_it_sticks(client, login_as):
    login_as("familj1")
    assert "Logga ut" in client.get("/home").get_data(as_text=True)
    client.post("/language", data={"lang-locale": "en", "next": "/home"})
    page = client.get("/home").get_data(as_text=True)
    assert "Sign out" in page
    assert "Your household" in page
    client.post("/logout")
    login_as("familj1")
    assert "Sign out" in client.get("/home").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client, demo):
    client.post("/language", data={"lang-locale": "xx", "next": "/login"})
    assert "Logga in" in client.get("/login").get_data(as_text=True)
