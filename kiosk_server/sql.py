"""The one statement that differs between SQLite and PostgreSQL: insert, or update on conflict."""

from __future__ import annotations

from sqlalchemy import Engine, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_or_replace(engine: Engine, table: Table, keys: list[str], update: list[str]):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={c: stmt.excluded[c] for c in update}
    )


def insert_ignore(engine: Engine, table: Table, keys: list[str]):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=keys)
