"""Theme ``time``: timestamps, not dates; created_at and updated_at."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from catalog.inflection import singular_phrase, snake, split_words, strip_prefix
from catalog.introspection.model import (
    BINARY,
    BOOLEAN,
    DATE,
    INTEGER,
    TEXT,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIMETZ,
    Column,
    Table,
)
from catalog.relations import column_prefix, table_prefixes
from catalog.sql import TIMESTAMP_TYPE
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
    Verdict,
    passed,
    table_globs,
)

MOMENT_SUFFIXES = frozenset({"at", "time", "ts", "timestamp", "ms"})
# *_ms is a moment in milliseconds unless the word before says it is a length of time.
DURATION_WORDS = frozenset(
    {"duration", "elapsed", "timeout", "latency", "delay", "interval", "ttl", "runtime", "took"}
    | {"wait", "age", "lifetime", "period", "window", "offset", "spent", "total", "max", "min"}
    | {"throttle", "backoff", "cooldown"}
)
# date_format, date_type: about dates, not a date.
_NOT_A_DATE = frozenset(
    {"format", "style", "type", "mode", "pattern", "precision", "part", "range", "status"}
    | {"year", "month", "day", "week", "quarter", "hour", "minute", "second"}
)  # and date_year, date_month: parts of a date, not one
TIMESTAMP_FAMILIES = frozenset({TIMESTAMP, TIMESTAMPTZ})
# RULES.md "Real applications' conventions": the spellings real schemas use for the creation
# and update moments, compared as snake_case words. A table with any of them has one.
CREATED = (
    "created_at", "created_on", "inserted_at", "created", "date_add", "date_created",
    "creation_date", "created_date", "creation_ts", "created_ts", "creation_time",
    "create_time", "created_time", "create_date", "creation_timestamp", "create_at",
    "create_ts", "insert_time", "inserted_on",
)  # fmt: skip
UPDATED = (
    "updated_at", "updated_on", "modified_at", "last_modified", "modified", "updated",
    "date_upd", "date_modified", "date_updated", "last_update", "last_updated",
    "update_time", "updated_time", "updated_ts", "update_ts", "modified_ts", "update_at",
    "modification_date", "modified_date", "updated_date", "update_date", "modified_on",
    "last_modified_at", "last_updated_at", "changed_at", "last_changed",
)  # fmt: skip
# Units of an epoch integer, from the name's last word: the divisor to seconds.
EPOCH_UNITS = {"ms": 1000, "millis": 1000, "us": 1_000_000, "micros": 1_000_000, "ns": 10**9}
# A fixed-width string (binary(14): 20261205081500) holds a moment; a blob holds a document.
_MOMENT_STRING_WIDTH = 40


@lru_cache(maxsize=65536)
def is_moment_name(name: str) -> bool:
    """Named like a moment: a last word at/time/ts/timestamp/ms (created_at, createdAt,
    event_ts, sent_ms), or one named timestamp or ts."""
    words = split_words(name)
    if len(words) == 1:
        return words[0] in ("timestamp", "ts")
    if not words or words[-1] not in MOMENT_SUFFIXES:
        return False
    return words[-1] != "ms" or words[-2] not in DURATION_WORDS


@lru_cache(maxsize=65536)
def is_stored_moment_name(name: str) -> bool:
    """Moment names plus date_* and *_date, for the rules about a moment's stored form
    (a birth_date in a varchar is a date in a string all the same)."""
    if is_moment_name(name):
        return True
    words = split_words(name)
    if len(words) < 2:
        return False
    return words[-1] == "date" or (words[0] == "date" and _NOT_A_DATE.isdisjoint(words))


def _moment_columns(schema: Schema, *, stored: bool = False) -> list[ColumnRef]:
    def build_stored() -> list[ColumnRef]:
        names = {name for name in schema.snake_names if is_stored_moment_name(name)}
        return list(schema.base_columns_named(names))

    found = schema.memo("time.moments.stored", build_stored)
    if stored:
        return found
    # Moment names are a subset of the stored forms' names: filter the few, not every column.
    return schema.memo(
        "time.moments", lambda: [ref for ref in found if is_moment_name(ref[1].name)]
    )


def is_string_form(column: Column) -> bool:
    """Text, or a binary string short enough to be a value rather than a document."""
    if column.type_family == TEXT:
        return True
    if column.type_family != BINARY:
        return False
    width = _WIDTH.search(column.data_type)
    return width is not None and int(width.group(1)) <= _MOMENT_STRING_WIDTH


_WIDTH = re.compile(r"\((\d+)\)")


def epoch_divisor(column: Column) -> int | None:
    """Seconds per unit of an epoch column: from its name (_ms, _us), else 1 when a 32-bit
    integer can only hold seconds; None when a bigint does not say (seconds or milliseconds)."""
    words = split_words(column.name)
    if words and words[-1] in EPOCH_UNITS:
        return EPOCH_UNITS[words[-1]]
    if "big" in column.data_type.lower():
        return None
    return 1


def _to_timestamp(
    schema: Schema, table: Table, column: Column, using: str | None = None
) -> str | None:
    kind = schema.sql.type_name(TIMESTAMP_TYPE)
    return schema.sql.alter_type(table, column, kind, using=using) if kind else None


def check_ts_date_typed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    profiles = schema.observations.columns
    confirm = not schema.sql.dialect.has_column_types
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
            yield passed(unit, obj)
            continue
        yield Outcome(
            unit,
            obj,
            f"{column.name} is named like a moment but typed date{note}: the time of day is lost.",
            _to_timestamp(schema, table, column),
        )


def check_ts_string_typed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table, column, obj, unit in _moment_columns(schema, stored=True):
        if not is_string_form(column):
            yield passed(unit, obj)
            continue
        yield Outcome(
            unit,
            obj,
            f"{column.name} is named like a moment but stored as {column.data_type}, a string.",
            _to_timestamp(schema, table, column),
        )


def check_ts_epoch_typed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table, column, obj, unit in _moment_columns(schema, stored=True):
        if column.type_family != INTEGER:
            yield passed(unit, obj)
            continue
        divisor = epoch_divisor(column)
        if divisor is None:
            unit_note = "; its unit (seconds or milliseconds) is not in its name"
            fix = None
        else:
            unit_note = {1: " of seconds", 1000: " of milliseconds"}.get(divisor, "")
            value = schema.sql.quote(column.name)
            using = (
                f"to_timestamp({value} / {divisor}.0)" if divisor > 1 else f"to_timestamp({value})"
            )
            fix = _to_timestamp(schema, table, column, using)
        yield Outcome(
            unit,
            obj,
            f"{column.name} is named like a moment but stored as an integer "
            f"({column.data_type}){unit_note}.",
            fix,
        )


def check_ts_without_tz(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    mode = schema.sql.naive_timestamps
    if mode == "none":
        return
    zone = options["assumed_time_zone"]
    checked = {TIMESTAMP, TIMESTAMPTZ, TIMETZ} if mode == "score" else {TIMESTAMP, TIMESTAMPTZ}
    for table, column, obj, unit in schema.base_columns_of(checked):
        if column.type_family == TIMESTAMPTZ:
            yield passed(unit, obj)
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


def _spelled(schema: Schema, aliases: Any) -> tuple[dict[tuple[str, str], str], str | None]:
    """Per base table, the first of its columns spelled like one of ``aliases`` (booleans
    are flags, not moments); and the database's dominant spelling (its raw name), if any."""
    wanted = {snake(a) for a in aliases}
    snaked = schema.snake_names
    found: dict[tuple[str, str], str] = {}
    for table, column, _, _ in schema.base_columns_named(
        {raw for raw, words in snaked.items() if words in wanted}
    ):
        if column.type_family != BOOLEAN:
            found.setdefault(table.key, column.name)
    ranked = Counter(found.values()).most_common(1)
    return found, ranked[0][0] if ranked else None


