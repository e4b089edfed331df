"""bench: indexes the national-scale benchmark showed were missing

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 12:05:00

"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Availability counts the bookings still to come at one hub: by check-out date, so ten
    # years of past stays (or every open booking in the country) are never read.
    op.create_index(
        'ix_respite_bookings_hub_check_out',
        'respite_bookings',
        ['hub_household_id', 'check_out'],
        unique=False,
    )
    # The caseload sums each child's respite nights: without this, every booking's children.
    op.create_index(
        op.f('ix_respite_booking_children_child_id'),
        'respite_booking_children',
        ['child_id'],
        unique=False,
    )


def downgrade():
    op.drop_index(
        op.f('ix_respite_booking_children_child_id'), table_name='respite_booking_children'
    )
    op.drop_index('ix_respite_bookings_hub_check_out', table_name='respite_bookings')
