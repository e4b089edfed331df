"""Scope the open services (no individual decision): the organisation's administrators and
social workers record participation; administrators decide which services are open."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from hubhome.accounts.models import Role, User
from hubhome.permissions.core import _none, get_or_404

OPEN_SERVICE_STAFF = (Role.ADMIN, Role.SOCIAL_WORKER)


def can_record_open_participation(user: User) -> bool:
    return user.role in OPEN_SERVICE_STAFF


def can_manage_open_services(user: User) -> bool:
    return user.role == Role.ADMIN


def open_service_ids_visible_to(user: User) -> Select[Any]:
    """The open services of the user's organisation, for its administrators and social
    workers; nobody else sees them."""
    from hubhome.openservices.models import OpenService

    if user.role not in OPEN_SERVICE_STAFF:
        return _none()
    return select(OpenService.id).where(OpenService.organisation_id == user.organisation_id)


def get_open_service_or_404(user: User, service_id: int) -> Any:
    from hubhome.openservices.models import OpenService

    return get_or_404(OpenService, service_id, open_service_ids_visible_to(user))


def open_participation_ids_visible_to(user: User) -> Select[Any]:
    from hubhome.openservices.models import OpenParticipation

    return select(OpenParticipation.id).where(
        OpenParticipation.service_id.in_(open_service_ids_visible_to(user))
    )


def get_open_participation_or_404(user: User, participation_id: int) -> Any:
    from hubhome.openservices.models import OpenParticipation

    return get_or_404(OpenParticipation, participation_id, open_participation_ids_visible_to(user))