_ROW_MOMENTS = ("timestamp", "time", "ts")


def _row_moments(schema: Schema) -> set[tuple[str, str]]:
    """Tables with a NOT NULL ``{tag}_timestamp`` / ``{tag}_time``, where the tag is the
    table's column tag (rev of revision) or the entity it is named after (post of
    phpbb_posts): the row's own moment, which is its creation (rev_timestamp, post_time)."""
    snaked = schema.snake_names
    names = {
        raw
        for raw, words in snaked.items()
        if words.rpartition("_")[2] in _ROW_MOMENTS and "_" in words
    }
    candidates = [ref for ref in schema.base_columns_named(names) if not ref[1].nullable]
    if not candidates:
        return set()
    prefixes = schema.memo("table_prefixes", lambda: table_prefixes(schema.model))
    found = set()
    for table, column, _, _ in candidates:
        if table.key in found:
            continue
        stem = snaked[column.name].rpartition("_")[0]
        # The tag (rev), or the entity the table is named after (post of phpbb_posts).
        entity = "_".join(singular_phrase(split_words(strip_prefix(table.name, prefixes))))
        if stem == entity or stem == column_prefix(table):
            found.add(table.key)
    return found


def _audit_check(kind: str, default_aliases: tuple[str, ...]) -> Any:
    def check(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
        skipped = table_globs((*options["ignore_tables"], *options.get("append_only", ())))
        aliases = options["aliases"] or default_aliases
        found, dominant = _spelled(schema, aliases)
        if kind == "creation":
            found = dict.fromkeys(_row_moments(schema), "") | found
        # New columns follow the database's own spelling (date_add where the others have it).
        name = dominant or aliases[0]
        words = schema.table_words
        junctions = schema.junctions
        for table in schema.base_tables:
            # A link table's rows are inserted and deleted, never updated: no audit columns.
            if skipped(table) or table.key in junctions:
                continue
            unit = table.qualified_name
            if table.key in found:
                yield passed(
                    unit, unit
                )  # another spelling than the dominant: name-concept-synonyms
                continue
            taken = snake(name) in words[table.key]
            yield Outcome(
                unit,
                unit,
                f"No {kind} timestamp (such as {name}).",
                None if taken else schema.sql.add_timestamp(table, name, default_now=True),
            )

    return check


def check_ts_audit_shape(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    created = {snake(a) for a in options["created_aliases"]}
    audit = created | {snake(a) for a in options["updated_aliases"]}
    snaked = schema.snake_names
    named = schema.base_columns_named({raw for raw, words in snaked.items() if words in audit})
    for table, column, obj, unit in named:
        name = snaked[column.name]
        if column.type_family == BOOLEAN:
            continue  # a flag named updated, not a moment
        if column.type_family not in TIMESTAMP_FAMILIES:
            if column.type_family == INTEGER:
                problem = "an integer epoch, not a timestamp: see ts-epoch-typed"
                fix = None  # the conversion depends on the unit: ts-epoch-typed's fix
            else:
                problem, fix = "not a timestamp", _to_timestamp(schema, table, column)
            yield Outcome(unit, obj, f"{column.name} is {column.data_type}, {problem}.", fix)
        elif name in created and column.nullable:
            yield Outcome(
                unit,
                obj,
                f"{column.name} is nullable: every row was created at some moment.",
                schema.sql.set_not_null(table, column),
            )
        else:
            yield passed(unit, obj)


def check_ts_updated_before_created(
    schema: Schema, options: Mapping[str, Any]
) -> Iterator[Verdict]:
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
            yield passed(unit, unit)
        else:
            yield Outcome(
                unit, unit, f"Of {profile.sampled_rows} sampled rows, {' and '.join(problems)}."
            )


_SUFFIX_NOTE = (
    "A moment is a column whose last word is at, time, ts, timestamp or ms (created_at, "
    "createdAt, event_ts, sent_ms; not a duration such as timeout_ms) or one named "
    "timestamp or ts. Base tables only: a view inherits its types and is fixed at its table."
)
_STORED_NOTE = (
    " Names starting with date_ or ending in _date count here too (a birth_date kept in a "
    "string is as hard to use as a created_at)."
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
            "guessed format in every model. Fixed-width binary strings count (a binary(14) "
            "holding 20261205081500), blobs do not. " + _SUFFIX_NOTE + _STORED_NOTE
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
            "conversion in every query. The fix reads the unit from the name (_ms "
            "milliseconds, _us microseconds); a 32-bit integer holds seconds; a bigint that "
            "does not say gets no fix. " + _SUFFIX_NOTE + _STORED_NOTE
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
            "not applicable. The fix assumes values are in the assumed time zone (a "
            "setting, UTC by default); check before running it."
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
            "when, or debug a row's history. Real applications' spellings count (created, "
            "date_add, creation_ts, date_created, inserted_at...), compared by their words so "
            "createdAt counts as created_at; a table with another spelling than the "
            "database's usual one has a naming finding, not a missing column. Tables can be "
            "left out by name. The fix adds a column in the database's own spelling, "
            "nullable and defaulting to now for new rows: existing rows keep NULL, their "
            "creation time is unknown. Link tables (their key is two or more references) are "
            "left out, and where each table's columns carry a tag (rev_id, rev_page in "
            "revision), a NOT NULL rev_timestamp or post_time is the row's creation."
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
            "is a full reload. Real applications' spellings count (modified, date_upd, "
            "last_update, updated_ts...). Tables marked append-only, and tables left out by "
            "name, are skipped. The fix adds the column in the database's own spelling; "
            "keeping it current needs the application or a trigger."
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
            "incremental loads. Applies to the creation and update columns (every spelling "
            "ts-created-missing and ts-updated-missing accept): each must be a timestamp, "
            "and a creation column NOT NULL. An integer epoch fails without a fix here: "
            "its conversion depends on its unit (see ts-epoch-typed)."
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
