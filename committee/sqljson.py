"""Rows of a subquery as one JSON column, so a page reads a list with its main row.

Every statement is a round trip, and on PostgreSQL each costs the server and the driver more
than the query itself (bench/results-scoring-page.md). A short list that belongs to one row (a
member's scores of one offer, an offer's annexes with their pages) can come along as a column:
``rows(a, b, c)`` is an aggregate that gives the group's rows as a JSON array of arrays,
``[[a, b, c], ...]``, decoded to Python lists. SQLite and PostgreSQL spell it differently; this
module is the one place that knows both. No rows: ``[]`` on SQLite, NULL on PostgreSQL;
``decoded`` turns both into ``[]``. The order of the rows is not guaranteed: sort in Python.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class rows(FunctionElement):  # noqa: N801  (an SQL function, named like one)
    type = sa.JSON()
    inherit_cache = True
    name = "json_rows"


@compiles(rows, "postgresql")
def _postgresql(element, compiler, **kw):
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


@compiles(rows, "sqlite")
def _sqlite(element, compiler, **kw):
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(rows)
def _other(element, compiler, **kw):
    if compiler.dialect.name == "default":  # str(query), for logs and debugging
        return f"json_rows({compiler.process(element.clauses, **kw)})"
    raise NotImplementedError(f"sqljson.rows has no spelling for {compiler.dialect.name}")


def decoded(value) -> list[list]:
    """The column's rows as lists, ``[]`` for none."""
    return value or []
