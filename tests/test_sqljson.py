"""committee/sqljson.py: a subquery's rows as one JSON column, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from committee import sqljson
from committee.extensions import db
from committee.offers.models import Organisation


def test_rows_come_back_as_lists_of_their_columns_and_none_as_an_empty_list(app_ctx):
    db.session.add_all(
        [Organisation(name="Buurtkracht", kvk_number="12345678"), Organisation(name="Wijkwerk")]
    )
    db.session.flush()
    both = db.session.scalar(sa.select(sqljson.rows(Organisation.name, Organisation.kvk_number)))
    assert sorted(sqljson.decoded(both)) == [["Buurtkracht", "12345678"], ["Wijkwerk", None]]
    none = db.session.scalar(sa.select(sqljson.rows(Organisation.name)).where(Organisation.name == "Niemand"))
    assert sqljson.decoded(none) == []


def test_a_query_with_rows_can_be_printed_for_a_log():
    assert "json_rows(organisation.name)" in str(sa.select(sqljson.rows(Organisation.name)))
