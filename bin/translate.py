"""Fill an area's Swedish catalog from a {msgid: msgstr} JSON file and compile it.

Usage: python bin/translate.py AREA FILE.json  (plural msgids: key is the singular,
value a list [singular, plural]). Untranslated ids are listed and the exit code is 1.
"""

import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

area, source = sys.argv[1], sys.argv[2]
base = Path("hubhome") / area / "translations" if area != "." else Path("hubhome/translations")
po_path = base / "sv" / "LC_MESSAGES" / "messages.po"
strings = json.loads(Path(source).read_text())
with po_path.open("rb") as handle:
    catalog = read_po(handle)
present = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
for key, value in strings.items():
    if key not in present:  # a new string: add it (plurals as a [singular, plural] pair)
        if isinstance(value, list):
            catalog.add((key, value[2] if len(value) > 2 else key), tuple(value[:2]))
        else:
            catalog.add(key, value)
missing = []
for message in catalog:
    if not message.id:
        continue
    key = message.id[0] if isinstance(message.id, tuple) else message.id
    if key in strings:
        value = strings[key]
        message.string = tuple(value) if isinstance(message.id, tuple) else value
        message.flags.discard("fuzzy")
    elif not (message.string if not isinstance(message.string, tuple) else all(message.string)):
        missing.append(key)
with po_path.open("wb") as handle:
    write_po(handle, catalog, width=100)
with (po_path.with_suffix(".mo")).open("wb") as handle:
    write_mo(handle, catalog)
for key in missing:
    print("untranslated:", key)
sys.exit(1 if missing else 0)
