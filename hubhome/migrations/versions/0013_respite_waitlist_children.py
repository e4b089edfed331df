"""respite waiting list: the children and the note asked for, and the booking an offer made

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-07 14:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('respite_waitlist', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_respite_waitlist_booking_id_respite_bookings'),
            'respite_bookings',
            ['booking_id'],
            ['id'],
        )
    op.create_table(
        'respite_waitlist_children',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['child_id'],
            ['children.id'],
            name=op.f('fk_respite_waitlist_children_child_id_children'),
        ),
        sa.ForeignKeyConstraint(
            ['entry_id'],
            ['respite_waitlist.id'],
            name=op.f('fk_respite_waitlist_children_entry_id_respite_waitlist'),
        ),
        sa.PrimaryKeyConstraint('entry_id', 'child_id', name=op.f('pk_respite_waitlist_children')),
    )


def downgrade():
    op.drop_table('respite_waitlist_children')
    with op.batch_alter_table('respite_waitlist', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_respite_waitlist_booking_id_respite_bookings'), type_='foreignkey'
        )
        batch_op.drop_column('booking_id')
        batch_op.drop_column('note')
