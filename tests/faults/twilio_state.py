"""Twilio's resources as the fake Twilio keeps them, and what its REST API answers from them.

Messages, calls and recordings are kept as Twilio's JSON shows them, newest first. Sending
an SMS or starting a call adds one; fetching, updating and deleting one by its sid work; the
list endpoints (`Messages.json`, `Calls.json`, `Recordings.json`, a call's `Recordings.json`)
page through them with Twilio's common filters (`To`, `From`, `Status`, `CallSid`,
`ParentCallSid`, and `DateSent`, `StartTime`, `EndTime`, `DateCreated` with `<` and `>`).
A recording's audio (`media`, by sid) is served at its media URL (`.../Recordings/RE….mp3`,
or `.wav`, or no extension) until the recording is deleted.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

API = "/2010-04-01"
RESOURCES = {"Messages": "SM", "Calls": "CA", "Recordings": "RE"}
LIST_KEYS = {"Messages": "messages", "Calls": "calls", "Recordings": "recordings"}
PATH = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC\w+)/(?P<resource>Messages|Calls|Recordings)"
    r"(?:/(?P<sid>\w+))?(?:/(?P<sub>Recordings))?\.json$"
)
MEDIA = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC\w+)/Recordings/(?P<sid>RE\w+?)(?:\.(?:mp3|wav))?$"
)
# status, and the JSON body (None: 204), or a recording's audio
Answer = tuple[int, dict[str, Any] | bytes | None]


def twilio_date(moment: datetime | None = None) -> str:
    """Twilio's RFC 2822 date format."""
    return format_datetime(moment or datetime.now(UTC), usegmt=True).replace("GMT", "+0000")


