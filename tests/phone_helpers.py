"""Helpers for the telephone tests: requests signed exactly as Twilio signs them, TwiML parsed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from tests import clock
from tests.conftest import PUBLIC_URL, TWILIO_TOKEN

# Monday 23 November 2026, 10:00 in Stockholm: the day rota is on.
DAYTIME = clock.WRITTEN
BJORNEN_LINE = "+46100000001"
RAVEN_LINE = "+46100000002"
DUTY = "+46100000099"
HANNA = "+46700000101"  # hub carer of Björnen
JONAS = "+46700000909"  # on-call staff
FAMILJ1 = "+46700001111"


def sign(url: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, params))


def twilio_post(
    client: FlaskClient,
    path: str,
    params: dict[str, str] | None = None,
    *,
    token: str = TWILIO_TOKEN,
    signature: str | None = None,
    base_url: str = "http://localhost",
) -> Any:
    """POST as Twilio does: form parameters, signed over the public URL (path with query)."""
    params = dict(params or {})
    if path.startswith("http"):
        parts = urlsplit(path)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    header = signature if signature is not None else sign(PUBLIC_URL + path, params, token)
    return client.post(path, data=params, headers={"X-Twilio-Signature": header}, base_url=base_url)


def twiml(response: Any) -> ET.Element:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data(as_text=True))
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    return [child.tag for child in root]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def path_of(url: str) -> str:
    """The path-and-query Twilio would request for an absolute URL in TwiML."""
    assert url.startswith(PUBLIC_URL), url
    return url[len(PUBLIC_URL) :]


def voice(
    client: FlaskClient, call_sid: str = "CA01", frm: str = FAMILJ1, to: str = BJORNEN_LINE
) -> ET.Element:
    params = {"CallSid": call_sid, "From": frm, "To": to, "CallStatus": "ringing"}
    return twiml(twilio_post(client, "/phone/voice", params))


def dialled(root: ET.Element) -> tuple[ET.Element, ET.Element]:
    """Return the <Dial> and its single <Number>."""
    dial = root.find("Dial")
    assert dial is not None, ET.tostring(root)
    numbers = dial.findall("Number")
    assert len(numbers) == 1
    return dial, numbers[0]


def dial_result(
    client: FlaskClient,
    dial: ET.Element,
    status: str,
    call_sid: str = "CA01",
    call_status: str = "in-progress",
) -> ET.Element:
    params = {
        "CallSid": call_sid,
        "DialCallStatus": status,
        "DialCallSid": f"{call_sid}-leg",
        "CallStatus": call_status,
    }
    return twiml(twilio_post(client, path_of(dial.get("action", "")), params))


def screen(client: FlaskClient, number: ET.Element, digits: str | None = None) -> ET.Element:
    params = {"CallSid": "CAleg", "CallStatus": "in-progress"}
    if digits is not None:
        params["Digits"] = digits
    return twiml(twilio_post(client, path_of(number.get("url", "")), params))


def day_and_night_rota(demo: Any, since: datetime, days: int = 40) -> Any:
    """Replace the demo rotas by Björnen days (Hanna) and a shared night rota (Jonas)."""
    from datetime import time, timedelta

    from sqlalchemy import delete

    from hubhome.extensions import db
    from hubhome.rota.models import OnCallShift, Rota, RotaSlot
    from hubhome.rota.patterns import materialise

    db.session.execute(delete(OnCallShift))
    db.session.execute(delete(RotaSlot))
    db.session.execute(delete(Rota))
    bjornen = demo.constellations["Björnen"]
    made = []
    for constellation_id, starts, ends, who in (
        (bjornen.id, time(8), time(20), "hubb.bjornen"),
        (None, time(20), time(8), "jour"),
    ):
        rota = Rota(
            organisation_id=bjornen.organisation_id,
            constellation_id=constellation_id,
            name=f"Test {who}",
            level=1,
        )
        rota.slots = [
            RotaSlot(weekday=d, starts=starts, ends=ends, user_id=demo.user(who).id)
            for d in range(7)
        ]
        db.session.add(rota)
        db.session.flush()
        materialise(db.session, rota, since=since, until=since + timedelta(days=days), clip=True)
        made.append(rota)
    db.session.commit()
    return made
