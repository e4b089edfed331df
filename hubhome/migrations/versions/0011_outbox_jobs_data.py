"""outbox: urgent before bulk, "sending" before the provider is called

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-07 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None

OLD_STATUSES = ('pending', 'sent', 'delivered', 'failed')
NEW_STATUSES = ('pending', 'sending', 'sent', 'delivered', 'failed')


def _status(values):
    return sa.Enum(
        *values, name='outboxstatus', native_enum=False, create_constraint=True, length=24
    )


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('priority', sa.Integer(), server_default='1', nullable=False)
        )
        batch_op.add_column(sa.Column('attempt_started_at', sa.DateTime(), nullable=True))
        batch_op.alter_column(
            'status', existing_type=_status(OLD_STATUSES), type_=_status(NEW_STATUSES)
        )
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.create_index(
            'ix_outbox_messages_queue', ['status', 'priority', 'due_at'], unique=False
        )


def downgrade():
    op.execute("UPDATE outbox_messages SET status = 'pending' WHERE status = 'sending'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_queue')
        batch_op.create_index('ix_outbox_messages_due', ['status', 'due_at'], unique=False)
        batch_op.alter_column(
            'status', existing_type=_status(NEW_STATUSES), type_=_status(OLD_STATUSES)
        )
        batch_op.drop_column('attempt_started_at')
        batch_op.drop_column('priority')
