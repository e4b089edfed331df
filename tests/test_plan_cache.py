"""The outcomes reports are planned for their own period, never with a generic plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from hubhome.extensions import db
from hubhome.network.models import Constellation
from hubhome.outcomes import queries
from tests.conftest import is_postgres

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="a PostgreSQL planner setting"),
]


def test_the_outcomes_queries_plan_for_their_period_and_the_setting_ends_with_them(app, demo):
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "auto"
    constellations = list(db.session.scalars(select(Constellation)))
    health = queries.constellation_health(
        db.session, constellations, date(2016, 1, 1), date(2026, 12, 31)
    )
    assert health
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    db.session.rollback()  # SET LOCAL: only for the unit of work that ran the report
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "auto"
    db.session.rollback()
