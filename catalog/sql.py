"""SQL text per dialect, in one place (pure): quoting, literals, type names, COMMENT and role SQL.

Whatever SchemaJoy writes in a target's SQL goes through one Dialect: the fixes that findings
suggest (scoring.fixes), the COMMENT SQL of documentation, the read-only role the connection
test proposes, and the samplers' key-range reads. Identifiers are always quoted, so any name
is correct whatever its case, spelling or reserved words. No database accepts NUL in an
identifier (and C clients would cut the text there), so quoting one refuses it.

The per-dialect modules of introspection and sampling stay where they are (they hold drivers
and catalog queries); only the SQL text they share lives here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from catalog.introspection.model import BOOLEAN, DATE, JSON, UUID

# Logical types a fix asks for. BOOLEAN, DATE, JSON and UUID are the model's type families.
TIMESTAMP_TYPE = "timestamp"  # the right type for a moment (with time zone where there is one)
BIGINT = "bigint"
NUMERIC = "numeric"
MONEY_NUMERIC = "money_numeric"

READ_ONLY_ROLE = "schemajoy_ro"
PASSWORD_PLACEHOLDER = "choose-a-strong-password"

# Longest comments MySQL and MariaDB accept, in characters.
MYSQL_TABLE_COMMENT_MAX = 2048
MYSQL_COLUMN_COMMENT_MAX = 1024


@dataclass(frozen=True)
class CommentedColumn:
    """A column whose description is to be written, with what MySQL's MODIFY restates."""

    name: str
    text: str
    data_type: str = ""
    nullable: bool = True
    default: str = ""  # SQL expression, "" for none
    identity: str = ""  # "auto_increment" on MySQL
    generated: str = ""  # generation expression, "" for a stored column


@dataclass(frozen=True)
class CommentedTable:
    """A table, its description to write (None: leave it) and the columns to write."""

    schema: str
    name: str
    kind: str = "table"  # the model's kinds: table, view, materialized_view, foreign, ...
    text: str | None = None
    columns: tuple[CommentedColumn, ...] = ()


class Dialect:
    """SQL text for one dialect. Instances are stateless: share the module's three."""

    name = ""
    quote_char = '"'
    folds_to_lower = False  # unquoted names fold to lower case (so upper case needs quoting)
    has_uuid_type = False
    has_column_types = True  # False on SQLite: a declared type is a hint, values decide
    has_identity_columns = False  # serial defaults are the old way of numbering keys
    now = ""  # the current-time default expression, where ADD COLUMN accepts one
    types: Mapping[str, str | None] = {}
    comment_header = ""
    # Whether each part of a UNION ALL may carry its own ORDER BY and LIMIT.
    limit_in_compound_parts = True

    def quote(self, name: str) -> str:
        if "\x00" in name:
            raise ValueError("An identifier cannot contain NUL.")
        q = self.quote_char
        return q + name.replace(q, q + q) + q

    def qualified(self, schema: str, name: str) -> str:
        return f"{self.quote(schema)}.{self.quote(name)}"

    def literal(self, text: str) -> str:
        """A string literal; the standard form (quotes doubled, backslashes plain)."""
        if "\x00" in text:
            raise ValueError("A string literal cannot contain NUL.")
        return "'" + text.replace("'", "''") + "'"

    def type_name(self, logical: str) -> str | None:
        """What the dialect calls a logical type (TIMESTAMP_TYPE, BIGINT, ...); None: none."""
        return self.types.get(logical)

    # COMMENT SQL ----------------------------------------------------------------

    def comment_statements(self, tables: Iterable[CommentedTable]) -> list[str]:
        raise NotImplementedError

    def comment_sql(self, tables: Iterable[CommentedTable]) -> str:
        """The whole script: the dialect's header, then the statements (or why there are none)."""
        statements = self.comment_statements(tables)
        body = "\n".join(statements) if statements else "-- Nothing to write: the comments match."
        return self.comment_header + "\n\n" + body + "\n"

    # Read-only role -------------------------------------------------------------

    def role_sql(self, *, database: str, schemas: Sequence[str] = ()) -> str:
        """Statements that create a role able to read ``database`` (its ``schemas``) only."""
        raise NotImplementedError

    # Key ranges (sampling) ------------------------------------------------------

    def key_bounds(self, table: str, key: str) -> str:
        """The lowest and highest key: two index-end reads. ``table`` and ``key`` are SQL."""
        return f"SELECT MIN({key}), MAX({key}) FROM {table}"  # noqa: S608 -- quoted by callers

    def key_ranges(self, source: str, key: str, *, starts: Sequence[int], rows: int) -> str:
        """About ``rows`` rows of ``source`` (a SELECT ... FROM), read as disjoint key ranges
        [start, next start) from sorted ``starts``, each an index range read with its own LIMIT;
        without starts, ``LIMIT rows`` alone, which stops after that many rows."""
        if not starts:
            return f"{source} LIMIT {int(rows)}"
        per_range = max(1, math.ceil(rows / len(starts)))
        ends = [*(f" AND {key} < {int(end)}" for end in starts[1:]), ""]
        parts = [
            f"({source} WHERE {key} >= {int(start)}{end} ORDER BY {key} LIMIT {per_range})"
            for start, end in zip(starts, ends, strict=True)
        ]
        if not self.limit_in_compound_parts:
            parts = [f"SELECT * FROM {part}" for part in parts]  # noqa: S608 -- parts built above
        return " UNION ALL ".join(parts)


