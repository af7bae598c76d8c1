"""The procurement calendar: planned procurements and challenges, the inventory of contracts the
municipality already has with social entrepreneurs and resident initiatives, and theme followers.

Revision ID: c6a7c0220cal
Revises: c7a7c0230ret
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c6a7c0220cal'
down_revision = 'c7a7c0230ret'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=False),
    sa.Column('link_key', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_follower')),
    sa.UniqueConstraint('email', 'theme', name=op.f('uq_theme_follower_email_theme'))
    )
    with op.batch_alter_table('theme_follower', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_follower_theme'), ['theme'], unique=False)

    op.create_table('inventory_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('SOCIAL_ENTERPRISE', 'RESIDENT_INITIATIVE', name='providerkind', native_enum=False, length=30), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR starts_on <= ends_on', name=op.f('ck_inventory_entry_period')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_inventory_entry_neighbourhood_id_neighbourhood')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_entry'))
    )
    with op.batch_alter_table('inventory_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_entry_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_entry_theme'), ['theme'], unique=False)

    op.create_table('planned_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('PROCUREMENT', 'CHALLENGE', name='plankind', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('PLANNED', 'OPEN', 'CLOSED', 'CANCELLED', name='planstatus', native_enum=False, length=20), nullable=False),
    sa.Column('expected_start', sa.Date(), nullable=False),
    sa.Column('budget_min', sa.Integer(), nullable=True),
    sa.Column('budget_max', sa.Integer(), nullable=True),
    sa.Column('procurement_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max', name=op.f('ck_planned_item_budget_range')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_planned_item_neighbourhood_id_neighbourhood')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_planned_item_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_item'))
    )
    with op.batch_alter_table('planned_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_item_expected_start'), ['expected_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_item_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_item_procurement_id'), ['procurement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_item_theme'), ['theme'], unique=False)



def downgrade():
    with op.batch_alter_table('planned_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_item_theme'))
        batch_op.drop_index(batch_op.f('ix_planned_item_procurement_id'))
        batch_op.drop_index(batch_op.f('ix_planned_item_neighbourhood_id'))
        batch_op.drop_index(batch_op.f('ix_planned_item_expected_start'))

    op.drop_table('planned_item')
    with op.batch_alter_table('inventory_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_entry_theme'))
        batch_op.drop_index(batch_op.f('ix_inventory_entry_neighbourhood_id'))

    op.drop_table('inventory_entry')
    with op.batch_alter_table('theme_follower', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_follower_theme'))

    op.drop_table('theme_follower')
