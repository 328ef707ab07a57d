"""Theme ``soft_delete``: soft deletes, not hard deletes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from catalog.inflection import snake, split_words
from catalog.introspection.model import BOOLEAN, INTEGER, TIMESTAMP, TIMESTAMPTZ, Column, Table
from catalog.sql import TIMESTAMP_TYPE
from scoring.rules.base import (
    COLUMN,
    ESCALATE,
    RELATION,
    SOFT_DELETE,
    TABLE,
    Outcome,
    Rule,
    Schema,
    Severity,
    Verdict,
    passed,
    table_globs,
)

TIMESTAMP_MARKERS = ("deleted_at", "archived_at", "discarded_at", "delete_at")
FLAG_MARKERS = ("is_deleted", "deleted")
STAMP = "timestamp"  # deleted_at style
FLAG = "flag"  # is_deleted style
_OPTIONS = {"timestamp_markers": TIMESTAMP_MARKERS, "flag_markers": FLAG_MARKERS}


Markers = dict[tuple[str, str], tuple[Table, list[tuple[Column, str]]]]


def markers(schema: Schema, options: Mapping[str, Any]) -> Markers:
    """Tables with soft-delete marker columns, by key, in table order: (table, [(column,
    style)]). Names are compared as words; built once per run and marker lists."""
    stamps = tuple(options["timestamp_markers"])
    flags = tuple(options["flag_markers"])

    def build() -> Markers:
        styles = {snake(n): STAMP for n in stamps} | {snake(n): FLAG for n in flags}
        by_name = {raw: styles[w] for raw, w in schema.snake_names.items() if w in styles}
        found: Markers = {}
        logs = deletion_logs(schema)
        for table, column, _, _ in schema.base_columns_named(by_name):
            if table.key not in logs:
                found.setdefault(table.key, (table, []))[1].append((column, by_name[column.name]))
        return found

    return schema.memo(f"soft_delete.markers.{stamps}.{flags}", build)


# A table whose name says it holds deleted or archived rows is a record of deletions.
DELETION_WORDS = frozenset(
    {"deleted", "deletion", "deletions", "archive", "archived", "archives", "trash"}
    | {"tombstone", "tombstones", "removed", "graveyard", "purged"}
)


def deletion_logs(schema: Schema) -> frozenset[tuple[str, str]]:
    """Tables that ARE a log of deletions (MusicBrainz's deleted_entity, an archive): their
    deleted_at is the moment of the event, NOT NULL by nature, not a soft-delete marker, and
    their rows are the deletions themselves. Recognised by a name word (deleted, deletion,
    archive, trash, tombstone...), or by the marker being part of the table's key."""

    def build() -> frozenset[tuple[str, str]]:
        found = set()
        for table in schema.base_tables:
            words = set(split_words(table.name))
            keyed = set(table.primary_key.columns) if table.primary_key else set()
            if not DELETION_WORDS.isdisjoint(words) or any(
                snake(name) in ("deleted_at", "deleted_on", "deletion_date") for name in keyed
            ):
                found.add(table.key)
        return frozenset(found)

    return schema.memo("soft_delete.logs", build)


def _is_boolean(column: Column) -> bool:
    # MySQL's tinyint(1) is labelled boolean by introspection unless a default or a check
    # outside 0/1 makes it a small integer (RULES.md "Booleans").
    return column.type_family == BOOLEAN


def check_marker_missing(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    ignored = table_globs(options["ignore_tables"])
    marked, junctions = markers(schema, options), schema.junctions
    logs = deletion_logs(schema)
    for table in schema.base_tables:
        key = table.key
        if key in junctions or key in logs or ignored(table):
            continue
        unit = table.qualified_name
        if key in marked:
            yield passed(unit, unit)
        else:
            yield Outcome(
                unit,
                unit,
                "No soft-delete marker: deleted rows vanish from every downstream model.",
                schema.sql.add_timestamp(table, "deleted_at", default_now=False),
            )


def check_marker_shape(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table, found in markers(schema, options).values():
        unit = table.qualified_name
        for column, style in found:
            obj = f"{unit}.{column.name}"
            problem, fix = None, None
            if style == STAMP:
                if column.type_family == INTEGER:
                    pass  # an epoch (Mattermost's DeleteAt = 0 for live): ts-epoch-typed's
                elif column.type_family not in (TIMESTAMP, TIMESTAMPTZ):
                    problem = f"{column.name} is {column.data_type}, not a timestamp"
                    kind = schema.sql.type_name(TIMESTAMP_TYPE)
                    fix = schema.sql.alter_type(table, column, kind) if kind else None
                elif not column.nullable:
                    problem = f"{column.name} is NOT NULL: live rows cannot have no deletion time"
                    fix = schema.sql.drop_not_null(table, column)
            elif not _is_boolean(column):
                problem = f"{column.name} is {column.data_type}, not a boolean"
                kind = schema.sql.type_name(BOOLEAN)
                fix = schema.sql.alter_type(table, column, kind) if kind else None
            elif column.nullable:
                problem = f"{column.name} is nullable: NULL is neither deleted nor live"
                fix = schema.sql.set_not_null(table, column)
            if problem:
                yield Outcome(unit, obj, problem + ".", fix)
            else:
                yield passed(unit, obj)


def check_dual_markers(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    profiles = schema.observations.tables
    for table, found in markers(schema, options).values():
        unit = table.qualified_name
        if {style for _, style in found} != {STAMP, FLAG}:
            yield passed(unit, unit)
            continue
        names = " and ".join(c.name for c, _ in found)
        profile = profiles.get(unit)
        disagreements = profile.marker_disagreements if profile else None
        if profile and disagreements:
            yield Outcome(
                unit,
                unit,
                f"Both {names} mark deletion, and {disagreements} of {profile.sampled_rows} "
                "sampled rows disagree about it.",
                lane=ESCALATE,
            )
        else:
            yield Outcome(unit, unit, f"Both {names} mark deletion: which one is the truth?")


def check_convention_outlier(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    styles: dict[str, str] = {}
    for table, columns in markers(schema, options).values():
        found = {style for _, style in columns}
        if len(found) == 1:
            styles[table.qualified_name] = found.pop()  # both: sd-dual-markers' business
    ranked = Counter(styles.values()).most_common()
    if not ranked:
        return
    tie = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
    dominant = ranked[0][0]
    summary = ", ".join(f"{n} {style}" for style, n in ranked)
    for unit, style in styles.items():
        if len(ranked) == 1 or (style == dominant and not tie):
            yield passed(unit, unit)
        elif tie:
            yield Outcome(unit, unit, f"Soft-delete markers are split evenly: {summary} tables.")
        else:
            yield Outcome(
                unit,
                unit,
                f"Soft deletes are mostly {dominant} markers ({summary} tables); this is {style}.",
            )


def check_hard_delete_observed(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    profiles = schema.observations.tables
    if not profiles:
        return
    for table, _ in markers(schema, options).values():
        unit = table.qualified_name
        profile = profiles.get(unit)
        if profile is None or profile.deletes_before is None or profile.deletes_now is None:
            continue
        if profile.deletes_now < profile.deletes_before:
            continue  # the counters were reset: unknown
        deleted = profile.deletes_now - profile.deletes_before
        if deleted:
            yield Outcome(
                unit,
                unit,
                f"{deleted} rows were hard-deleted since the last snapshot, despite the soft-delete marker.",
            )
        else:
            yield passed(unit, unit)


def fk_object(table: Table, columns: tuple[str, ...]) -> str:
    return f"{table.qualified_name}.{','.join(columns)}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def check_cascade_delete(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table in schema.base_tables:
        unit = table.qualified_name
        for fk in table.foreign_keys:
            obj = fk_object(table, fk.columns)
            if fk.on_delete.upper() != "CASCADE":
                yield passed(unit, obj)
                continue
            yield Outcome(
                unit,
                obj,
                f"Deleting {_article(fk.ref_table)} {fk.ref_table} row silently deletes its "
                f"{table.name} rows (ON DELETE CASCADE on {', '.join(fk.columns)}).",
                schema.sql.replace_on_delete(table, fk, "RESTRICT"),
            )


_MARKERS_NOTE = (
    "Markers are deleted_at, archived_at, discarded_at, delete_at (timestamp style) and is_deleted, "
    "deleted (flag style), compared by words so deletedAt counts; the rules' settings can "
    "replace the lists."
)

RULES = (
    Rule(
        id="sd-marker-missing",
        title="Entity table without a soft-delete marker",
        theme=SOFT_DELETE,
        severity=Severity.INFO,
        applies_to=TABLE,
        rationale=(
            "Hard-deleted rows disappear from every snapshot and every history: counts of "
            "last month change under analysts' feet. Info by default, never more, since "
            "sessions, caches and GDPR erasure legitimately hard-delete; teams can raise "
            "it. Entity tables are base tables that are neither link tables nor logs of "
            "deletions (a name saying deleted, deletion, archive or trash); more "
            "tables can be left out by name. " + _MARKERS_NOTE
        ),
        check=check_marker_missing,
        options={**_OPTIONS, "ignore_tables": ()},
    ),
    Rule(
        id="sd-marker-shape",
        title="Soft-delete marker of the wrong shape",
        theme=SOFT_DELETE,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "A deleted_at must be a nullable timestamp (NULL: live), an is_deleted a NOT "
            "NULL boolean (NULL would be a third state nobody filters on). MySQL's "
            "tinyint(1) counts as boolean unless a default or check outside 0/1 makes it a "
            "small integer; an integer epoch deleted_at is ts-epoch-typed's finding. A log of "
            "deletions (a table whose name says deleted, deletion, archive or trash, or whose "
            "key holds its deleted_at) has no marker: its deleted_at is the event's "
            "moment, NOT NULL by nature. " + _MARKERS_NOTE
        ),
        check=check_marker_shape,
        options=_OPTIONS,
    ),
    Rule(
        id="sd-dual-markers",
        title="Two soft-delete markers on one table",
        theme=SOFT_DELETE,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "deleted_at and is_deleted on one table must agree, and one day they will not. "
            "Applies to tables with a marker. An error when a sample finds rows where "
            "they disagree. " + _MARKERS_NOTE
        ),
        check=check_dual_markers,
        options=_OPTIONS,
    ),
    Rule(
        id="sd-convention-outlier",
        title="Soft deletes in a minority style",
        theme=SOFT_DELETE,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "Filtering deleted rows should be one habit: WHERE deleted_at IS NULL "
            "everywhere, or NOT is_deleted everywhere. Compares styles (timestamp or "
            "flag) over tables with exactly one style; the most common wins, minority "
            "tables fail, and a tie fails all (no convention to point to). Spellings "
            "within a style (deleted_at, discarded_at) and archiving are not a mix. "
            + _MARKERS_NOTE
        ),
        check=check_convention_outlier,
        options=_OPTIONS,
    ),
    Rule(
        id="sd-hard-delete-observed",
        title="Hard deletes on a soft-delete table",
        theme=SOFT_DELETE,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "A table with a marker that still loses rows is soft-deleted in name only. "
            "Observation: PostgreSQL's delete counter (n_tup_del) rose between two "
            "snapshots. Counters reset on restart: a lower value means unknown, not "
            "applicable."
        ),
        check=check_hard_delete_observed,
        options=_OPTIONS,
        sampling=True,
    ),
    Rule(
        id="sd-cascade-delete",
        title="Foreign key with ON DELETE CASCADE",
        theme=SOFT_DELETE,
        severity=Severity.INFO,
        applies_to=RELATION,
        rationale=(
            "One hard delete spreads silently through every child table. Applies to "
            "declared foreign keys, named by their columns (schema.table.a,b for "
            "composite keys); the fix switches to RESTRICT."
        ),
        check=check_cascade_delete,
    ),
)