class PostgresDialect(Dialect):
    name = "postgresql"
    folds_to_lower = True
    has_uuid_type = True
    has_identity_columns = True
    now = "now()"
    types = {
        TIMESTAMP_TYPE: "timestamptz",
        BIGINT: "bigint",
        NUMERIC: "numeric",
        MONEY_NUMERIC: "numeric(19,4)",
        BOOLEAN: "boolean",
        DATE: "date",
        UUID: "uuid",
        JSON: "jsonb",
    }
    comment_header = (
        "-- Documentation from SchemaJoy, for a migration of this database.\n"
        "-- Only descriptions that differ from the database's comments are listed."
    )
    _COMMENT_KINDS = {
        "view": "VIEW",
        "materialized_view": "MATERIALIZED VIEW",
        "foreign": "FOREIGN TABLE",
    }

    def literal(self, text: str) -> str:
        # E'' strings mean the same whatever standard_conforming_strings says.
        if "\\" in text:
            return "E" + super().literal(text.replace("\\", "\\\\"))
        return super().literal(text)

    def comment_statements(self, tables: Iterable[CommentedTable]) -> list[str]:
        out: list[str] = []
        for table in tables:
            qualified = self.qualified(table.schema, table.name)
            if table.text is not None:
                kind = self._COMMENT_KINDS.get(table.kind, "TABLE")
                out.append(f"COMMENT ON {kind} {qualified} IS {self.literal(table.text)};")
            out.extend(
                f"COMMENT ON COLUMN {qualified}.{self.quote(column.name)} "
                f"IS {self.literal(column.text)};"
                for column in table.columns
            )
        return out

    def role_sql(self, *, database: str, schemas: Sequence[str] = ()) -> str:
        r = self.quote(READ_ONLY_ROLE)
        names = ", ".join(map(self.quote, schemas or ["public"]))
        return "\n".join(
            [
                f"CREATE ROLE {r} LOGIN PASSWORD {self.literal(PASSWORD_PLACEHOLDER)};",
                f"GRANT CONNECT ON DATABASE {self.quote(database)} TO {r};",
                f"GRANT USAGE ON SCHEMA {names} TO {r};",
                f"GRANT SELECT ON ALL TABLES IN SCHEMA {names} TO {r};",
                "-- Run as the role that creates tables, so future tables are readable too:",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {names} GRANT SELECT ON TABLES TO {r};",
            ]
        )


_MYSQL_ESCAPES = str.maketrans(
    {"\\": "\\\\", "'": "''", "\n": "\\n", "\r": "\\r", "\x00": "\\0", "\x1a": "\\Z"}
)


def _beyond_bmp(text: str) -> bool:
    # MySQL and MariaDB keep comments in utf8mb3: emoji and other 4-byte characters become "?".
    return any(ord(ch) > 0xFFFF for ch in text)


