"""TwiML for each step of a call. Spoken prompts are Swedish: the lines are Swedish."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, current_app, has_request_context, request
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from hubhome.phone.signature import public_url

LANGUAGE = "sv-SE"
RING_SECONDS = 20
MAX_MESSAGE_SECONDS = 180

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


def url(path: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return public_url(path + (f"?{query}" if query else ""))


def twiml(response: VoiceResponse | MessagingResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def add_dial(response: VoiceResponse, call_id: int, step: int, number: str) -> None:
    """Ring one person; their leg runs the screen, and the outcome goes to dial-result."""
    dial = Dial(
        answer_on_bridge=True,
        timeout=RING_SECONDS,
        action=url("/phone/voice/dial-result", call=call_id, step=step),
        method="POST",
    )
    dial.number(number, url=url("/phone/voice/screen", call=call_id, step=step), method="POST")
    response.append(dial)


def add_voicemail(response: VoiceResponse, call_id: int | None) -> None:
    """Ask for a message and record it; the recording is reported to Hubhome twice over."""
    response.say(VOICEMAIL, language=LANGUAGE)
    response.record(
        max_length=MAX_MESSAGE_SECONDS,
        play_beep=True,
        action=url("/phone/voice/recorded", call=call_id),
        method="POST",
        recording_status_callback=url("/phone/voice/recording", call=call_id),
        recording_status_callback_event="completed",
    )
    response.say(THANKS, language=LANGUAGE)
    response.hangup()


def greeting(line: str | None) -> str:
    return GREETING.format(line=line) if line else GREETING_UNKNOWN


def screen(call_id: int, step: int, line: str, caller: str | None) -> VoiceResponse:
    """Say who calls and wait for 1; without it the leg ends, so a voicemail never counts."""
    response = VoiceResponse()
    gather = Gather(
        num_digits=1,
        timeout=8,
        action=url("/phone/voice/screen", call=call_id, step=step),
        method="POST",
    )
    gather.say(SCREEN.format(line=line, caller=caller or UNKNOWN_CALLER), language=LANGUAGE)
    response.append(gather)
    response.say(NOT_CONNECTED, language=LANGUAGE)
    response.hangup()
    return response


def hang_up(text: str | None = None) -> VoiceResponse:
    response = VoiceResponse()
    if text:
        response.say(text, language=LANGUAGE)
    response.hangup()
    return response


def connect() -> VoiceResponse:
    """An empty-handed screen: the leg is bridged to the caller."""
    response = VoiceResponse()
    response.say(CONNECTING, language=LANGUAGE)
    return response


def fallback(
    line: str | None = None, name: str | None = None, number: str | None = None
) -> VoiceResponse:
    """The answer without the database: the duty number, then a message.

    `line` is the constellation number called (the request's `To` by default): it rides in
    the recording's callbacks, which carry no `To`, so a message left here finds its line.
    """
    if line is None and has_request_context():
        line = request.form.get("To") or request.args.get("line") or None
    number = number or current_app.config["HUBHOME"].fallback_number
    response = VoiceResponse()
    response.say(greeting(name), language=LANGUAGE)
    if number:
        response.dial(number, answer_on_bridge=True, timeout=30)
    response.say(VOICEMAIL, language=LANGUAGE)
    response.record(
        max_length=MAX_MESSAGE_SECONDS,
        play_beep=True,
        action=url("/phone/voice/fallback/recorded", line=line),
        method="POST",
        recording_status_callback=url("/phone/voice/recording", line=line),
        recording_status_callback_event="completed",
    )
    response.say(THANKS, language=LANGUAGE)
    response.hangup()
    return response
