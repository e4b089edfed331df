"""`hubhome log-review open`: open a month's access review from the command line."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

log_review_cli = AppGroup("log-review", help="The monthly access review of children's records.")


def _month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter("write the month as YYYY-MM") from None


@log_review_cli.command("open")
@click.option("--month", callback=_month, help="YYYY-MM; last month by default.")
@click.option("--organisation", "organisation_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), help="The sample's seed.")
@click.option("--sample-size", type=click.IntRange(0, 10_000))
def open_command(
    month: date | None, organisation_id: int | None, seed: int | None, sample_size: int | None
) -> None:
    """Open the review of a month for one organisation, or for all; an open one is kept."""
    from hubhome.errors import DomainError
    from hubhome.network.models import Organisation
    from hubhome.privacy.services import open_review, previous_month
    from hubhome.timeutil import local_today
    from hubhome.transaction import unit_of_work

    month = month or previous_month(local_today())
    with unit_of_work() as session:
        ids = list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
        if organisation_id is not None:
            if organisation_id not in ids:
                raise click.UsageError(f"no organisation {organisation_id}")
            ids = [organisation_id]
        for org_id in ids:
            try:
                review, opened = open_review(
                    session, None, org_id, month, seed=seed, sample_size=sample_size
                )
            except DomainError as refused:
                problems = [m for msgs in refused.errors.values() for m in msgs]
                raise click.UsageError(" ".join([refused.message, *problems])) from None
            state = "opened" if opened else "already open"
            click.echo(
                f"organisation {org_id}: review {review.id} of {month:%Y-%m} {state}, "
                f"{len(review.items)} items from {review.reads} reads"
            )
