"""The committee's house rules kept: the member's briefing, and bidders' questions routed to the committee.

- ``committee_member.briefing_read_at``: when the member confirmed the briefing and reading guide
  ("gelezen"); a member without it cannot save a score. Existing seats start without it: a member
  who is scoring now reads the briefing once before their next save.
- ``question.route``: where a bidder's question goes: ``nota`` (the nota van inlichtingen, as
  before; every existing question), ``via_municipality`` (a message the municipality passes on to
  the members who accept that) or ``meeting`` (a request to talk at a meeting the municipality
  organises).

Revision ID: c8a7c0240hse
Revises: c5a7c0210edt
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8a7c0240hse'
down_revision = 'c5a7c0210edt'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('committee_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('briefing_read_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('route', sa.String(length=20), nullable=False, server_default='nota'))


def downgrade():
    # SQLite drops a column in place (3.35+): a batch copy of committee_member would break the
    # foreign keys of the declarations and scores that point at it.
    for table, column in (('question', 'route'), ('committee_member', 'briefing_read_at')):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
        else:
            op.drop_column(table, column)
