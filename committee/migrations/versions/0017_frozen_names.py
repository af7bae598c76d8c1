"""frozen names: the names a bidder went by when offers closed (organisation, coalition
partners, other names), declared connections with any of them, and the names the published
record gives the bidders at the final award

Revision ID: c1a7c0170nam
Revises: c3a7c0190out
Create Date: 2026-12-07 08:00:00.000000

Existing data: offers of procurements past the close get their names from what the bidder
calls itself at the upgrade (the names at the close were not kept); a declared connection
with an organisation becomes one with its name; published offers keep their name as it is at
the upgrade.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1a7c0170nam'
down_revision = 'c3a7c0190out'
branch_labels = None
depends_on = None

CLOSED = ('ANONYMISATION', 'SCORING', 'DELIBERATION', 'DECISION', 'PUBLISHED', 'MONITORING')
PUBLISHED = ('PUBLISHED', 'MONITORING')


def _key(name):
    return ' '.join(name.split()).casefold()


def _freeze_names(bind):
    """offers.services.freeze_names, for the offers of procurements already closed."""
    offers = bind.execute(sa.text(
        'SELECT offer.id, organisation.id, organisation.name, organisation.other_identifiers '
        'FROM offer JOIN organisation ON organisation.id = offer.organisation_id '
        'JOIN procurement ON procurement.id = offer.procurement_id '
        "WHERE offer.status = 'SUBMITTED' AND procurement.phase IN :closed"
    ).bindparams(sa.bindparam('closed', expanding=True)), {'closed': list(CLOSED)}).all()
    insert = sa.text('INSERT INTO offer_name (offer_id, name, folded, kind) VALUES (:offer, :name, :folded, :kind)')
    for offer_id, organisation_id, name, other in offers:
        partners = bind.execute(sa.text(
            'SELECT name FROM partner WHERE organisation_id = :o ORDER BY NOT is_lead, id'
        ), {'o': organisation_id}).scalars().all()
        names = [('ORGANISATION', name)] + [('PARTNER', p) for p in partners]
        names += [('ALIAS', line) for line in (other or '').splitlines()]
        seen = set()
        for kind, value in names:
            value = ' '.join(value.split())[:200]
            key = _key(value)
            if key and key not in seen:
                seen.add(key)
                bind.execute(insert, {'offer': offer_id, 'name': value, 'folded': key, 'kind': kind})


def _copy_connections(bind):
    """A connection with an organisation becomes one with its name, under every released offer
    of the member's procurement whose bidder went by that name."""
    rows = bind.execute(sa.text(
        'SELECT dc.declaration_id, dc.member_id, own.folded, cm.procurement_id '
        'FROM declared_connection dc '
        'JOIN committee_member cm ON cm.id = dc.member_id '
        'JOIN offer ON offer.organisation_id = dc.organisation_id AND offer.procurement_id = cm.procurement_id '
        "JOIN offer_name own ON own.offer_id = offer.id AND own.kind = 'ORGANISATION'"
    )).all()
    done = set()
    for declaration_id, member_id, key, procurement_id in rows:
        names = bind.execute(sa.text(
            'SELECT offer_name.id FROM offer_name JOIN offer ON offer.id = offer_name.offer_id '
            "WHERE offer.procurement_id = :p AND offer.status = 'SUBMITTED' "
            'AND offer.pseudonym IS NOT NULL AND offer_name.folded = :k'
        ), {'p': procurement_id, 'k': key}).scalars().all()
        for name_id in names:
            if (declaration_id, name_id) not in done:
                done.add((declaration_id, name_id))
                bind.execute(sa.text(
                    'INSERT INTO declared_name (declaration_id, member_id, offer_name_id) '
                    'VALUES (:d, :m, :n)'
                ), {'d': declaration_id, 'm': member_id, 'n': name_id})


def upgrade():
    op.create_table('offer_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('folded', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('ORGANISATION', 'PARTNER', 'ALIAS', name='offernamekind', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_name_offer_id_offer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_name')),
    sa.UniqueConstraint('offer_id', 'folded', name=op.f('uq_offer_name_offer_id_folded'))
    )
    with op.batch_alter_table('offer_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_name_folded'), ['folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_name_offer_id'), ['offer_id'], unique=False)

    op.create_table('declared_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('offer_name_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_declared_name_declaration_id_declaration')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_member.id'], name=op.f('fk_declared_name_member_id_committee_member')),
    sa.ForeignKeyConstraint(['offer_name_id'], ['offer_name.id'], name=op.f('fk_declared_name_offer_name_id_offer_name')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declared_name')),
    sa.UniqueConstraint('declaration_id', 'offer_name_id', name=op.f('uq_declared_name_declaration_id_offer_name_id'))
    )
    with op.batch_alter_table('declared_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declared_name_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declared_name_offer_name_id'), ['offer_name_id'], unique=False)

    bind = op.get_bind()
    _freeze_names(bind)
    _copy_connections(bind)

    with op.batch_alter_table('declared_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_connection_member_id'))

    op.drop_table('declared_connection')

    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('published_kvk_number', sa.String(length=8), nullable=True))
    bind.execute(sa.text(
        'UPDATE offer SET published_name = (SELECT name FROM organisation WHERE organisation.id = offer.organisation_id), '
        'published_kvk_number = (SELECT kvk_number FROM organisation WHERE organisation.id = offer.organisation_id) '
        "WHERE offer.status = 'SUBMITTED' AND offer.pseudonym IS NOT NULL AND offer.procurement_id IN "
        '(SELECT id FROM procurement WHERE phase IN :published)'
    ).bindparams(sa.bindparam('published', expanding=True)), {'published': list(PUBLISHED)})


def downgrade():
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
    # A declared name becomes a connection with the organisation behind the offer it stood under.
    op.get_bind().execute(sa.text(
        'INSERT INTO declared_connection (declaration_id, member_id, organisation_id) '
        'SELECT DISTINCT dn.declaration_id, dn.member_id, offer.organisation_id FROM declared_name dn '
        'JOIN offer_name ON offer_name.id = dn.offer_name_id JOIN offer ON offer.id = offer_name.offer_id'
    ))

    with op.batch_alter_table('declared_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_name_offer_name_id'))
        batch_op.drop_index(batch_op.f('ix_declared_name_member_id'))

    op.drop_table('declared_name')
    with op.batch_alter_table('offer_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_name_offer_id'))
        batch_op.drop_index(batch_op.f('ix_offer_name_folded'))

    op.drop_table('offer_name')

    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_column('published_kvk_number')
        batch_op.drop_column('published_name')
