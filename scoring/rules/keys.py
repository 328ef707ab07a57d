"""Theme ``keys``: every table has a clearly identifiable primary key."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from catalog.inflection import singular_phrase, singularize, snake, split_words, strip_prefix
from catalog.introspection.model import TEXT, UUID, Column, Table
from catalog.relations import column_prefix, table_prefixes
from scoring.rules.base import (
    KEYS,
    TABLE,
    Outcome,
    Rule,
    Schema,
    Severity,
    Verdict,
    passed,
)

_NEXTVAL = re.compile(r"nextval\('([^']+)'")


def unique_substitute(table: Table) -> tuple[str, ...] | None:
    """Columns of a non-partial unique index or constraint whose columns are all NOT NULL."""
    not_null = {c.name for c in table.columns if not c.nullable}
    candidates = [u.columns for u in table.unique_constraints] + [
        i.columns for i in table.indexes if i.unique and not i.partial and not i.primary
    ]
    for cols in sorted(candidates, key=len):
        if cols and all(c in not_null for c in cols):
            return cols
    return None


def _key_candidate(table: Table) -> str | None:
    """An obvious key column to propose: ``id`` or ``<singular table>_id``, NOT NULL."""
    wanted = {"id", f"{singularize(table.name.lower())}_id"}
    for column in table.columns:
        if column.name.lower() in wanted and not column.nullable:
            return column.name
    return None


def check_pk_missing(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table in schema.base_tables:
        unit = table.qualified_name
        if table.primary_key is not None or unique_substitute(table) is not None:
            yield passed(unit, unit)
            continue
        candidate = _key_candidate(table)
        fix = schema.sql.add_primary_key(table, (candidate,)) if candidate else None
        yield Outcome(unit, unit, "No primary key and no unique NOT NULL substitute.", fix)


def check_pk_unique_substitute(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table in schema.base_tables:
        unit = table.qualified_name
        substitute = unique_substitute(table) if table.primary_key is None else None
        if substitute is None:
            yield passed(unit, unit)
            continue
        cols = ", ".join(substitute)
        yield Outcome(
            unit,
            unit,
            f"No primary key; the unique NOT NULL ({cols}) stands in for one. Declare it.",
            schema.sql.add_primary_key(table, substitute),
        )


def check_pk_misleading_id(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table in schema.base_tables:
        if table.primary_key is None:
            continue
        id_column = next((c.name for c in table.columns if c.name.lower() == "id"), None)
        if id_column is None:
            continue
        unit = table.qualified_name
        if id_column in table.primary_key.columns:
            yield passed(unit, unit)
        else:
            key = ", ".join(table.primary_key.columns)
            yield Outcome(
                unit, unit, f"The key is ({key}), not the column {id_column} that looks like it."
            )


def _pk_pattern(template: str) -> re.Pattern[str]:
    """The option compiled once: the first {table} captures, later ones must repeat it."""
    head, sep, tail = template.partition("{table}")
    if not sep:
        return re.compile(template, re.IGNORECASE)
    return re.compile(
        head + "(?P<table>.+?)" + tail.replace("{table}", "(?P=table)"), re.IGNORECASE
    )


def check_pk_name_pattern(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    prefixes = schema.memo("table_prefixes", lambda: table_prefixes(schema.model))
    pattern = _pk_pattern(options["pk_name_pattern"])
    for table in schema.base_tables:
        if table.primary_key is None or len(table.primary_key.columns) != 1:
            continue
        unit = table.qualified_name
        column = table.primary_key.columns[0]
        singulars = {
            "_".join(singular_phrase(split_words(name)))
            for name in (table.name, strip_prefix(table.name, prefixes))
        }
        key = snake(column)
        match = pattern.fullmatch(key)
        captured = match.groupdict().get("table") if match else None
        # The database's own key conventions pass too: id_customer (the id_{x} reference
        # shape) and the table's column tag (cat_id in category, whose columns are cat_*).
        # So does a key that refers to another table's row: a one-to-one extension keyed
        # by its parent (Synapse's account_validity by user_id, event_expiry by event_id).
        if (
            (match and (captured is None or captured.lower() in singulars))
            or key in {f"id_{s}" for s in singulars}
            or ((tag := column_prefix(table)) is not None and key == f"{tag}_id")
            or any(fk.columns == (column,) for fk in table.foreign_keys)
            or schema.references().refers_elsewhere(table, column)
        ):
            yield passed(unit, unit)
        else:
            short = "_".join(singular_phrase(split_words(strip_prefix(table.name, prefixes))))
            expected = short + "_id" if short else "id"
            yield Outcome(unit, unit, f"The key {column} is neither id nor {expected}.")


def _uuid_width(column: Column) -> bool:
    """36 and 38 are a UUID's text forms; 32 is also an MD5 in hex (phpBB's session ids), so
    it counts only when the name says uuid or guid."""
    if column.max_length in (36, 38):
        return True
    return column.max_length == 32 and not {"uuid", "guid"}.isdisjoint(split_words(column.name))


def check_pk_uuid_as_string(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    # Only where a uuid type exists: Django stores UUIDs as char(32) on MySQL and SQLite.
    if not schema.sql.dialect.has_uuid_type:
        return
    for table in schema.base_tables:
        if table.primary_key is None:
            continue
        unit = table.qualified_name
        columns = [table.column(name) for name in table.primary_key.columns]
        stringly = [c for c in columns if c and c.type_family == TEXT and _uuid_width(c)]
        if not stringly:
            yield passed(unit, unit)
            continue
        column = stringly[0]
        uuid = schema.sql.type_name(UUID) or "uuid"
        yield Outcome(
            unit,
            unit,
            f"The key {column.name} is {column.data_type}, the width of a UUID; use {uuid}.",
            schema.sql.alter_type(table, column, uuid),
        )


def _serial_fix(schema: Schema, table: Table, column: str, sequence: str) -> str:
    t = schema.sql.table(table)
    c = schema.sql.quote(column)
    # Fix text shown to people, never executed by SchemaJoy; identifiers are quoted.
    sequence_of = f"pg_get_serial_sequence({schema.sql.literal(t)}, {schema.sql.literal(column)})"
    restart = f"SELECT setval({sequence_of}, (SELECT coalesce(max({c}), 0) + 1 FROM {t}), false);"  # noqa: S608 - shown, never run
    return (
        f"ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;\n"
        f"DROP SEQUENCE {sequence};\n"
        f"ALTER TABLE {t} ALTER COLUMN {c} ADD GENERATED BY DEFAULT AS IDENTITY;\n" + restart
    )


def check_pk_serial(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    if not schema.sql.dialect.has_identity_columns:
        return
    for table in schema.base_tables:
        if table.primary_key is None:
            continue
        unit = table.qualified_name
        serial = None
        for name in table.primary_key.columns:
            column = table.column(name)
            match = _NEXTVAL.search(column.default or "") if column else None
            if match and column and not column.identity:
                serial = (name, match.group(1))
                break
        if serial is None:
            yield passed(unit, unit)
        else:
            yield Outcome(
                unit,
                unit,
                f"The key {serial[0]} is filled by nextval({serial[1]}); use an identity column.",
                _serial_fix(schema, table, *serial),
            )


RULES = (
    Rule(
        id="pk-missing",
        title="Table without a primary key",
        theme=KEYS,
        severity=Severity.ERROR,
        applies_to=TABLE,
        rationale=(
            "Without a key, nobody downstream can deduplicate, join or snapshot the table "
            "reliably: every incremental model and every merge needs one. Applies to base "
            "tables (views and foreign tables cannot have keys; partitions are folded into "
            "their parent). A table whose unique NOT NULL index stands in for a key passes "
            "here and is reported by pk-unique-substitute instead."
        ),
        check=check_pk_missing,
    ),
    Rule(
        id="pk-unique-substitute",
        title="Unique index standing in for a primary key",
        theme=KEYS,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "A unique NOT NULL index identifies rows, but tools that read keys from the "
            "catalog (dbt tests, replication, ERDs) do not see it. Declaring it as the "
            "primary key costs nothing. Applies to every base table; those with a key pass."
        ),
        check=check_pk_unique_substitute,
    ),
    Rule(
        id="pk-misleading-id",
        title="An id column that is not the key",
        theme=KEYS,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "Everyone joins on id. When the key is actually order_id and id is something "
            "else, joins silently fan out. Applies to base tables that have both a primary "
            "key and a column named id (any case)."
        ),
        check=check_pk_misleading_id,
    ),
    Rule(
        id="pk-name-pattern",
        title="Primary key named neither id nor <table>_id",
        theme=KEYS,
        severity=Severity.INFO,
        applies_to=TABLE,
        rationale=(
            "Predictable key names let analysts write joins without looking them up. The "
            "rule's name pattern setting is a regular expression matched, case-insensitively, "
            "against the whole key name in snake_case words (OrderID reads as order_id), "
            "with {table} standing for the singular table name in snake_case words (with "
            "and without the database's table prefix); the default accepts id, order_id, "
            "orderId and OrderID, as casing is name-casing-outlier's business. The "
            "database's own conventions pass as well: id_order (the id_{x} reference shape) "
            "and, where each table's columns carry a tag, the tag's id (cat_id in "
            "category). Applies to single-column keys."
        ),
        check=check_pk_name_pattern,
        options={"pk_name_pattern": r"id|{table}_id"},
    ),
    Rule(
        id="pk-uuid-as-string",
        title="UUID key stored as a string",
        theme=KEYS,
        severity=Severity.INFO,
        applies_to=TABLE,
        rationale=(
            "A char/varchar(32/36/38) key on PostgreSQL is a UUID in a string: twice the "
            "size, slower joins, and no validation. Never reported on MySQL or SQLite, "
            "where Django stores UUIDFields as char(32) because there is no uuid type. "
            "Width 32 is also an MD5 in hex (a session id), so it counts only when the "
            "name says uuid or guid."
        ),
        check=check_pk_uuid_as_string,
    ),
    Rule(
        id="pk-serial",
        title="Key filled by a sequence default instead of an identity column",
        theme=KEYS,
        severity=Severity.INFO,
        applies_to=TABLE,
        rationale=(
            "Identity columns (PostgreSQL 10+) carry their sequence with the table: dumps, "
            "copies and permissions just work. serial keys still work, hence info only. "
            "Applies to PostgreSQL tables with a primary key."
        ),
        check=check_pk_serial,
    ),
)
