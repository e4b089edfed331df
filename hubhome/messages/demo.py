"""The demo's constellation threads, with a few messages (written directly: no notification
leaves the demo)."""

from __future__ import annotations

from datetime import timedelta

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.messages.models import Message, MessageThread, ThreadKind, ThreadParticipant
from hubhome.network.models import Constellation
from hubhome.timeutil import utcnow

DOMAIN = "@demo.hubhome.test"

# (who, hours ago, text) per constellation
BJORNEN = [
    ("hubb.bjornen", 50, "Hej allihop! Träffen på lördag blir hos oss kl. 14. Ta gärna med fika."),
    ("familj1", 49, "Vi kommer! Barnen ser fram emot det."),
    ("familj2", 26, "Vi kommer lite senare, runt halv tre."),
    ("socialsekreterare", 5, "Jag är med en stund på lördag och kan svara på frågor."),
]
RAVEN = [
    ("hubb.raven", 30, "Påminnelse: pysselkväll på torsdag kl. 18 hos oss."),
    ("familj9", 3, "Tack, vi kommer gärna!"),
]
DIRECT = [
    ("familj1", 20, "Hej Hanna, kan vi prata om avlastning nästa helg?"),
    ("hubb.bjornen", 19, "Absolut, ring mig i kväll eller boka direkt i Hubhome."),
]


def seed_messages(
    session: DbSession, users: dict[str, User], bjornen: Constellation, raven: Constellation
) -> None:
    """A group thread for each constellation and a direct thread, with a few messages."""
    now = utcnow()

    def user(short: str) -> User:
        return users[short + DOMAIN]

    def thread_with(thread: MessageThread, lines: list[tuple[str, int, str]]) -> None:
        session.add(thread)
        session.flush()
        for who, hours, text in lines:
            at = now - timedelta(hours=hours)
            session.add(
                Message(thread_id=thread.id, author_id=user(who).id, body=text, created_at=at)
            )
            thread.last_message_at = at

    for constellation, lines in ((bjornen, BJORNEN), (raven, RAVEN)):
        group = MessageThread(
            organisation_id=constellation.organisation_id,
            kind=ThreadKind.GROUP,
            constellation_id=constellation.id,
            created_at=now - timedelta(days=30),
        )
        thread_with(group, lines)
    family, hub = user("familj1"), user("hubb.bjornen")
    low, high = sorted((family.id, hub.id))
    direct = MessageThread(
        organisation_id=bjornen.organisation_id,
        kind=ThreadKind.DIRECT,
        pair_key=f"{low}:{high}",
        created_at=now - timedelta(days=1),
    )
    thread_with(direct, DIRECT)
    session.add_all(
        [
            ThreadParticipant(thread_id=direct.id, user_id=family.id),
            ThreadParticipant(thread_id=direct.id, user_id=hub.id),
        ]
    )
    session.flush()
