"""TwiML for each step of a call. Spoken prompts are Swedish: the lines are Swedish.

Voice answers are built as strings (`Voice`), not with twilio's `VoiceResponse`, which makes
an ElementTree per answer and serialises it: on `POST /phone/voice` that was a tenth of the
request's CPU. The XML is the same byte for byte, escaped as ElementTree escapes it
(`tests/test_phone_twiml.py` compares the two for every answer here).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, current_app, has_request_context, request
from twilio.twiml.messaging_response import MessagingResponse

from hubhome.phone.signature import public_url

LANGUAGE = "sv-SE"
RING_SECONDS = 20
MAX_MESSAGE_SECONDS = 180
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

GREETING = "Hej, du har ringt {line}. Vi kopplar dig till den som har jour. Vänta kvar."
GREETING_UNKNOWN = "Hej, du har ringt familjehemmens jourtelefon. Vi kopplar dig. Vänta kvar."
SCREEN = "Samtal till {line} från {caller}. Tryck 1 för att svara."
UNKNOWN_CALLER = "okänt nummer"
NOT_CONNECTED = "Samtalet kopplas inte. Hej då."
CONNECTING = "Du kopplas nu."
ALREADY_OVER = "Samtalet har redan avslutats."
VOICEMAIL = (
    "Ingen kunde svara just nu. Lämna ett meddelande efter tonen med ditt namn och "
    "ditt nummer, så ringer vi upp så snart vi kan. Avsluta med att lägga på."
)
THANKS = "Tack. Vi hör av oss. Hej då."


def _text(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(value: object) -> str:
    """An attribute value as twilio writes it (booleans in lower case), escaped as
    ElementTree escapes attributes."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    text = _text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def element(name: str, content: str = "", **attributes: object) -> str:
    """One TwiML element: attributes sorted by name, as twilio's library writes them;
    `content` is already XML (escape text with `_text`)."""
    attrs = "".join(
        f' {key}="{_attribute(value)}"'
        for key, value in sorted(attributes.items())
        if value is not None
    )
    return f"<{name}{attrs}>{content}</{name}>" if content else f"<{name}{attrs} />"


def say(text: str) -> str:
    return element("Say", _text(text), language=LANGUAGE)


class Voice:
    """A voice answer (`<Response>`), verb by verb."""

    def __init__(self) -> None:
        self.verbs: list[str] = []

    def append(self, verb: str) -> Voice:
        self.verbs.append(verb)
        return self

    def say(self, text: str) -> Voice:
        return self.append(say(text))

    def hangup(self) -> Voice:
        return self.append("<Hangup />")

    def __str__(self) -> str:
        return DECLARATION + element("Response", "".join(self.verbs))


def url(path: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return public_url(path + (f"?{query}" if query else ""))


def twiml(response: Voice | MessagingResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def add_dial(response: Voice, call_id: int, step: int, number: str) -> None:
    """Ring one person; their leg runs the screen, and the outcome goes to dial-result."""
    person = element(
        "Number",
        _text(number),
        method="POST",
        url=url("/phone/voice/screen", call=call_id, step=step),
    )
    response.append(
        element(
            "Dial",
            person,
            action=url("/phone/voice/dial-result", call=call_id, step=step),
            answerOnBridge=True,
            method="POST",
            timeout=RING_SECONDS,
        )
    )


def _record(action: str, status_callback: str) -> str:
    return element(
        "Record",
        action=action,
        maxLength=MAX_MESSAGE_SECONDS,
        method="POST",
        playBeep=True,
        recordingStatusCallback=status_callback,
        recordingStatusCallbackEvent="completed",
    )


def add_voicemail(response: Voice, call_id: int | None) -> None:
    """Ask for a message and record it; the recording is reported to Hubhome twice over."""
    response.say(VOICEMAIL)
    response.append(
        _record(
            url("/phone/voice/recorded", call=call_id), url("/phone/voice/recording", call=call_id)
        )
    )
    response.say(THANKS)
    response.hangup()


def greeting(line: str | None) -> str:
    return GREETING.format(line=line) if line else GREETING_UNKNOWN


def screen(call_id: int, step: int, line: str, caller: str | None) -> Voice:
    """Say who calls and wait for 1; without it the leg ends, so a voicemail never counts."""
    gather = element(
        "Gather",
        say(SCREEN.format(line=line, caller=caller or UNKNOWN_CALLER)),
        action=url("/phone/voice/screen", call=call_id, step=step),
        method="POST",
        numDigits=1,
        timeout=8,
    )
    return Voice().append(gather).say(NOT_CONNECTED).hangup()


def hang_up(text: str | None = None) -> Voice:
    response = Voice()
    if text:
        response.say(text)
    return response.hangup()


def connect() -> Voice:
    """An empty-handed screen: the leg is bridged to the caller."""
    return Voice().say(CONNECTING)


def fallback(line: str | None = None, name: str | None = None, number: str | None = None) -> Voice:
    """The answer without the database: the duty number, then a message.

    `line` is the constellation number called (the request's `To` by default): it rides in
    the recording's callbacks, which carry no `To`, so a message left here finds its line.
    """
    if line is None and has_request_context():
        line = request.form.get("To") or request.args.get("line") or None
    number = number or current_app.config["HUBHOME"].fallback_number
    response = Voice().say(greeting(name))
    if number:
        response.append(element("Dial", _text(number), answerOnBridge=True, timeout=30))
    response.say(VOICEMAIL)
    response.append(
        _record(
            url("/phone/voice/fallback/recorded", line=line),
            url("/phone/voice/recording", line=line),
        )
    )
    return response.say(THANKS).hangup()
