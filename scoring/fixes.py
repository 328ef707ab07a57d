"""Fix SQL per dialect, and the few dialect facts the rules depend on (pure).

Rules ask for a fix in dialect-neutral terms ("change this column to the timestamp type")
and get SQL for the model's dialect, or None where the dialect has no such statement
(SQLite cannot change a column's type or add a primary key without rebuilding the table).
Quoting, literals and type names are catalog.sql's (one home for dialect SQL); this module
adds the statements, and which tables need qualifying: those outside the default schema
(public, main, the MySQL database).
"""

from __future__ import annotations

import re
from functools import cached_property

from catalog.introspection.model import BOOLEAN, INTEGER, Column, ForeignKey, SchemaModel, Table
from catalog.sql import MYSQL, POSTGRESQL, SQLITE, TIMESTAMP_TYPE, Dialect


def checked(table: Table, column: Column) -> bool:
    """Whether one of the table's check constraints names the column."""
    if not table.checks:
        return False
    name = column.name.lower()
    # A substring test first: compiling a pattern per column costs more than all the rest.
    found = [c.expression for c in table.checks if name in c.expression.lower()]
    if not found:
        return False
    pattern = re.compile(rf"(?<!\w)[`\"]?{re.escape(column.name)}[`\"]?(?!\w)", re.IGNORECASE)
    return any(pattern.search(expression) for expression in found)


class SqlDialect:
    dialect: Dialect = POSTGRESQL
    # How ts-without-tz treats naive timestamps: scored, info only (MySQL's datetime is the
    # sound choice there, its timestamp ends in 2038), or not at all (no zone-aware type).
    naive_timestamps = "none"

    def __init__(self, model: SchemaModel) -> None:
        self.model = model
        self._tables: dict[tuple[str, str], str] = {}  # quoted table names, by key
        self._quoted: dict[str, str] = {}

    def default_schema(self) -> str:
        return "public"

    def quote(self, identifier: str) -> str:
        quoted = self._quoted.get(identifier)
        if quoted is None:  # a fix for every finding: the same names, many times
            quoted = self._quoted[identifier] = self.dialect.quote(identifier)
        return quoted

    def literal(self, text: str) -> str:
        return self.dialect.literal(text)

    def table(self, table: Table) -> str:
        return self.table_named(table.schema, table.name)

    def table_named(self, schema: str, name: str) -> str:
        key = (schema, name)
        quoted = self._tables.get(key)
        if quoted is None:  # once per table: fixes name the same table many times
            if schema == self.default_schema():
                quoted = self.quote(name)
            else:
                quoted = f"{self.quote(schema)}.{self.quote(name)}"
            self._tables[key] = quoted
        return quoted

    def type_name(self, logical: str) -> str | None:
        return self.dialect.type_name(logical)

    # Statements ---------------------------------------------------------------

    def add_primary_key(self, table: Table, columns: tuple[str, ...]) -> str | None:
        cols = ", ".join(map(self.quote, columns))
        return f"ALTER TABLE {self.table(table)} ADD PRIMARY KEY ({cols});"

    def alter_type(
        self, table: Table, column: Column, new_type: str, *, using: str | None = None
    ) -> str | None:
        raise NotImplementedError

    def set_not_null(self, table: Table, column: Column) -> str | None:
        raise NotImplementedError

    def drop_not_null(self, table: Table, column: Column) -> str | None:
        raise NotImplementedError

    def drop_default(self, table: Table, column: Column) -> str | None:
        return (
            f"ALTER TABLE {self.table(table)} ALTER COLUMN {self.quote(column.name)} DROP DEFAULT;"
        )

    def add_column(self, table: Table, name: str, definition: str) -> str | None:
        return f"ALTER TABLE {self.table(table)} ADD COLUMN {self.quote(name)} {definition};"

    def add_timestamp(self, table: Table, name: str, *, default_now: bool) -> str | None:
        """A nullable timestamp column; with ``default_now``, new rows get the current time
        while existing rows keep NULL (their real time is unknown, not the migration's)."""
        kind = self.type_name(TIMESTAMP_TYPE)
        if kind is None:
            return None
        sql = self.add_column(table, name, kind)
        now = self.dialect.now
        if default_now and now and sql:
            sql += (
                f"\nALTER TABLE {self.table(table)} ALTER COLUMN {self.quote(name)} "
                f"SET DEFAULT {now};"
            )
        return sql

    def rename_column(self, table: Table, old: str, new: str) -> str | None:
        if table.column(new) is not None:
            return None  # never onto a column that exists
        return (
            f"ALTER TABLE {self.table(table)} RENAME COLUMN {self.quote(old)} TO {self.quote(new)};"
        )

    def rename_table(self, table: Table, new: str) -> str | None:
        return f"ALTER TABLE {self.table(table)} RENAME TO {self.quote(new)};"

    def add_foreign_key(self, table: Table, column: str, ref: Table, ref_column: str) -> str | None:
        return (
            f"ALTER TABLE {self.table(table)} ADD FOREIGN KEY ({self.quote(column)}) "
            f"REFERENCES {self.table(ref)} ({self.quote(ref_column)});"
        )

    def replace_on_delete(self, table: Table, fk: ForeignKey, action: str) -> str | None:
        raise NotImplementedError

    def _fk_clause(self, fk: ForeignKey) -> str:
        cols = ", ".join(map(self.quote, fk.columns))
        ref_cols = ", ".join(map(self.quote, fk.ref_columns))
        ref = self.table_named(fk.ref_schema, fk.ref_table)
        return f"FOREIGN KEY ({cols}) REFERENCES {ref} ({ref_cols})"


