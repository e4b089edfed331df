"""The yearly carer survey: one-time links through the outbox, anonymous answers, and
results shown only for groups of at least five answers."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, ValidationFailed
from hubhome.network.models import ConstellationMembership, Household, HouseholdKind
from hubhome.outbox.services import enqueue_sms
from hubhome.outcomes.models import SurveyAnswer, SurveyInvitation, SurveyRound

MIN_GROUP = 5
CHOICES = ("yes", "no", "unsure")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _reachable_carers(session: DbSession, household_ids: list[int]) -> dict[int, list[User]]:
    """Each household's active carers with a phone, one per number (two accounts sharing a
    phone get one SMS)."""
    carers: dict[int, list[User]] = {}
    numbers: set[tuple[int, str]] = set()
    for user in session.scalars(
        select(User)
        .where(
            User.household_id.in_(household_ids),
            User.active.is_(True),
            User.phone.is_not(None),
            User.phone != "",
        )
        .order_by(User.id)
    ):
        key = (user.household_id or 0, user.phone or "")
        if key not in numbers:
            numbers.add(key)
            carers.setdefault(user.household_id or 0, []).append(user)
    return carers


def open_round(
    session: DbSession, actor: User, year: int, link_for: Callable[[str], str]
) -> SurveyRound:
    """Open the year's round and send each current carer household its one-time link."""
    existing = session.scalar(
        select(SurveyRound).where(
            SurveyRound.organisation_id == actor.organisation_id, SurveyRound.year == year
        )
    )
    if existing is not None:
        message = _("A survey round for %(year)s is already open.", year=year)
        raise ValidationFailed(message, errors={"year": [message]})
    survey = SurveyRound(organisation_id=actor.organisation_id, year=year, opened_by_id=actor.id)
    session.add(survey)
    session.flush()
    m = ConstellationMembership
    homes = session.execute(
        select(Household.id, m.constellation_id)
        .join(m, m.household_id == Household.id)
        .where(
            Household.organisation_id == actor.organisation_id,
            Household.kind == HouseholdKind.SATELLITE,
            Household.deregistered_on.is_(None),
            m.left_on.is_(None),
        )
    ).all()
    carers = _reachable_carers(session, [h for h, _c in homes])
    # Only households someone can be sent the link to are invited: the response rate counts
    # the families that got a link, not every family.
    invited = [(h, c) for h, c in homes if carers.get(h)]
    for household_id, constellation_id in invited:
        token = secrets.token_urlsafe(24)
        session.add(
            SurveyInvitation(
                round_id=survey.id,
                household_id=household_id,
                constellation_id=constellation_id,
                token_hash=token_hash(token),
            )
        )
        link = link_for(token)
        for carer in carers.get(household_id, []):
            enqueue_sms(
                session,
                carer,
                "survey.invitation",
                lambda link=link: _(  # type: ignore[misc]
                    "How does the constellation support you? Answer the yearly survey "
                    "anonymously (one answer per family): %(link)s",
                    link=link,
                ),
                dedupe_key=f"survey:{survey.id}:{household_id}:{carer.id}",
            )
    record(
        session, actor, "survey.opened", survey, detail={"year": year, "households": len(invited)}
    )
    return survey


def invitation_for(session: DbSession, token: str) -> SurveyInvitation | None:
    return session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token))
    )


@dataclass(frozen=True)
class Answer:
    support_hub: int
    support_families: int
    support_social_services: int
    would_have_stopped: str
    placement_would_have_broken: str
    comment: str


def answer(session: DbSession, token: str, given: Answer) -> None:
    """Store one anonymous answer; the link works once (compare-and-swap on `used`)."""
    scores = (given.support_hub, given.support_families, given.support_social_services)
    if not all(1 <= score <= 5 for score in scores):
        raise ValidationFailed(_("Choose a number from 1 to 5."))
    if not {given.would_have_stopped, given.placement_would_have_broken} <= set(CHOICES):
        raise ValidationFailed(_("Choose an answer."))
    invitation = invitation_for(session, token)
    if invitation is None:
        raise Conflict(_("This survey link is not valid."))
    claimed = session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.used.is_(False))
        .values(used=True)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("This survey link has already been used. Thank you!"))
    session.add(
        SurveyAnswer(
            round_id=invitation.round_id,
            constellation_id=invitation.constellation_id,
            support_hub=given.support_hub,
            support_families=given.support_families,
            support_social_services=given.support_social_services,
            would_have_stopped=given.would_have_stopped,
            placement_would_have_broken=given.placement_would_have_broken,
            comment=given.comment.strip()[:2000] or None,
        )
    )


@dataclass(frozen=True)
class GroupResult:
    name: str
    answers: int
    shown: bool  # False below the minimum group size: nothing but the count is shown
    mean_hub: float = 0
    mean_families: float = 0
    mean_social_services: float = 0
    good_or_excellent_hub: float = 0  # share answering 4 or 5
    would_have_stopped: float = 0
    placement_would_have_broken: float = 0


def _group(name: str, answers: list[SurveyAnswer]) -> GroupResult:
    n = len(answers)
    if n < MIN_GROUP:
        return GroupResult(name, n, False)
    return GroupResult(
        name,
        n,
        True,
        mean_hub=sum(a.support_hub for a in answers) / n,
        mean_families=sum(a.support_families for a in answers) / n,
        mean_social_services=sum(a.support_social_services for a in answers) / n,
        good_or_excellent_hub=sum(a.support_hub >= 4 for a in answers) / n,
        would_have_stopped=sum(a.would_have_stopped == "yes" for a in answers) / n,
        placement_would_have_broken=sum(a.placement_would_have_broken == "yes" for a in answers)
        / n,
    )


def results(
    session: DbSession, survey: SurveyRound, constellation_names: dict[int, str]
) -> tuple[int, GroupResult, list[GroupResult], list[str]]:
    """(invited, whole organisation, per constellation, comments when the group is large enough)."""
    invited = session.scalar(
        select(func.count(SurveyInvitation.id)).where(SurveyInvitation.round_id == survey.id)
    )
    answers = list(session.scalars(select(SurveyAnswer).where(SurveyAnswer.round_id == survey.id)))
    whole = _group(_("All families"), answers)
    groups = []
    for cid, name in sorted(constellation_names.items(), key=lambda item: item[1]):
        groups.append(_group(name, [a for a in answers if a.constellation_id == cid]))
    comments = sorted(a.comment for a in answers if a.comment) if whole.shown else []
    return int(invited or 0), whole, groups, comments
