"""Commit–reveal for the committee lottery: the seed's commitment (fixed while applications are
still open), the pool's fingerprint when applications closed, and a draw's seed that stays empty
until the draw starts.

Revision ID: b4a7c0140drw
Revises: a8c3e1f2b9d4
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4a7c0140drw'
down_revision = 'a8c3e1f2b9d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recruitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seed_value', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('seed_nonce', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seed_commitment', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seed_committed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('pool_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pool_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pool_closed_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.alter_column('seed', existing_type=sa.BigInteger(), nullable=True)
        batch_op.add_column(sa.Column('revealed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.drop_column('revealed_at')
    op.execute("UPDATE draw SET seed = 0 WHERE seed IS NULL")
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.alter_column('seed', existing_type=sa.BigInteger(), nullable=False)

    with op.batch_alter_table('recruitment', schema=None) as batch_op:
        batch_op.drop_column('pool_closed_at')
        batch_op.drop_column('pool_size')
        batch_op.drop_column('pool_sha256')
        batch_op.drop_column('seed_committed_at')
        batch_op.drop_column('seed_commitment')
        batch_op.drop_column('seed_nonce')
        batch_op.drop_column('seed_value')
