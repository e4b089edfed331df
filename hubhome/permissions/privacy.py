"""The access review and register extracts: administrators, and the log reviewer role.

A log reviewer may do nothing but the access review: `log_reviewer_may_open` is the one list
of what they reach, and every other page and API answers 403.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from hubhome.accounts.models import Role, User
from hubhome.permissions.core import _none, get_or_404

LOG_REVIEWER_BLUEPRINTS = frozenset({"accounts", "about", "static"})
LOG_REVIEWER_ENDPOINTS = frozenset({"home.root", "home.index"})  # home sends them on


def can_review_logs(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.LOG_REVIEWER)


def can_produce_extracts(user: User) -> bool:
    return user.role == Role.ADMIN


def log_reviewer_may_open(endpoint: str | None) -> bool:
    """Whether a log reviewer may open `endpoint`: sign-in, their account, the review."""
    if endpoint is None:
        return False
    blueprint = endpoint.rpartition(".")[0]
    return (
        endpoint.startswith("privacy.review")
        or blueprint in LOG_REVIEWER_BLUEPRINTS
        or endpoint in LOG_REVIEWER_ENDPOINTS
        or endpoint == "static"
    )


def may_open(user: User, endpoint: str | None) -> bool:
    """Whether the user's role may open a page at all (the log reviewer's fence)."""
    return user.role != Role.LOG_REVIEWER or log_reviewer_may_open(endpoint)


def log_review_ids_visible_to(user: User) -> Select[Any]:
    from hubhome.privacy.models import LogReview

    if not can_review_logs(user):
        return _none()
    return select(LogReview.id).where(LogReview.organisation_id == user.organisation_id)


def get_log_review_or_404(user: User, review_id: int) -> Any:
    from hubhome.privacy.models import LogReview

    return get_or_404(LogReview, review_id, log_review_ids_visible_to(user))


def get_log_review_item_or_404(user: User, item_id: int) -> Any:
    from hubhome.privacy.models import LogReviewItem

    visible = select(LogReviewItem.id).where(
        LogReviewItem.review_id.in_(log_review_ids_visible_to(user))
    )
    return get_or_404(LogReviewItem, item_id, visible)
