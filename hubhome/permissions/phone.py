"""Scope the on-call rotas and the telephone support calls and follow-ups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select, union

from hubhome.accounts.models import Role, User
from hubhome.permissions.core import (
    ChildAccess,
    _contains,
    _none,
    constellation_ids_visible_to,
    get_or_404,
)

ROTA_VIEWERS = (Role.ADMIN, Role.SOCIAL_WORKER, Role.HUB_CARER, Role.ONCALL_STAFF)


def rota_ids_visible_to(user: User) -> Select[Any]:
    """Rotas of the constellations a user may see, and the organisation's shared rotas.

    Families do not see rotas: the line itself reaches whoever is on call.
    """
    from hubhome.rota.models import Rota

    if user.role not in ROTA_VIEWERS:
        return _none()
    return select(Rota.id).where(
        Rota.organisation_id == user.organisation_id,
        or_(
            Rota.constellation_id.is_(None),
            Rota.constellation_id.in_(constellation_ids_visible_to(user)),
        ),
    )


def can_edit_rota(user: User, rota: Any) -> bool:
    """Administrators edit every rota of their organisation; hub carers their constellation's."""
    if rota.organisation_id != user.organisation_id:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.HUB_CARER and rota.constellation_id is not None:
        return _contains(constellation_ids_visible_to(user), rota.constellation_id)
    return False


def can_create_rota(user: User, constellation_id: int | None) -> bool:
    """Admins create any rota of their organisation; hub carers one for their constellation."""
    if user.role == Role.ADMIN:
        return constellation_id is None or _contains(
            constellation_ids_visible_to(user), constellation_id
        )
    return (
        user.role == Role.HUB_CARER
        and constellation_id is not None
        and _contains(constellation_ids_visible_to(user), constellation_id)
    )


def get_rota_or_404(user: User, rota_id: int) -> Any:
    from hubhome.rota.models import Rota

    return get_or_404(Rota, rota_id, rota_ids_visible_to(user))


def cover_request_ids_visible_to(user: User) -> Select[Any]:
    """Requests for cover on the rotas a user may see."""
    from hubhome.rota.models import CoverRequest

    return select(CoverRequest.id).where(CoverRequest.rota_id.in_(rota_ids_visible_to(user)))


def get_cover_request_or_404(user: User, cover_id: int) -> Any:
    from hubhome.rota.models import CoverRequest

    return get_or_404(CoverRequest, cover_id, cover_request_ids_visible_to(user))


def call_ids_visible_to(user: User) -> Select[Any]:
    """Calls to the constellations a user may see (on-call staff and admins: the whole
    organisation), and every call the user was rung for. Families see no call log."""
    from hubhome.phone.models import Call, CallLeg

    if user.role not in ROTA_VIEWERS:
        return _none()
    rung = select(CallLeg.call_id).where(CallLeg.user_id == user.id)
    if user.role == Role.ADMIN:
        # Calls to a number no constellation has belong to no organisation; administrators
        # see them so the misconfigured number gets fixed.
        scoped = select(Call.id).where(
            or_(Call.organisation_id == user.organisation_id, Call.organisation_id.is_(None))
        )
    elif user.role == Role.ONCALL_STAFF:
        scoped = select(Call.id).where(Call.organisation_id == user.organisation_id)
    else:
        scoped = select(Call.id).where(
            Call.constellation_id.in_(constellation_ids_visible_to(user))
        )
    return select(union(scoped, rung).subquery().c[0])


def get_call_or_404(user: User, call_id: int) -> Any:
    from hubhome.phone.models import Call

    return get_or_404(Call, call_id, call_ids_visible_to(user))


def follow_up_ids_visible_to(user: User) -> Select[Any]:
    """Follow-ups of the calls a user may see."""
    from hubhome.phone.models import FollowUp

    return select(FollowUp.id).where(FollowUp.call_id.in_(call_ids_visible_to(user)))


def get_follow_up_or_404(user: User, follow_up_id: int) -> Any:
    from hubhome.phone.models import FollowUp

    return get_or_404(FollowUp, follow_up_id, follow_up_ids_visible_to(user))


def call_context_access(user: User, call: Any, visible: set[int] | None = None) -> ChildAccess:
    """What a call shows about the caller's children: first name and age, nothing more,
    and only to people who may see the call. `visible`: the ids of these calls the user may
    see, when the caller has read them for many calls at once (`call_ids_visible_to`)."""
    if call.household_id is None:
        return ChildAccess.NONE
    if visible is None:
        visible = {call.id} if _contains(call_ids_visible_to(user), call.id) else set()
    if call.id not in visible:
        return ChildAccess.NONE
    return ChildAccess.SUMMARY