class PostgresSql(SqlDialect):
    dialect = POSTGRESQL
    naive_timestamps = "score"

    def alter_type(
        self, table: Table, column: Column, new_type: str, *, using: str | None = None
    ) -> str | None:
        if self._used_by_view(table, column) or checked(table, column):
            # PostgreSQL refuses, or the check would compare the new type with the old
            # (post_time >= 0): views and checks must be dropped and re-created around it.
            return None
        name = self.quote(column.name)
        flag = new_type == self.type_name(BOOLEAN) and column.type_family == INTEGER
        if using is None:  # smallint has no cast to boolean; a comparison works for all
            using = f"{name} <> 0" if flag else f"{name}::{new_type}"
        # A default of the old type ('0', '') would not cast: it goes first, and a flag's
        # 0/1 default comes back as false/true (a NOT NULL flag must keep one).
        drop = f"ALTER COLUMN {name} DROP DEFAULT, " if column.default is not None else ""
        default = (column.default or "").strip("'() ")
        restore = ""
        if flag and default in ("0", "1"):
            restore = f", ALTER COLUMN {name} SET DEFAULT {'true' if default == '1' else 'false'}"
        return (
            f"ALTER TABLE {self.table(table)} {drop}ALTER COLUMN {name} TYPE {new_type} "
            f"USING {using}{restore};"
        )

    def _used_by_view(self, table: Table, column: Column) -> bool:
        """Whether a view's definition names both the table and the column (a cheap, cautious
        reading of pg_depend: a false "used" only withholds a fix)."""
        views = self._view_words
        if not views:
            return False
        name, col = table.name.lower(), column.name.lower()
        return any(name in words and col in words for words in views)

    @cached_property
    def _view_words(self) -> list[set[str]]:
        return [
            set(re.findall(r"\w+", view.view_definition.lower()))
            for view in self.model.tables
            if view.view_definition
        ]

    def set_not_null(self, table: Table, column: Column) -> str | None:
        return (
            f"ALTER TABLE {self.table(table)} ALTER COLUMN {self.quote(column.name)} SET NOT NULL;"
        )

    def drop_not_null(self, table: Table, column: Column) -> str | None:
        return (
            f"ALTER TABLE {self.table(table)} ALTER COLUMN {self.quote(column.name)} DROP NOT NULL;"
        )

    def add_foreign_key(self, table: Table, column: str, ref: Table, ref_column: str) -> str | None:
        # NOT VALID: no long lock and no full scan now; VALIDATE CONSTRAINT can follow later.
        sql = super().add_foreign_key(table, column, ref, ref_column)
        return sql[:-1] + " NOT VALID;" if sql else None

    def replace_on_delete(self, table: Table, fk: ForeignKey, action: str) -> str | None:
        if not fk.name:
            return None
        name = self.quote(fk.name)
        return (
            f"ALTER TABLE {self.table(table)} DROP CONSTRAINT {name}, "
            f"ADD CONSTRAINT {name} {self._fk_clause(fk)} ON DELETE {action};"
        )


class MySql(SqlDialect):
    dialect = MYSQL
    naive_timestamps = "info"

    def default_schema(self) -> str:
        return self.model.database

    def _modify(self, table: Table, column: Column, new_type: str, nullable: bool) -> str:
        null = "NULL" if nullable else "NOT NULL"
        return (
            f"ALTER TABLE {self.table(table)} MODIFY {self.quote(column.name)} {new_type} {null};"
        )

    def alter_type(
        self, table: Table, column: Column, new_type: str, *, using: str | None = None
    ) -> str | None:
        if using is not None or checked(table, column):
            # MODIFY converts values implicitly; a custom conversion needs a copy, and a check
            # on the column would compare the new type with the old.
            return None
        return self._modify(table, column, new_type, column.nullable)

    def set_not_null(self, table: Table, column: Column) -> str | None:
        return self._modify(table, column, column.data_type, False)

    def drop_not_null(self, table: Table, column: Column) -> str | None:
        return self._modify(table, column, column.data_type, True)

    def replace_on_delete(self, table: Table, fk: ForeignKey, action: str) -> str | None:
        if not fk.name:
            return None
        name = self.quote(fk.name)
        # Two statements: MariaDB refuses to drop and re-add one name in a single ALTER.
        return (
            f"ALTER TABLE {self.table(table)} DROP FOREIGN KEY {name};\n"
            f"ALTER TABLE {self.table(table)} ADD CONSTRAINT {name} {self._fk_clause(fk)} "
            f"ON DELETE {action};"
        )


class SqliteSql(SqlDialect):
    """SQLite changes types, keys and constraints only by rebuilding the table: no fix SQL."""

    dialect = SQLITE

    def default_schema(self) -> str:
        return "main"

    def add_primary_key(self, table: Table, columns: tuple[str, ...]) -> str | None:
        return None

    def alter_type(
        self, table: Table, column: Column, new_type: str, *, using: str | None = None
    ) -> str | None:
        return None

    def set_not_null(self, table: Table, column: Column) -> str | None:
        return None

    def drop_not_null(self, table: Table, column: Column) -> str | None:
        return None

    def drop_default(self, table: Table, column: Column) -> str | None:
        return None

    def add_foreign_key(self, table: Table, column: str, ref: Table, ref_column: str) -> str | None:
        return None

    def replace_on_delete(self, table: Table, fk: ForeignKey, action: str) -> str | None:
        return None


_BY_DIALECT: dict[str, type[SqlDialect]] = {
    cls.dialect.name: cls for cls in (PostgresSql, MySql, SqliteSql)
}


def sql_for(model: SchemaModel) -> SqlDialect:
    return _BY_DIALECT.get(model.dialect, PostgresSql)(model)
