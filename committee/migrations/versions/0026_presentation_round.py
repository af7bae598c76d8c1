"""The presentation round: its criteria, the presenting offers, the frozen paper scores and the presentation scores (issue 20, item 2).

Revision ID: caa7c0260prs
Revises: c9a7c0250sty
Create Date: 2026-12-07 11:47:45.520712

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'caa7c0260prs'
down_revision = 'c9a7c0250sty'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('presentation_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('snapshot_sha256', sa.String(length=64), server_default='', nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_presentation_round_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_presentation_round_started_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presentation_round')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_presentation_round_procurement_id'))
    )
    op.create_table('presentation_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('scale', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['presentation_round.id'], name=op.f('fk_presentation_criterion_round_id_presentation_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presentation_criterion')),
    sa.UniqueConstraint('round_id', 'position', name=op.f('uq_presentation_criterion_round_id_position'))
    )
    with op.batch_alter_table('presentation_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presentation_criterion_round_id'), ['round_id'], unique=False)

    op.create_table('presenting_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_presenting_offer_offer_id_offer')),
    sa.ForeignKeyConstraint(['round_id'], ['presentation_round.id'], name=op.f('fk_presenting_offer_round_id_presentation_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presenting_offer')),
    sa.UniqueConstraint('round_id', 'offer_id', name=op.f('uq_presenting_offer_round_id_offer_id'))
    )
    with op.batch_alter_table('presenting_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presenting_offer_round_id'), ['round_id'], unique=False)

    op.create_table('paper_score_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_paper_score_snapshot_criterion_id_criterion')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_paper_score_snapshot_member_id_committee_member')),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_paper_score_snapshot_offer_id_offer')),
    sa.ForeignKeyConstraint(['round_id'], ['presentation_round.id'], name=op.f('fk_paper_score_snapshot_round_id_presentation_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_score_snapshot')),
    sa.UniqueConstraint('round_id', 'member_id', 'offer_id', 'criterion_id', name='uq_paper_score_snapshot_key')
    )
    with op.batch_alter_table('paper_score_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_score_snapshot_round_id'), ['round_id'], unique=False)

    op.create_table('presentation_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('value BETWEEN 1 AND 5', name=op.f('ck_presentation_score_value_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['presentation_criterion.id'], name=op.f('fk_presentation_score_criterion_id_presentation_criterion')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_presentation_score_member_id_committee_member')),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_presentation_score_offer_id_offer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presentation_score')),
    sa.UniqueConstraint('member_id', 'offer_id', 'criterion_id', name=op.f('uq_presentation_score_member_id_offer_id_criterion_id'))
    )
    with op.batch_alter_table('presentation_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presentation_score_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_presentation_score_offer_id'), ['offer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('presentation_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presentation_score_offer_id'))
        batch_op.drop_index(batch_op.f('ix_presentation_score_member_id'))

    op.drop_table('presentation_score')
    with op.batch_alter_table('paper_score_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_score_snapshot_round_id'))

    op.drop_table('paper_score_snapshot')
    with op.batch_alter_table('presenting_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presenting_offer_round_id'))

    op.drop_table('presenting_offer')
    with op.batch_alter_table('presentation_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presentation_criterion_round_id'))

    op.drop_table('presentation_criterion')
    op.drop_table('presentation_round')
