"""Theme ``time``: timestamps, not dates; created_at and updated_at."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from catalog.inflection import snake, split_words
from catalog.introspection.model import (
    DATE,
    INTEGER,
    TEXT,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIMETZ,
    Column,
    Table,
)
from scoring.fixes import TIMESTAMP_TYPE
from scoring.rules.base import (
    COLUMN,
    DEMOTE,
    TABLE,
    TIME,
    ColumnRef,
    Outcome,
    Rule,
    Schema,
    Severity,
    table_globs,
)

MOMENT_SUFFIXES = frozenset({"at", "time", "ts", "timestamp"})
TIMESTAMP_FAMILIES = frozenset({TIMESTAMP, TIMESTAMPTZ})
CREATED = ("created_at", "created_on", "inserted_at", "created")
UPDATED = ("updated_at", "updated_on", "modified_at", "last_modified")


@lru_cache(maxsize=65536)
def is_moment_name(name: str) -> bool:
    """Named like a moment: a last word at/time/ts/timestamp (created_at, createdAt, event_ts)."""
    words = split_words(name)
    if len(words) == 1:
        return words[0] == "timestamp"
    return bool(words) and words[-1] in MOMENT_SUFFIXES


def _moment_columns(schema: Schema) -> list[ColumnRef]:
    def build() -> list[ColumnRef]:
        return list(
            schema.base_columns_named({name for name in schema.snake_names if is_moment_name(name)})
        )

    return schema.memo("time.moments", build)


def _to_timestamp(
    schema: Schema, table: Table, column: Column, using: str | None = None
) -> str | None:
    kind = schema.sql.type_name(TIMESTAMP_TYPE)
    return schema.sql.alter_type(table, column, kind, using=using) if kind else None


def check_ts_date_typed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Outcome]:
    profiles = schema.observations.columns
    confirm = not schema.sql.has_column_types
    for table, column, obj, unit in _moment_columns(schema):
        failed = column.type_family == DATE
        note = ""
        if failed and confirm:
            # SQLite: the declared type is a hint; sampled values with a time part overrule it.
            profile = profiles.get(obj)
            if profile is not None and profile.sampled and profile.date_only < profile.sampled:
                failed = False
            elif profile is None:
                note = " (declared type; not confirmed by sampling)"
        if not failed:
            yield unit, obj
            continue
        yield Outcome(
            unit,
            obj,
            f"{column.name} is named like a moment but typed date{note}: the time of day is lost.",
            _to_timestamp(schema, table, column),
        )


def check_ts_string_typed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Outcome]:
    for table, column, obj, unit in _moment_columns(schema):
        if column.type_family != TEXT:
            yield unit, obj
            continue
        yield Outcome(
            unit,
            obj,
            f"{column.name} is named like a moment but stored as {column.data_type}.",
            _to_timestamp(schema, table, column),
        )


def check_ts_epoch_typed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Outcome]:
    for table, column, obj, unit in _moment_columns(schema):
        if column.type_family != INTEGER:
            yield unit, obj
            continue
        using = f"to_timestamp({schema.sql.quote(column.name)})"
        yield Outcome(
            unit,
            obj,
            f"{column.name} is named like a moment but stored as an integer ({column.data_type}).",
            _to_timestamp(schema, table, column, using),
        )


def check_ts_without_tz(schema: Schema, options: Mapping[str, Any]) -> Iterator[Outcome]:
    mode = schema.sql.naive_timestamps
    if mode == "none":
        return
    zone = options["assumed_time_zone"]
    checked = {TIMESTAMP, TIMESTAMPTZ, TIMETZ} if mode == "score" else {TIMESTAMP, TIMESTAMPTZ}
    for table, column, obj, unit in schema.base_columns_of(checked):
        if column.type_family == TIMESTAMPTZ:
            yield unit, obj
        elif mode == "info":
            yield Outcome(
                unit,
                obj,
                f"{column.name} is {column.data_type}: the time zone of its values is a convention.",
                lane=DEMOTE,
            )
        elif column.type_family == TIMETZ:
            yield Outcome(
                unit,
                obj,
                f"{column.name} is time with time zone, which PostgreSQL itself advises against.",
            )
        else:
            name = schema.sql.quote(column.name)
            yield Outcome(
                unit,
                obj,
                f"{column.name} is timestamp without time zone; its values are read as {zone}.",
                _to_timestamp(
                    schema, table, column, f"{name} AT TIME ZONE {schema.sql.literal(zone)}"
                ),
            )


def _audit_check(kind: str, default_aliases: tuple[str, ...]) -> Any:
    def check(schema: Schema, options: Mapping[str, Any]) -> Iterator[Outcome]:
        aliases = {snake(a) for a in options["aliases"]}
        skipped = table_globs((*options["ignore_tables"], *options.get("append_only", ())))
        words = schema.table_words
        name = options["aliases"][0] if options["aliases"] else default_aliases[0]
        for table in schema.base_tables:
            if skipped(table):
                continue
            unit = table.qualified_name
            if not aliases.isdisjoint(words[table.key]):
                yield unit, unit
                continue
            yield Outcome(
                unit,
                unit,
                f"No {kind} timestamp ({', '.join(options['aliases'])}).",
                schema.sql.add_timestamp(table, name, default_now=True),
            )

    return check


def check_ts_audit_shape(schema: Schema, options: Mapping[str, Any]) -> Iterator[Outcome]:
    created = {snake(a) for a in options["created_aliases"]}
    audit = created | {snake(a) for a in options["updated_aliases"]}
    snaked = schema.snake_names
    named = schema.base_columns_named({raw for raw, words in snaked.items() if words in audit})
    for table, column, obj, unit in named:
        name = snaked[column.name]
        if column.type_family not in TIMESTAMP_FAMILIES:
            yield Outcome(
                unit,
                obj,
                f"{column.name} is {column.data_type}, not a timestamp.",
                _to_timestamp(schema, table, column),
            )
        elif name in created and column.nullable:
            yield Outcome(
                unit,
                obj,
                f"{column.name} is nullable: every row was created at some moment.",
                schema.sql.set_not_null(table, column),
            )
        else:
            yield unit, obj


def check_ts_updated_before_created(
    schema: Schema, options: Mapping[str, Any]
) -> Iterator[Outcome]:
    profiles = schema.observations.tables
    for table in schema.base_tables:
        unit = table.qualified_name
        profile = profiles.get(unit)
        if profile is None or (
            profile.updated_before_created is None and profile.future_timestamps is None
        ):
            continue
        problems = []
        if profile.updated_before_created:
            problems.append(f"{profile.updated_before_created} have updated_at before created_at")
        if profile.future_timestamps:
            problems.append(f"{profile.future_timestamps} have a timestamp over 5 minutes ahead")
        if not problems:
            yield unit, unit
        else:
            yield Outcome(
                unit, unit, f"Of {profile.sampled_rows} sampled rows, {' and '.join(problems)}."
            )


_SUFFIX_NOTE = (
    "A moment is a column whose last word is at, time, ts or timestamp (created_at, "
    "createdAt, event_ts) or one named timestamp. Base tables only: a view inherits its "
    "types and is fixed at its table."
)

RULES = (
    Rule(
        id="ts-date-typed",
        title="Moment stored as a date",
        theme=TIME,
        severity=Severity.ERROR,
        applies_to=COLUMN,
        rationale=(
            "A shipped_at that is a date loses the hour: events cannot be ordered, durations "
            "are off by up to a day, and time zones shift them to the wrong date. "
            + _SUFFIX_NOTE
            + " On SQLite, where types are only declared, sampled values with a time part "
            "overrule a declared date; without a sample the declared type decides."
        ),
        check=check_ts_date_typed,
    ),
    Rule(
        id="ts-string-typed",
        title="Moment stored as text",
        theme=TIME,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "Timestamps in strings sort wrongly, compare as text, and need a parse with a "
            "guessed format in every model. " + _SUFFIX_NOTE
        ),
        check=check_ts_string_typed,
    ),
    Rule(
        id="ts-epoch-typed",
        title="Moment stored as an integer",
        theme=TIME,
        severity=Severity.INFO,
        applies_to=COLUMN,
        rationale=(
            "Epoch integers work but hide their unit (seconds? milliseconds?) and need a "
            "conversion in every query. " + _SUFFIX_NOTE
        ),
        check=check_ts_epoch_typed,
    ),
    Rule(
        id="ts-without-tz",
        title="Timestamp without time zone",
        theme=TIME,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "A timestamp without time zone means whatever the writing server's zone was; "
            "after a move or a DST change nobody knows. Applies on PostgreSQL to timestamp "
            "columns (with or without time zone) and timetz, which fails too. On MySQL a "
            "datetime is reported as info only: its timestamp type ends in 2038, so "
            "datetime holding UTC is the sound choice there. SQLite has no zone-aware type: "
            "not applicable. The fix assumes values are in the assumed_time_zone option "
            "(UTC by default); check before running it."
        ),
        check=check_ts_without_tz,
        options={"assumed_time_zone": "UTC"},
    ),
    Rule(
        id="ts-created-missing",
        title="No creation timestamp",
        theme=TIME,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "Without created_at, nobody can load a table incrementally, count what arrived "
            "when, or debug a row's history. Names are compared by their words, so createdAt "
            "counts as created_at. Options: aliases, ignore_tables (globs on the table name "
            "or schema.table). The fix adds a nullable column defaulting to now for new rows: "
            "existing rows keep NULL, their creation time is unknown."
        ),
        check=_audit_check("creation", CREATED),
        options={"aliases": CREATED, "ignore_tables": ()},
    ),
    Rule(
        id="ts-updated-missing",
        title="No update timestamp",
        theme=TIME,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "updated_at is how incremental models find changed rows; without it every load "
            "is a full reload. Tables marked append-only (option append_only, globs) and "
            "ignore_tables are skipped. The fix adds the column; keeping it current needs "
            "the application or a trigger."
        ),
        check=_audit_check("update", UPDATED),
        options={"aliases": UPDATED, "ignore_tables": (), "append_only": ()},
    ),
    Rule(
        id="ts-audit-shape",
        title="Audit timestamp of the wrong shape",
        theme=TIME,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "A created_at that is a date, a string or nullable cannot be trusted for "
            "incremental loads. Applies to the creation and update columns (the aliases of "
            "ts-created-missing and ts-updated-missing): each must be a timestamp, and a "
            "creation column NOT NULL."
        ),
        check=check_ts_audit_shape,
        options={"created_aliases": CREATED, "updated_aliases": UPDATED},
    ),
    Rule(
        id="ts-updated-before-created",
        title="Audit timestamps that cannot be right",
        theme=TIME,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "updated_at before created_at, or a timestamp in the future, means the "
            "application writes them wrongly and incremental loads will miss rows. "
            "Sampling: applies only to tables with a sample of their audit columns."
        ),
        check=check_ts_updated_before_created,
        sampling=True,
    ),
)
