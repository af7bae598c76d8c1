"""scoring and deliberation: criteria scales, declarations, reopenings, meeting notes,
decisions with several offers, a method, reasons and recorded votes

Revision ID: 454341d7430b
Revises: 4408ba9564b7
Create Date: 2026-11-25 09:31:50.910749

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '454341d7430b'
down_revision = '4408ba9564b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decision_offer',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_offer_decision_id_decision')),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_decision_offer_offer_id_offer')),
    sa.PrimaryKeyConstraint('decision_id', 'offer_id', name=op.f('pk_decision_offer'))
    )
    op.create_table('meeting_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_meeting_note_offer_id_offer')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_meeting_note_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_note')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_meeting_note_offer_id'))
    )
    op.create_table('decision_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('FOR', 'AGAINST', 'ABSTAIN', name='votechoice', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_vote_decision_id_decision')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_decision_vote_member_id_committee_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_vote')),
    sa.UniqueConstraint('decision_id', 'member_id', name=op.f('uq_decision_vote_decision_id_member_id'))
    )
    op.create_table('declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('house_rules_accepted_at', sa.DateTime(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], name=op.f('fk_declaration_confirmed_by_id_user')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_declaration_member_id_committee_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration')),
    sa.UniqueConstraint('member_id', name=op.f('uq_declaration_member_id'))
    )
    op.create_table('reopening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reopened_at', sa.DateTime(), nullable=False),
    sa.Column('reopened_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_reopening_member_id_committee_member')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['user.id'], name=op.f('fk_reopening_reopened_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reopening'))
    )
    with op.batch_alter_table('reopening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reopening_member_id'), ['member_id'], unique=False)

    op.create_table('declared_connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_declared_connection_declaration_id_declaration')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_declared_connection_member_id_committee_member')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_declared_connection_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declared_connection')),
    sa.UniqueConstraint('declaration_id', 'organisation_id', name=op.f('uq_declared_connection_declaration_id_organisation_id'))
    )
    with op.batch_alter_table('declared_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declared_connection_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scale_low', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('scale_middle', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('scale_high', sa.Text(), server_default='', nullable=False))

    # Earlier decisions chose one offer, without a recorded method: that offer becomes the one
    # chosen offer and the method consensus (the only method the app knew). On SQLite the
    # decision table is rebuilt, which must happen while no row refers to it yet, so the pairs
    # are kept aside and written after the rebuild.
    bind = op.get_bind()
    chosen = bind.execute(sa.text('SELECT id, offer_id FROM decision')).all()
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.Enum('CONSENSUS', 'VOTE', name='decisionmethod', native_enum=False, length=20), server_default='CONSENSUS', nullable=False))
        batch_op.add_column(sa.Column('reasons', sa.Text(), server_default='', nullable=False))
        batch_op.drop_constraint(batch_op.f('fk_decision_offer_id_offer'), type_='foreignkey')
        batch_op.drop_column('offer_id')
    decision_offer = sa.table('decision_offer', sa.column('decision_id'), sa.column('offer_id'))
    if chosen:
        op.bulk_insert(decision_offer, [{'decision_id': d, 'offer_id': o} for d, o in chosen])


def downgrade():
    # Back to one offer per decision: the first chosen offer (lowest id) stays. The tables that
    # refer to decision go first, so that SQLite can rebuild it.
    bind = op.get_bind()
    chosen = bind.execute(sa.text(
        'SELECT decision_id, MIN(offer_id) FROM decision_offer GROUP BY decision_id')).all()
    op.drop_table('decision_offer')
    op.drop_table('decision_vote')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_id', sa.INTEGER(), nullable=True))
    for decision_id, offer_id in chosen:
        bind.execute(sa.text('UPDATE decision SET offer_id = :o WHERE id = :d'),
                     {'o': offer_id, 'd': decision_id})
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.alter_column('offer_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_decision_offer_id_offer'), 'offer', ['offer_id'], ['id'])
        batch_op.drop_column('reasons')
        batch_op.drop_column('method')

    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding criterion would fail while
    # scores refer to it.
    for column in ('scale_high', 'scale_middle', 'scale_low'):
        op.drop_column('criterion', column)

    with op.batch_alter_table('declared_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_connection_member_id'))

    op.drop_table('declared_connection')
    with op.batch_alter_table('reopening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reopening_member_id'))

    op.drop_table('reopening')
    op.drop_table('declaration')
    op.drop_table('meeting_note')