class TwilioState:
    """One account's messages, calls and recordings. Not locked: the fake locks around it."""

    def __init__(self, account_sid: str) -> None:
        self.account_sid = account_sid
        self.messages: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.recordings: list[dict[str, Any]] = []
        self.media: dict[str, bytes] = {}
        self._serials = itertools.count(1)

    def add(self, resource: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Add a resource ("Messages", "Calls", "Recordings") with these fields and
        Twilio's defaults for the rest."""
        build = {"Messages": self._message, "Calls": self._call, "Recordings": self._recording}
        item = build[resource](fields)
        self._items(resource).insert(0, item)
        return item

    def answer(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Answer:
        """What Twilio's REST API answers this (authenticated) request."""
        media = MEDIA.match(path)
        if media is not None and method == "GET" and media["account"] == self.account_sid:
            audio = self.media.get(media["sid"])
            if audio is None or not any(r["sid"] == media["sid"] for r in self.recordings):
                return twilio_error(404, 20404, f"The requested resource {path} was not found")
            return 200, audio
        match = PATH.match(path)
        if match is None or match["account"] != self.account_sid:
            return twilio_error(404, 20404, "The requested resource was not found")
        resource, sid, sub = match["resource"], match["sid"], match["sub"]
        if sub:  # a call's recordings
            return 200, self._page(path, query, "Recordings", {"call_sid": sid})
        if sid is None and method == "GET":
            return 200, self._page(path, query, resource, {})
        if sid is None and method == "POST" and resource in ("Messages", "Calls"):
            return 201, self._create(resource, form)
        found = next((r for r in self._items(resource) if r["sid"] == sid), None)
        if found is None:
            return twilio_error(404, 20404, f"The requested resource {path} was not found")
        if method == "GET":
            return 200, found
        if method == "POST":
            found.update(_fields(form), date_updated=twilio_date())
            return 200, found
        if method == "DELETE":
            self._items(resource).remove(found)
            self.media.pop(found["sid"], None)
            return 204, None
        return twilio_error(405, 20004, "Method not allowed")

    def _sid(self, resource: str) -> str:
        return f"{RESOURCES[resource]}{next(self._serials):032x}"

    def _uri(self, resource: str, sid: str) -> str:
        return f"{API}/Accounts/{self.account_sid}/{resource}/{sid}.json"

    def _common(self, resource: str, fields: dict[str, Any]) -> dict[str, Any]:
        sid = fields.get("sid") or self._sid(resource)
        now = twilio_date()
        return {
            "sid": sid,
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "date_created": now,
            "date_updated": now,
            "price": None,
            "price_unit": "USD",
            "uri": self._uri(resource, sid),
        }

    def _message(self, fields: dict[str, Any]) -> dict[str, Any]:
        resource = self._common("Messages", fields) | {
            "to": None,
            "from": None,
            "body": "",
            "status": "queued",
            "direction": "outbound-api",
            "messaging_service_sid": None,
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "num_media": "0",
            "num_segments": "1",
        }
        resource |= fields
        resource["subresource_uris"] = {"media": resource["uri"][:-5] + "/Media.json"}
        return resource

    def _call(self, fields: dict[str, Any]) -> dict[str, Any]:
        resource = self._common("Calls", fields) | {
            "to": None,
            "from": None,
            "status": "queued",
            "direction": "outbound-api",
            "parent_call_sid": None,
            "start_time": None,
            "end_time": None,
            "duration": None,
            "answered_by": None,
            "caller_name": None,
            "forwarded_from": None,
            "queue_time": "0",
        }
        resource |= fields
        resource["subresource_uris"] = {"recordings": resource["uri"][:-5] + "/Recordings.json"}
        return resource

    def _recording(self, fields: dict[str, Any]) -> dict[str, Any]:
        resource = self._common("Recordings", fields) | {
            "call_sid": None,
            "conference_sid": None,
            "channels": 1,
            "start_time": twilio_date(),
            "duration": "0",
            "source": "RecordVerb",
            "status": "completed",
            "error_code": None,
            "encryption_details": None,
        }
        resource |= fields
        resource["media_url"] = "https://api.twilio.com" + resource["uri"][:-5]
        return resource

    def _items(self, resource: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = getattr(self, LIST_KEYS[resource])
        return items

    def _create(self, resource: str, form: dict[str, str]) -> dict[str, Any]:
        fields = _fields(form)
        if resource == "Messages":
            fields["status"] = "accepted" if fields.get("messaging_service_sid") else "queued"
        return self.add(resource, fields)

    def _page(
        self, path: str, query: dict[str, str], resource: str, fixed: dict[str, Any]
    ) -> dict[str, Any]:
        items = [i for i in self._items(resource) if _kept(i, query, fixed)]
        size = int(query.get("PageSize", 50))
        number = int(query.get("Page", 0))
        chunk = items[number * size : (number + 1) * size]

        def uri(page: int) -> str:
            return path + "?" + urlencode(query | {"Page": page, "PageSize": size})

        more = (number + 1) * size < len(items)
        return {
            LIST_KEYS[resource]: chunk,
            "first_page_uri": uri(0),
            "next_page_uri": uri(number + 1) if more else None,
            "previous_page_uri": uri(number - 1) if number else None,
            "page": number,
            "page_size": size,
            "start": number * size,
            "end": number * size + max(len(chunk) - 1, 0),
            "uri": uri(number),
        }


def twilio_error(status: int, code: int, message: str) -> Answer:
    info = f"https://www.twilio.com/docs/errors/{code}"
    return status, {"code": code, "message": message, "more_info": info, "status": status}


def _fields(form: dict[str, str]) -> dict[str, Any]:
    """Twilio's form parameters (`MessagingServiceSid`) as resource fields."""
    return {re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower(): value for key, value in form.items()}


# Twilio's list filters: parameter -> (resource field, comparison).
_FILTERS: dict[str, tuple[str, str]] = {
    "To": ("to", "="),
    "From": ("from", "="),
    "Status": ("status", "="),
    "CallSid": ("call_sid", "="),
    "ParentCallSid": ("parent_call_sid", "="),
    "DateSent": ("date_sent", "day"),
    "DateSent<": ("date_sent", "<"),
    "DateSent>": ("date_sent", ">"),
    "StartTime": ("start_time", "day"),
    "StartTime<": ("start_time", "<"),
    "StartTime>": ("start_time", ">"),
    "EndTime": ("end_time", "day"),
    "EndTime<": ("end_time", "<"),
    "EndTime>": ("end_time", ">"),
    "DateCreated": ("date_created", "day"),
    "DateCreated<": ("date_created", "<"),
    "DateCreated>": ("date_created", ">"),
}


def _kept(item: dict[str, Any], query: dict[str, str], fixed: dict[str, Any]) -> bool:
    if any(item.get(key) != value for key, value in fixed.items()):
        return False
    for parameter, value in query.items():
        if parameter not in _FILTERS:
            continue  # paging, or a filter the fake does not know: ignored, as Twilio does
        key, comparison = _FILTERS[parameter]
        if comparison == "=":
            if item.get(key) != value:
                return False
            continue
        if item.get(key) is None:
            return False
        moment = parsedate_to_datetime(item[key])
        if comparison == "day":
            if moment.date() != date.fromisoformat(value[:10]):
                return False
            continue
        bound = _moment(value)
        # Twilio's `<` and `>` on dates are inclusive (on or before, on or after).
        if (comparison == "<" and moment > bound) or (comparison == ">" and moment < bound):
            return False
    return True


def _moment(value: str) -> datetime:
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
