"""bench: index advice contacts by constellation and time

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 14:40:00

"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Constellation health and the monthly report count a constellation's advice over a
    # period: without this, every advice contact in the country is read (53 ms at full scale).
    op.create_index(
        'ix_advice_contacts_constellation_created',
        'advice_contacts',
        ['constellation_id', 'created_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_advice_contacts_constellation_created', table_name='advice_contacts')
