"""draw receipts: a personal receipt code per application, and the published receipt per draw entry

Existing data: every application still kept gets a code; every draw entry whose application is
still there gets its receipt, computed from the draw's stored inputs as
``committee.lottery.public.receipt`` does (the recipe is repeated here, so that this revision
does not change when the app does). Entries of erased applications keep no receipt.

Revision ID: c2a7c0180rcp
Revises: caa7c0260prs
Create Date: 2026-12-07 11:30:00

"""
import hashlib
import json
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2a7c0180rcp'
down_revision = 'caa7c0260prs'
branch_labels = None
depends_on = None

ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'


def _receipt(code, row, categories):
    values = {c: str(row.get(c, 'onbekend')) for c in sorted(categories)}
    canonical = json.dumps(values, sort_keys=True, separators=(',', ':'), ensure_ascii=True)
    return hashlib.sha256(f'wijkiezen-receipt/1:{code}:{canonical}'.encode()).hexdigest()


def _backfill(bind):
    codes = {}
    for (application_id,) in bind.execute(sa.text('SELECT id FROM application')).all():
        code = ''.join(secrets.choice(ALPHABET) for _ in range(16))
        bind.execute(sa.text('UPDATE application SET receipt_code = :code WHERE id = :id'),
                     {'code': code, 'id': application_id})
        codes[application_id] = code
    for draw_id, inputs in bind.execute(sa.text('SELECT id, inputs FROM draw')).all():
        if isinstance(inputs, str):
            inputs = json.loads(inputs)
        rows = {r['id']: r for r in (inputs or {}).get('pool', [])}
        entries = bind.execute(sa.text(
            'SELECT id, pseudonym, application_id FROM draw_entry WHERE draw_id = :draw'
        ), {'draw': draw_id}).all()
        for entry_id, pseudonym, application_id in entries:
            if application_id in codes and pseudonym in rows:
                bind.execute(sa.text('UPDATE draw_entry SET receipt = :receipt WHERE id = :id'), {
                    'receipt': _receipt(codes[application_id], rows[pseudonym], inputs['categories']),
                    'id': entry_id,
                })


# Plain ADD/DROP COLUMN and a unique index, no batch mode: on SQLite a batch rebuilds the table,
# and rebuilding application (which draw_entry and committee_member point to) fails its foreign
# keys once there is data. SQLite has DROP COLUMN since 3.35.


def upgrade():
    op.add_column('application', sa.Column('receipt_code', sa.String(length=16), nullable=True))
    op.create_index(op.f('ix_application_receipt_code'), 'application', ['receipt_code'], unique=True)
    op.add_column('draw_entry', sa.Column('receipt', sa.String(length=64), nullable=True))
    _backfill(op.get_bind())


def downgrade():
    op.drop_column('draw_entry', 'receipt')
    op.drop_index(op.f('ix_application_receipt_code'), table_name='application')
    op.drop_column('application', 'receipt_code')
