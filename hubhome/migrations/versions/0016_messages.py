"""messages: a group thread per constellation, direct threads, messages and read state

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-07 14:09:43.349707

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('group', 'direct', name='threadkind', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('constellation_id', sa.Integer(), nullable=True),
    sa.Column('pair_key', sa.String(length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['constellation_id'], ['constellations.id'], name=op.f('fk_message_threads_constellation_id_constellations')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_message_threads_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_threads')),
    sa.UniqueConstraint('constellation_id', name=op.f('uq_message_threads_constellation_id')),
    sa.UniqueConstraint('pair_key', name=op.f('uq_message_threads_pair_key'))
    )
    with op.batch_alter_table('message_threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_threads_last_message_at'), ['last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_threads_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('message_read_states',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_read_message_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['message_threads.id'], name=op.f('fk_message_read_states_thread_id_message_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_message_read_states_user_id_users')),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_message_read_states'))
    )
    with op.batch_alter_table('message_read_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_read_states_user_id'), ['user_id'], unique=False)

    op.create_table('message_thread_participants',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['message_threads.id'], name=op.f('fk_message_thread_participants_thread_id_message_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_message_thread_participants_user_id_users')),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_message_thread_participants'))
    )
    with op.batch_alter_table('message_thread_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_thread_participants_user_id'), ['user_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users')),
    sa.ForeignKeyConstraint(['thread_id'], ['message_threads.id'], name=op.f('fk_messages_thread_id_message_threads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_messages_thread_id_id', ['thread_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_thread_id_id')
        batch_op.drop_index(batch_op.f('ix_messages_created_at'))
        batch_op.drop_index(batch_op.f('ix_messages_author_id'))

    op.drop_table('messages')
    with op.batch_alter_table('message_thread_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_thread_participants_user_id'))

    op.drop_table('message_thread_participants')
    with op.batch_alter_table('message_read_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_read_states_user_id'))

    op.drop_table('message_read_states')
    with op.batch_alter_table('message_threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_threads_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_message_threads_last_message_at'))

    op.drop_table('message_threads')
