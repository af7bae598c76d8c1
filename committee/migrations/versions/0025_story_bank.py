"""The story bank (committee/stories): table story. Photos live in annex_file like annexes.

Downgrade deletes the stories' photos from annex_file, then drops the table.

Revision ID: c9a7c0250sty
Revises: c6a7c0220cal
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9a7c0250sty'
down_revision = 'c6a7c0220cal'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('photo_name', sa.String(length=80), nullable=True),
    sa.Column('photo_alt', sa.String(length=300), nullable=True),
    sa.Column('photo_people', sa.Enum('NONE', 'AGREED', name='photopeople', native_enum=False, length=20), nullable=True),
    sa.Column('consented_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN', name='storystatus', native_enum=False, length=20), nullable=False),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_story_author_id_user')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['user.id'], name=op.f('fk_story_moderated_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_story_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story'))
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_procurement_id'), ['procurement_id'], unique=False)
        batch_op.create_index('ix_story_procurement_id_status', ['procurement_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_status'), ['status'], unique=False)



def downgrade():
    op.execute(
        "DELETE FROM annex_file WHERE name IN (SELECT photo_name FROM story WHERE photo_name IS NOT NULL)"
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_status'))
        batch_op.drop_index('ix_story_procurement_id_status')
        batch_op.drop_index(batch_op.f('ix_story_procurement_id'))
        batch_op.drop_index(batch_op.f('ix_story_author_id'))

    op.drop_table('story')
