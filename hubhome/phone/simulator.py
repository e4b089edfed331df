"""The phone simulator: walk a call through the real webhooks without Twilio (admins, not
in production). Every request is signed exactly as Twilio signs it, so the webhooks run
unchanged; the page shows each request and the TwiML it got back."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from flask import current_app, session
from twilio.request_validator import RequestValidator

from config import Settings


@dataclass
class Exchange:
    path: str
    params: dict[str, str]
    status: int
    body: str


def _relative(url: str) -> str:
    settings: Settings = current_app.config["HUBHOME"]
    base = settings.public_url.rstrip("/")
    return url[len(base) :] if url.startswith(base) else url


def send(path: str, params: dict[str, str]) -> Exchange:
    """POST to one of Hubhome's webhooks, signed with the configured auth token."""
    settings: Settings = current_app.config["HUBHOME"]
    url = settings.public_url.rstrip("/") + path
    signature = RequestValidator(settings.twilio_auth_token).compute_signature(url, params)
    response = current_app.test_client().post(
        path, data=params, headers={"X-Twilio-Signature": signature}
    )
    return Exchange(path, params, response.status_code, response.get_data(as_text=True))


def remember(exchange: Exchange) -> None:
    """Keep what the next step needs from the TwiML just returned."""
    state: dict[str, Any] = session.get("phone_sim", {})
    state.update(dial=None, screen=None, record=None, callback=None, number=None)
    if exchange.status == 200 and exchange.body.startswith("<?xml"):
        root = ET.fromstring(exchange.body)  # noqa: S314  (our own TwiML, not user input)
        dial = root.find("Dial")
        number = dial.find("Number") if dial is not None else None
        if dial is not None and number is not None:
            state.update(
                dial=_relative(dial.get("action", "")),
                screen=_relative(number.get("url", "")),
                number=number.text,
            )
        record = root.find("Record")
        if record is not None:
            state.update(
                record=_relative(record.get("action", "")),
                callback=_relative(record.get("recordingStatusCallback", "")),
            )
    session["phone_sim"] = state


def start(from_number: str, to_number: str) -> list[Exchange]:
    sid = "CA" + uuid.uuid4().hex
    session["phone_sim"] = {"sid": sid, "from": from_number, "to": to_number}
    params = {"CallSid": sid, "From": from_number, "To": to_number, "CallStatus": "ringing"}
    exchange = send("/phone/voice", params)
    remember(exchange)
    return [exchange]


def step(action: str) -> list[Exchange]:
    """Play one thing the called person or the caller does."""
    state: dict[str, Any] = session.get("phone_sim", {})
    sid = state.get("sid", "")
    leg = {"CallSid": sid + "L", "CallStatus": "in-progress"}
    done: list[Exchange] = []

    def dial_result(dial_status: str, call_status: str = "in-progress") -> None:
        params = {
            "CallSid": sid,
            "DialCallStatus": dial_status,
            "DialCallSid": sid + "L",
            "CallStatus": call_status,
        }
        done.append(send(state["dial"], params))

    def hang_up() -> None:
        params = {"CallSid": sid, "CallStatus": "completed", "CallDuration": "60"}
        done.append(send("/phone/voice/status", params))

    if action in ("accept", "ignore") and state.get("screen"):
        done.append(send(state["screen"], leg))
        if action == "accept":
            done.append(send(state["screen"], {**leg, "Digits": "1"}))
        dial_result("completed")
        if action == "accept":
            hang_up()
    elif action in ("no-answer", "busy") and state.get("dial"):
        dial_result(action)
    elif action == "message" and state.get("record"):
        recording = {
            "CallSid": sid,
            "RecordingSid": "RE" + uuid.uuid4().hex,
            "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/ACsim/Recordings/REsim",
            "RecordingDuration": "25",
            "RecordingStatus": "completed",
        }
        done.append(send(state["record"], recording))
        done.append(send(state["callback"], recording))
        hang_up()
    elif action == "hang-up":
        if state.get("dial"):
            dial_result("canceled", "completed")
        hang_up()
    if done and action in ("no-answer", "busy", "ignore"):
        remember(done[-1])  # the dial result says what happens next
    elif done:
        session["phone_sim"] = {}  # the call is over
    return done
