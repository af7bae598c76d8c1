"""Changing course: the day offers opened (for the minimum offer period), how a procurement ended
without an award (cancelled or no award, with the reason), and the changes bidders were told of
(table procurement_change).

Upgrade fills in the day offers opened for every procurement that opened them, from the audit
log's phase event (in Dutch time), so the minimum offer period also holds for them.

Revision ID: c5a7c0210edt
Revises: c4a7c0200blb
Create Date: 2026-12-07 12:00:00

"""
import json
from datetime import timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5a7c0210edt'
down_revision = 'c4a7c0200blb'
branch_labels = None
depends_on = None

LOCAL = ZoneInfo("Europe/Amsterdam")

procurement = sa.table("procurement", sa.column("id", sa.Integer), sa.column("offers_opened_on", sa.Date))
audit_event = sa.table(
    "audit_event",
    sa.column("seq", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("action", sa.String),
    sa.column("procurement_id", sa.Integer),
    sa.column("details", sa.JSON),
)


def upgrade():
    with op.batch_alter_table('procurement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offers_opened_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ended_as', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Text(), server_default='', nullable=False))
    op.create_table('procurement_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('notified', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_change_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_change'))
    )
    with op.batch_alter_table('procurement_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_change_procurement_id'), ['procurement_id'], unique=False)

    bind = op.get_bind()
    opened = {}
    rows = bind.execute(
        sa.select(audit_event.c.at, audit_event.c.procurement_id, audit_event.c.details)
        .where(audit_event.c.action == "procurement.phase")
        .order_by(audit_event.c.seq)
    )
    for at, procurement_id, details in rows:
        if isinstance(details, str):
            details = json.loads(details)
        if procurement_id is not None and (details or {}).get("to") == "offers_open":
            opened.setdefault(procurement_id, at.replace(tzinfo=timezone.utc).astimezone(LOCAL).date())
    for procurement_id, day in opened.items():
        bind.execute(
            procurement.update().where(procurement.c.id == procurement_id).values(offers_opened_on=day)
        )


def downgrade():
    with op.batch_alter_table('procurement_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_change_procurement_id'))
    op.drop_table('procurement_change')
    # Not in batch mode: on SQLite that copies and drops the procurement table, which the tables
    # that point at it refuse. SQLite (3.35 on) and PostgreSQL both drop a column in place.
    for column in ('end_reason', 'ended_at', 'ended_as', 'offers_opened_on'):
        op.execute(f'ALTER TABLE procurement DROP COLUMN {column}')