class MysqlDialect(Dialect):
    name = "mysql"
    quote_char = "`"
    now = "(CURRENT_TIMESTAMP(6))"
    types = {
        TIMESTAMP_TYPE: "DATETIME(6)",
        BIGINT: "BIGINT",
        NUMERIC: None,  # precision and scale cannot be guessed from the name
        MONEY_NUMERIC: "DECIMAL(19,4)",
        BOOLEAN: None,  # 'yes'/'no' strings do not convert by MODIFY
        DATE: "DATE",
        UUID: None,
        JSON: "JSON",
    }
    comment_header = (
        "-- Documentation from SchemaJoy, for a migration of this database.\n"
        "-- MySQL sets a column comment with MODIFY COLUMN, which restates the whole column:\n"
        "-- the definitions below are rebuilt from the catalog (type, NULL, DEFAULT,\n"
        "-- AUTO_INCREMENT) but carry no column character set, collation or ON UPDATE clause.\n"
        "-- Compare with SHOW CREATE TABLE before running. Strings use backslash escapes\n"
        "-- (not for sessions with sql_mode NO_BACKSLASH_ESCAPES)."
    )

    def literal(self, text: str) -> str:
        # Backslashes escape unless NO_BACKSLASH_ESCAPES is set; NUL and ^Z have escapes too.
        return "'" + text.translate(_MYSQL_ESCAPES) + "'"

    def grant_database(self, name: str) -> str:
        """A database name for GRANT ... ON `db`.*, where _ and % are wildcards unless escaped."""
        return self.quote(name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"))

    def column_definition(self, column: CommentedColumn) -> str:
        """The column's definition as MODIFY COLUMN needs it, rebuilt from the catalog."""
        parts = [self.quote(column.name), column.data_type]
        parts.append("NULL" if column.nullable else "NOT NULL")
        if column.default:
            parts.append(f"DEFAULT {column.default}")
        if column.identity == "auto_increment":
            parts.append("AUTO_INCREMENT")
        return " ".join(parts)

    def comment_statements(self, tables: Iterable[CommentedTable]) -> list[str]:
        out: list[str] = []
        for table in tables:
            clauses: list[str] = []
            notes: list[str] = []
            for column in table.columns:
                if column.generated:
                    notes.append(
                        f"-- {column.name} is a generated column: add its comment by hand "
                        "(MODIFY would need its whole generation clause)."
                    )
                    continue
                text = column.text
                if len(text) > MYSQL_COLUMN_COMMENT_MAX:
                    notes.append(
                        f"-- {column.name}: description cut to {MYSQL_COLUMN_COMMENT_MAX}."
                    )
                    text = text[:MYSQL_COLUMN_COMMENT_MAX]
                clauses.append(
                    f"MODIFY COLUMN {self.column_definition(column)} COMMENT {self.literal(text)}"
                )
            if table.text is not None and table.kind in ("view", "materialized_view"):
                notes.append(f"-- {table.name} is a view: MySQL views take no comment.")
            elif table.text is not None:
                text = table.text
                if len(text) > MYSQL_TABLE_COMMENT_MAX:
                    notes.append(f"-- {table.name}: description cut to {MYSQL_TABLE_COMMENT_MAX}.")
                    text = text[:MYSQL_TABLE_COMMENT_MAX]
                clauses.append(f"COMMENT = {self.literal(text)}")
            if any(_beyond_bmp(clause) for clause in clauses):
                notes.append(
                    f"-- {table.name}: MySQL/MariaDB store comments in utf8mb3; "
                    "emoji and other 4-byte characters will read back as '?'."
                )
            out.extend(notes)
            if clauses:
                qualified = self.qualified(table.schema, table.name)
                out.append(f"ALTER TABLE {qualified}\n  " + ",\n  ".join(clauses) + ";")
        return out

    def role_sql(self, *, database: str, schemas: Sequence[str] = ()) -> str:
        user = f"{self.literal(READ_ONLY_ROLE)}@'%'"
        return "\n".join(
            [
                f"CREATE USER {user} IDENTIFIED BY {self.literal(PASSWORD_PLACEHOLDER)};",
                f"GRANT SELECT, SHOW VIEW ON {self.grant_database(database)}.* TO {user};",
                "-- MySQL lists triggers only to users with the TRIGGER privilege, which also lets",
                "-- them create and drop triggers: left out, so triggers stay unseen.",
            ]
        )


class SqliteDialect(Dialect):
    name = "sqlite"
    has_column_types = False
    types = {TIMESTAMP_TYPE: "TIMESTAMP", BIGINT: "INTEGER", DATE: "DATE", BOOLEAN: "BOOLEAN"}
    comment_header = (
        "-- SQLite has no COMMENT statement: a database cannot hold these descriptions.\n"
        "-- Keep them as this comment block beside the schema, or export the connection\n"
        "-- as a dbt sources.yml, where dbt docs will show them."
    )
    # SQLite allows LIMIT in a compound's parts only inside subqueries.
    limit_in_compound_parts = False

    def comment_statements(self, tables: Iterable[CommentedTable]) -> list[str]:
        out: list[str] = []
        for table in tables:
            lines: list[str] = []
            if table.text is not None:
                lines.append(f"{table.name}: {table.text}")
            lines.extend(f"{table.name}.{column.name}: {column.text}" for column in table.columns)
            for line in lines:
                out.extend("-- " + part if part else "--" for part in line.split("\n"))
        return out

    def role_sql(self, *, database: str, schemas: Sequence[str] = ()) -> str:
        return "\n".join(
            [
                "-- SQLite has no users, roles or GRANT: there is nothing to create.",
                f"-- SchemaJoy opens {database} read-only (mode=ro), so it never writes to it",
                "-- and never creates it. To be doubly sure, let the account that runs SchemaJoy",
                "-- read the file but not write it (for example chmod 444, or a read-only mount).",
            ]
        )


POSTGRESQL = PostgresDialect()
MYSQL = MysqlDialect()
SQLITE = SqliteDialect()

DIALECTS: dict[str, Dialect] = {d.name: d for d in (POSTGRESQL, MYSQL, SQLITE)}


def dialect(name: str) -> Dialect:
    """The dialect of that name; ValueError for an unknown one."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"No SQL dialect {name!r}.") from None
