"""push, notification preferences, SMS takes, shift cover

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:13:08.545626

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = "0015"
branch_labels = None
depends_on = None

OLD_CHANNELS = ('sms', 'email')
NEW_CHANNELS = ('sms', 'email', 'push')
CHANNEL_CHECK = 'ck_outbox_messages_channel'


def _channel(values):
    return sa.Enum(*values, name='channel', native_enum=False, create_constraint=True, length=24)


def _channels(old, new):
    """Outbox rows may be push notifications: widen the channel's CHECK (PostgreSQL keeps
    the old one through a type change, so it is replaced there)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f(CHANNEL_CHECK), 'outbox_messages', type_='check')
        listed = ', '.join(f"'{value}'" for value in new)
        op.create_check_constraint(
            op.f(CHANNEL_CHECK), 'outbox_messages', f'channel IN ({listed})'
        )
        return
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('channel', existing_type=_channel(old), type_=_channel(new))


def upgrade():
    _channels(OLD_CHANNELS, NEW_CHANNELS)
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('new_message', 'booking_decided', 'activity_changed', 'reminder', 'on_call', name='kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('via', sa.Enum('push', 'sms', 'email', 'none', name='via', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind'))
    )
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preferences_user_id'), ['user_id'], unique=False)

    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=1000), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('follow_up_takes',
    sa.Column('follow_up_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_id'], ['phone_follow_ups.id'], name=op.f('fk_follow_up_takes_follow_up_id_phone_follow_ups')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follow_up_takes_user_id_users')),
    sa.PrimaryKeyConstraint('follow_up_id', name=op.f('pk_follow_up_takes')),
    sa.UniqueConstraint('message_sid', name=op.f('uq_follow_up_takes_message_sid'))
    )
    op.create_table('shift_cover_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rota_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('open', 'taken', 'withdrawn', name='coverstatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('override_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_shift_cover_requests_asked_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_shift_cover_requests_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['override_id'], ['on_call_shifts.id'], name=op.f('fk_shift_cover_requests_override_id_on_call_shifts')),
    sa.ForeignKeyConstraint(['rota_id'], ['rotas.id'], name=op.f('fk_shift_cover_requests_rota_id_rotas')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_shift_cover_requests_taken_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_cover_requests'))
    )
    with op.batch_alter_table('shift_cover_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_cover_requests_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_cover_requests_rota_id'), ['rota_id'], unique=False)



def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE channel = 'push'")
    _channels(NEW_CHANNELS, OLD_CHANNELS)
    with op.batch_alter_table('shift_cover_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_cover_requests_rota_id'))
        batch_op.drop_index(batch_op.f('ix_shift_cover_requests_organisation_id'))

    op.drop_table('shift_cover_requests')
    op.drop_table('follow_up_takes')
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_user_id'))

    op.drop_table('push_subscriptions')
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preferences_user_id'))

    op.drop_table('notification_preferences')
