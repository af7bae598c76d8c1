"""Jobs on the queue: outgoing mail with its state (the outbox), a draw's heartbeat, and the
member copies of an approved offer.

Mail written before this was kept in the outbox (no mail server was used through it): "KEPT".

Revision ID: c3a7c0190out
Revises: b1a7c0110acc
Create Date: 2026-12-07 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a7c0190out'
down_revision = 'b1a7c0110acc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), server_default='KEPT', nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_error', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_outbox_message_state', ['state'], unique=False)
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copies', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('copies_round', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('copies_error', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('copies_annex', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('copies_started_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('copies_started_at')
        batch_op.drop_column('copies_annex')
        batch_op.drop_column('copies_error')
        batch_op.drop_column('copies_round')
        batch_op.drop_column('copies')
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_state')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('last_error')
        batch_op.drop_column('attempts')
        batch_op.drop_column('state')
