"""advice: when the contact happened and which child it concerned

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-07 14:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('advice_contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occurred_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_advice_contacts_child_id'), ['child_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_advice_contacts_child_id_children'), 'children', ['child_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('advice_contacts', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_advice_contacts_child_id_children'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_advice_contacts_child_id'))
        batch_op.drop_column('child_id')
        batch_op.drop_column('occurred_at')
