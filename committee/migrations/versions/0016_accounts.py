"""accounts: seat claims (a seat made with an existing resident's address joins their account
only when they confirm) and pending bidder registrations (created only from the mailed link)

Revision ID: b1a7c0110acc
Revises: b5a7c0150que
Create Date: 2026-11-26 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1a7c0110acc'
down_revision = 'b5a7c0150que'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seat_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_seat_claim_member_id_committee_member')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_seat_claim_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_claim')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_seat_claim_token_hash'))
    )
    with op.batch_alter_table('seat_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_claim_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_claim_user_id'), ['user_id'], unique=False)

    op.create_table('pending_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_registration')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pending_registration_token_hash'))
    )
    with op.batch_alter_table('pending_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_registration_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_registration_email'))
    op.drop_table('pending_registration')

    with op.batch_alter_table('seat_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_claim_user_id'))
        batch_op.drop_index(batch_op.f('ix_seat_claim_member_id'))
    op.drop_table('seat_claim')
