"""What of a child's record each access level shows; the pages and the API share it."""

from __future__ import annotations

from datetime import date
from typing import Any

from hubhome.children.models import Child, Placement
from hubhome.children.personnummer import mask
from hubhome.permissions import ChildAccess
from hubhome.timeutil import age_on


def child_view(
    child: Child, access: ChildAccess, placement: Placement | None, today: date
) -> dict[str, Any]:
    """Return the fields of `child` visible at `access`; protected identity narrows it further."""
    data: dict[str, Any] = {
        "id": child.id,
        "first_name": child.first_name,
        "age": age_on(child.birth_date, today),
        "access": access.name.lower(),
    }
    if access == ChildAccess.SUMMARY:
        return data
    if child.protected_identity and access < ChildAccess.FULL:
        data["last_name"] = child.last_name[:1] + "."
        data["birth_year"] = child.birth_date.year
    else:
        data["last_name"] = child.last_name
        data["birth_date"] = child.birth_date.isoformat()
    data["protected_identity"] = child.protected_identity
    data["gender"] = str(child.gender)
    if placement is not None:
        data["placement"] = {
            "id": placement.id,
            "household_id": placement.household_id,
            "start_date": placement.start_date.isoformat(),
            "social_worker_id": placement.social_worker_id,
        }
    if access == ChildAccess.FULL:
        data["personnummer_masked"] = mask(child.personnummer) or None
    return data
