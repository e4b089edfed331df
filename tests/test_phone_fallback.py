"""`hubhome phone fallback-twiml`: each line's fallback as a static file, no Hubhome needed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

from tests.conftest import PUBLIC_URL
from tests.phone_helpers import BJORNEN_LINE, DUTY, RAVEN_LINE


def test_each_line_gets_a_static_fallback_that_dials_the_duty_number_and_records(
    runner, demo, tmp_path
):
    out = tmp_path / "phone-fallback"
    result = runner.invoke(args=["phone", "fallback-twiml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["46100000001.xml", "46100000002.xml"]
    for line, name in ((BJORNEN_LINE, "Björnen"), (RAVEN_LINE, "Räven")):
        root = ET.fromstring((out / f"{line[1:]}.xml").read_text())
        assert [verb.tag for verb in root] == ["Say", "Dial", "Say", "Record", "Say", "Hangup"]
        assert name in (root.findtext("Say") or "")
        assert root.findtext("Dial") == DUTY
        record = root.find("Record")
        assert record is not None
        callback = record.get("recordingStatusCallback", "")
        assert callback.startswith(PUBLIC_URL + "/phone/voice/recording?")
        assert parse_qs(urlsplit(callback).query)["line"] == [line]  # the callback has no To
        action = urlsplit(record.get("action", ""))
        assert action.path == "/phone/voice/fallback/recorded"
