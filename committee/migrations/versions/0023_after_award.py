"""After the award: the contract with each awarded party, its social-return commitments and goals
(indicators), the party's periodic reports with their figures, and the evaluation talks.

Revision ID: c7a7c0230ret
Revises: c8a7c0240hse
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a7c0230ret'
down_revision = 'c8a7c0240hse'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contract',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procurement_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('contract_sum', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('contract_sum >= 0', name=op.f('ck_contract_sum_not_negative')),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_contract_term')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_contract_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_contract_procurement_id_procurement')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contract')),
        sa.UniqueConstraint('procurement_id', 'organisation_id', name=op.f('uq_contract_procurement_id_organisation_id')),
    )
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_procurement_id'), ['procurement_id'], unique=False)

    op.create_table(
        'indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('unit', sa.String(length=60), nullable=False),
        sa.Column('target', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('target >= 0', name=op.f('ck_indicator_target_not_negative')),
        sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_indicator_contract_id_contract')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
        sa.UniqueConstraint('contract_id', 'name', name=op.f('uq_indicator_contract_id_name')),
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_contract_id'), ['contract_id'], unique=False)

    op.create_table(
        'social_return_commitment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('percentage', sa.Float(), nullable=True),
        sa.Column('amount', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('(percentage IS NULL) <> (amount IS NULL)', name=op.f('ck_social_return_commitment_percentage_or_amount')),
        sa.CheckConstraint('amount IS NULL OR amount > 0', name=op.f('ck_social_return_commitment_amount')),
        sa.CheckConstraint('percentage IS NULL OR (percentage > 0 AND percentage <= 100)', name=op.f('ck_social_return_commitment_percentage')),
        sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_social_return_commitment_contract_id_contract')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_social_return_commitment')),
    )
    with op.batch_alter_table('social_return_commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_return_commitment_contract_id'), ['contract_id'], unique=False)

    op.create_table(
        'progress_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=False),
        sa.CheckConstraint('period_end >= period_start', name=op.f('ck_progress_report_period')),
        sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_progress_report_contract_id_contract')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_progress_report_submitted_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_report')),
        sa.UniqueConstraint('contract_id', 'period_start', 'period_end', name=op.f('uq_progress_report_contract_id_period_start_period_end')),
    )
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_report_contract_id'), ['contract_id'], unique=False)

    op.create_table(
        'report_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=True),
        sa.Column('commitment_id', sa.Integer(), nullable=True),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.CheckConstraint('(indicator_id IS NULL) <> (commitment_id IS NULL)', name=op.f('ck_report_value_one_subject')),
        sa.CheckConstraint('value >= 0', name=op.f('ck_report_value_value_not_negative')),
        sa.ForeignKeyConstraint(['commitment_id'], ['social_return_commitment.id'], name=op.f('fk_report_value_commitment_id_social_return_commitment')),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_report_value_indicator_id_indicator')),
        sa.ForeignKeyConstraint(['report_id'], ['progress_report.id'], name=op.f('fk_report_value_report_id_progress_report')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_value')),
        sa.UniqueConstraint('report_id', 'commitment_id', name=op.f('uq_report_value_report_id_commitment_id')),
        sa.UniqueConstraint('report_id', 'indicator_id', name=op.f('uq_report_value_report_id_indicator_id')),
    )
    with op.batch_alter_table('report_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_value_report_id'), ['report_id'], unique=False)

    op.create_table(
        'evaluation_talk',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('attendees', sa.String(length=300), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_evaluation_talk_contract_id_contract')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_evaluation_talk_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_talk')),
    )
    with op.batch_alter_table('evaluation_talk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_talk_contract_id'), ['contract_id'], unique=False)


def downgrade():
    for table in ('evaluation_talk', 'report_value', 'progress_report', 'social_return_commitment', 'indicator', 'contract'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_' + ('report_id' if table == 'report_value' else 'procurement_id' if table == 'contract' else 'contract_id')))
        op.drop_table(table)
