"""outbox: urgent before bulk, "sending" before the provider is called; placements and
decisions cannot be deleted on PostgreSQL

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-07 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_STATUSES = ('pending', 'sent', 'delivered', 'failed')
NEW_STATUSES = ('pending', 'sending', 'sent', 'delivered', 'failed')


# Placement and decision records are kept for good: not even SQL deletes them (a superuser
# may still, with session_replication_role = replica, as pg_restore and the tests do).
KEPT = ('placements', 'intervention_decisions')
KEPT_FUNCTION = """
CREATE FUNCTION records_are_kept() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'records of % are kept: they cannot be deleted', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _keep_records():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(KEPT_FUNCTION)
    for table in KEPT:
        op.execute(
            f'CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} '
            'FOR EACH ROW EXECUTE FUNCTION records_are_kept()'
        )
        op.execute(
            f'CREATE TRIGGER {table}_kept_whole BEFORE TRUNCATE ON {table} '
            'FOR EACH STATEMENT EXECUTE FUNCTION records_are_kept()'
        )


def _release_records():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in KEPT:
        op.execute(f'DROP TRIGGER IF EXISTS {table}_kept ON {table}')
        op.execute(f'DROP TRIGGER IF EXISTS {table}_kept_whole ON {table}')
    op.execute('DROP FUNCTION IF EXISTS records_are_kept()')


def _status(values):
    return sa.Enum(
        *values, name='outboxstatus', native_enum=False, create_constraint=True, length=24
    )


STATUS_CHECK = 'ck_outbox_messages_outboxstatus'


def _status_check(values):
    """PostgreSQL keeps the old CHECK through a type change: replace it."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_constraint(op.f(STATUS_CHECK), 'outbox_messages', type_='check')
    listed = ', '.join(f"'{value}'" for value in values)
    op.create_check_constraint(op.f(STATUS_CHECK), 'outbox_messages', f'status IN ({listed})')


def upgrade():
    _status_check(NEW_STATUSES)
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
    _keep_records()


def downgrade():
    _release_records()
    op.execute("UPDATE outbox_messages SET status = 'pending' WHERE status = 'sending'")
    _status_check(OLD_STATUSES)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_queue')
        batch_op.create_index('ix_outbox_messages_due', ['status', 'due_at'], unique=False)
        batch_op.alter_column(
            'status', existing_type=_status(NEW_STATUSES), type_=_status(OLD_STATUSES)
        )
        batch_op.drop_column('attempt_started_at')
        batch_op.drop_column('priority')
