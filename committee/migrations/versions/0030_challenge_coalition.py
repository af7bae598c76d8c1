"""challenge coalition: the list "Wie doet mee", coalitions and their invitations (docs/challenges.md)

Revision ID: cea7c0300col
Revises: cca7c0290act
Create Date: 2026-12-07 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cea7c0300col'
down_revision = 'cca7c0290act'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'coalition_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procurement_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('shown_name', sa.String(length=200), nullable=False),
        sa.Column('brings', sa.Text(), nullable=False),
        sa.Column('seeks', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.Column('hidden_at', sa.DateTime(), nullable=True),
        sa.Column('hidden_by_id', sa.Integer(), nullable=True),
        sa.Column('hidden_reason', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_coalition_entry_hidden_by_id_user')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_coalition_entry_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_coalition_entry_procurement_id_procurement')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coalition_entry')),
        sa.UniqueConstraint('procurement_id', 'organisation_id', name=op.f('uq_coalition_entry_procurement_id_organisation_id')),
    )
    with op.batch_alter_table('coalition_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coalition_entry_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coalition_entry_procurement_id'), ['procurement_id'], unique=False)

    op.create_table(
        'coalition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procurement_id', sa.Integer(), nullable=False),
        sa.Column('lead_entry_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['lead_entry_id'], ['coalition_entry.id'], name=op.f('fk_coalition_lead_entry_id_coalition_entry')),
        sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_coalition_procurement_id_procurement')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coalition')),
        sa.UniqueConstraint('lead_entry_id', name=op.f('uq_coalition_lead_entry_id')),
    )
    with op.batch_alter_table('coalition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coalition_procurement_id'), ['procurement_id'], unique=False)

    op.create_table(
        'coalition_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coalition_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('invited_at', sa.DateTime(), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_coalition_invitation_answered_by_id_user')),
        sa.ForeignKeyConstraint(['coalition_id'], ['coalition.id'], name=op.f('fk_coalition_invitation_coalition_id_coalition')),
        sa.ForeignKeyConstraint(['entry_id'], ['coalition_entry.id'], name=op.f('fk_coalition_invitation_entry_id_coalition_entry')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_coalition_invitation_invited_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coalition_invitation')),
        sa.UniqueConstraint('coalition_id', 'entry_id', name=op.f('uq_coalition_invitation_coalition_id_entry_id')),
    )
    with op.batch_alter_table('coalition_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coalition_invitation_coalition_id'), ['coalition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coalition_invitation_entry_id'), ['entry_id'], unique=False)


def downgrade():
    op.drop_table('coalition_invitation')
    op.drop_table('coalition')
    op.drop_table('coalition_entry')
