"""jobs: the organisation's retention policy; advice contacts point at their call

Revision ID: 0006
Revises: 0005_monitoring
Create Date: 2026-11-23 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005_monitoring'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), nullable=True))
    with op.batch_alter_table('advice_contacts', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_advice_contacts_call_id_calls'), 'calls', ['call_id'], ['id']
        )
    op.create_index(op.f('ix_advice_contacts_call_id'), 'advice_contacts', ['call_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_advice_contacts_call_id'), table_name='advice_contacts')
    with op.batch_alter_table('advice_contacts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_advice_contacts_call_id_calls'), type_='foreignkey')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('retention_years')
