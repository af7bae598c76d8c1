"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app

from committee.extensions import db


def _same_default(
    context, inspected_column, metadata_column, inspected_default, metadata_default, rendered_metadata_default
):
    """Treat defaults that differ only in quoting (SQLite reflects '' as "''") as equal."""

    def bare(value):
        # PostgreSQL adds a cast ("''::text"); SQLite keeps the quotes.
        return re.sub(r"::[\w ]+$", "", (value or "").strip("()")).strip("'\"")

    if bare(inspected_default) == bare(rendered_metadata_default):
        return False
    return None  # let Alembic compare as usual


def schema_differences() -> list:
    """What autogenerate would put in a new migration for the migrated test database."""
    settings = dict(current_app.extensions["migrate"].configure_args)
    settings.pop("process_revision_directives", None)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": _same_default, **settings}
        )
        return compare_metadata(context, db.metadata)


def test_the_models_and_the_migrations_agree(app_ctx):
    assert schema_differences() == []


def test_the_migrations_create_every_model_table(app_ctx):
    import sqlalchemy as sa

    with db.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    assert set(db.metadata.tables) <= tables
