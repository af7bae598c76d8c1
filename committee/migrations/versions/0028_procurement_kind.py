"""procurement kind: an aanbesteding or one of the two challenge forms (docs/challenges.md)

Existing data: every procurement is an aanbesteding (the server default).

Revision ID: cba7c0280knd
Revises: c2a7c0180rcp
Create Date: 2026-12-07 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cba7c0280knd'
down_revision = 'c2a7c0180rcp'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('procurement', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kind', sa.String(length=20), server_default='procurement', nullable=False)
        )


def downgrade():
    # Not in batch mode: on SQLite that copies and drops the procurement table, which the tables
    # that point at it refuse. SQLite (3.35 on) and PostgreSQL both drop a column in place.
    op.execute('ALTER TABLE procurement DROP COLUMN kind')
