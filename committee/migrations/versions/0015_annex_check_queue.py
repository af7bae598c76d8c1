"""Annexes are checked on the job queue: each annex says how far its check got.

Existing annexes were checked inside the upload and are "OK".

Revision ID: b5a7c0150que
Revises: b4a7c0140drw
Create Date: 2026-11-26 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5a7c0150que'
down_revision = 'b4a7c0140drw'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annex', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='OK', nullable=False))
        batch_op.add_column(sa.Column('refusal', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('refusal_pages', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('queued_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('check_started_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_annex_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('annex', schema=None) as batch_op:
        batch_op.drop_index('ix_annex_status')
        batch_op.drop_column('check_started_at')
        batch_op.drop_column('queued_at')
        batch_op.drop_column('refusal_pages')
        batch_op.drop_column('refusal')
        batch_op.drop_column('status')
