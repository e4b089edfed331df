"""Retention (gallring): delete what the organisation's policy says may go, and log it.

Each organisation sets how many years after the last entry case entries are kept
(`Organisation.retention_years`; unset means nothing is removed). Areas add rules for what
they own with `add_rule` in their init_app. Two things are never removed by any rule: records
of a foster-home placement (children, placements, respite stays, follow-up visits and reviews),
and anything about people born on the 5th, 15th or 25th of a month, whom the archives keep for
research.
Every run writes one audit event per rule and organisation with the counts it removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import Flask
from sqlalchemy import Select, delete, extract, select

from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.network.models import Organisation
from hubhome.ops.models import JobRun
from hubhome.registry import Registry
from hubhome.timeutil import local_to_utc, local_today, utcnow

RESEARCH_SAMPLE_DAYS = frozenset({5, 15, 25})
# Technical records, not case entries: kept for a fixed time whatever the policy says.
JOB_RUNS_KEEP = timedelta(days=365)


def in_research_sample(birth_date: date | None) -> bool:
    """People born on the 5th, 15th or 25th are kept for research."""
    return birth_date is not None and birth_date.day in RESEARCH_SAMPLE_DAYS


def research_sample_households() -> Select[Any]:
    """Households that have had a placed child born on the 5th, 15th or 25th: kept."""
    from hubhome.children.models import Child, Placement

    return (
        select(Placement.household_id)
        .join(Child, Child.id == Placement.child_id)
        .where(extract("day", Child.birth_date).in_(sorted(RESEARCH_SAMPLE_DAYS)))
    )


@dataclass(frozen=True)
class RetentionContext:
    organisation: Organisation
    today: date
    now: datetime

    @property
    def case_cutoff(self) -> date | None:
        """Case entries whose last entry is before this day may be deleted (None: keep all)."""
        years = self.organisation.retention_years
        return self.today - relativedelta(years=years) if years else None

    @property
    def case_cutoff_instant(self) -> datetime | None:
        cutoff = self.case_cutoff
        return local_to_utc(cutoff, time(0)) if cutoff else None


# A rule removes what it may for one organisation and returns how many rows it removed.
RetentionRule = Callable[[DbSession, RetentionContext], int]
retention_rules: Registry[tuple[str, RetentionRule]] = Registry(
    "retention_rules", key=lambda named: named[0]
)


def add_rule(app: Flask, name: str, rule: RetentionRule) -> None:
    """Let the nightly job apply `rule` (named `name` in the audit log) to every organisation."""
    retention_rules.add(app, (name, rule))


def apply_retention(session: DbSession) -> int:
    """Run every rule for every organisation; return the number of rows removed."""
    now = utcnow()
    ctx_today = local_today()
    removed = 0
    for organisation in session.scalars(select(Organisation).order_by(Organisation.id)):
        ctx = RetentionContext(organisation=organisation, today=ctx_today, now=now)
        for name, rule in sorted(retention_rules.items()):
            count = rule(session, ctx)
            if count:
                record(
                    session,
                    None,
                    "retention.removed",
                    organisation_id=organisation.id,
                    detail={
                        "rule": name,
                        "rows": count,
                        "policy_years": organisation.retention_years,
                        "cutoff": ctx.case_cutoff.isoformat() if ctx.case_cutoff else None,
                    },
                )
            removed += count
    result = session.execute(delete(JobRun).where(JobRun.started_at < now - JOB_RUNS_KEEP))
    return removed + int(getattr(result, "rowcount", 0) or 0)
