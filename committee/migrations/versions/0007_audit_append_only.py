"""audit log append-only: the database refuses updates and deletes of audit events

Revision ID: 7a0d1e2f3b4c
Revises: 1f684a710446
Create Date: 2026-11-25 09:40:00

"""
from alembic import op

from committee.audit import guard

# revision identifiers, used by Alembic.
revision = '7a0d1e2f3b4c'
down_revision = '1f684a710446'
branch_labels = None
depends_on = None


def upgrade():
    guard.install(op.get_bind())


def downgrade():
    guard.remove(op.get_bind())
