"""Fictional names and personnummer for the demo families and children."""

from __future__ import annotations

from datetime import date

from hubhome.children.models import Gender

BJORNEN_SATELLITES = ["Andersson", "Berg", "Carlsson", "Dahl", "Eriksson", "Falk", "Gustafsson"]
RAVEN_SATELLITES = ["Nyström", "Olsson", "Persson", "Quist", "Rask", "Sjöberg"]
GIRL_NAMES = ["Alma", "Maja", "Saga", "Wilma", "Ella", "Stella", "Agnes", "Ebba", "Alva", "Nova"]
BOY_NAMES = ["Elis", "Noah", "Liam", "Hugo", "Otto", "Loke", "Vincent", "Sixten"]
FIRST_NAMES = [
    "Alma",
    "Elis",
    "Maja",
    "Noah",
    "Saga",
    "Liam",
    "Wilma",
    "Hugo",
    "Ella",
    "Otto",
    "Stella",
    "Loke",
    "Agnes",
    "Vincent",
    "Ebba",
    "Alva",
    "Sixten",
    "Nova",
]
LAST_NAMES = ["Holm", "Ström", "Lund", "Sandberg", "Wikström", "Ekholm", "Forsberg", "Hedlund"]


def _luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def fictional_personnummer(birth: date, serial: int) -> str:
    """A well-formed personnummer with a high serial, not meant to match anyone."""
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{_luhn_digit(body)}"


def first_name_for(gender: Gender, drawn: str, taken: set[str]) -> str:
    """Return `drawn` if it is a name for `gender` not `taken` in the family, else the next one.

    The seed keeps drawing from FIRST_NAMES so the random stream, and with it every
    household's children, ages and placements, stays as it was.
    """
    names = GIRL_NAMES if gender == Gender.GIRL else BOY_NAMES
    start = names.index(drawn) if drawn in names else FIRST_NAMES.index(drawn)
    for step in range(len(names)):
        name = names[(start + step) % len(names)]
        if name not in taken:
            return name
    return names[start % len(names)]
