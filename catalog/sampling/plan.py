"""What to read from each table, the time budget, and the record of what was read (pure).

Shared by the dialect modules. The audit and soft-delete column names repeat the defaults of
scoring's time and soft_delete rules (catalog never imports scoring); names are compared as
snake_case words, so createdAt counts as created_at.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from catalog.inflection import snake
from catalog.introspection.model import (
    BOOLEAN,
    DATE,
    INTEGER,
    TIMESTAMP,
    TIMESTAMPTZ,
    Column,
    Table,
)
from catalog.sampling.parsing import Tally

CREATED = ("created_at", "created_on", "inserted_at", "created")
UPDATED = ("updated_at", "updated_on", "modified_at", "last_modified")
STAMP_MARKERS = ("deleted_at", "archived_at", "discarded_at")
FLAG_MARKERS = ("is_deleted", "deleted")

# Typed server-side: audit columns must be moments, soft-delete flags booleans (or the
# integers MySQL keeps them in) to be compared in SQL.
TYPED_MOMENTS = frozenset({DATE, TIMESTAMP, TIMESTAMPTZ})
TYPED_FLAGS = frozenset({BOOLEAN, INTEGER})

FUTURE_MARGIN_SECONDS = 300  # RULES.md: "more than 5 minutes in the future"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class TablePlan:
    """One table's sample: the columns to profile and the row-level checks that apply."""

    table: Table
    profile: tuple[Column, ...] = ()  # text columns whose values are tallied
    created: Column | None = None
    updated: Column | None = None  # both set: updated_at < created_at is counted
    moments: tuple[Column, ...] = ()  # audit columns checked for values in the future
    stamp: Column | None = None  # deleted_at style marker ...
    flag: Column | None = None  # ... and is_deleted style: both set, disagreements counted

    @property
    def compares_audit(self) -> bool:
        return self.created is not None and self.updated is not None

    @property
    def compares_markers(self) -> bool:
        return self.stamp is not None and self.flag is not None

    @property
    def row_checks(self) -> bool:
        return self.compares_audit or bool(self.moments) or self.compares_markers

    @property
    def needed(self) -> bool:
        return bool(self.profile) or self.row_checks


def _first(columns: dict[str, Column], names: Iterable[str]) -> Column | None:
    return next((columns[n] for n in names if n in columns), None)


def plan_table(
    table: Table,
    profile: Iterable[Column] = (),
    *,
    moment_families: Collection[str] | None = None,
    flag_families: Collection[str] | None = None,
) -> TablePlan:
    """The plan for ``table``. Families None: any declared type will do (SQLite).

    ``moment_families``: types an audit column must have to be compared (a created_at kept
    as text is ts-string-typed's business, not this check's); ``flag_families`` likewise
    for is_deleted.
    """

    def typed(column: Column | None, families: Collection[str] | None) -> Column | None:
        if column is None or families is None or column.type_family in families:
            return column
        return None

    by_name: dict[str, Column] = {}
    for column in table.columns:
        by_name.setdefault(snake(column.name), column)
    created = typed(_first(by_name, CREATED), moment_families)
    updated = typed(_first(by_name, UPDATED), moment_families)
    stamp = _first(by_name, STAMP_MARKERS)
    moments = tuple(c for c in (created, updated, typed(stamp, moment_families)) if c is not None)
    return TablePlan(
        table=table,
        profile=tuple(profile),
        created=created if updated is not None else None,
        updated=updated if created is not None else None,
        moments=moments,
        stamp=stamp,
        flag=typed(_first(by_name, FLAG_MARKERS), flag_families) if stamp is not None else None,
    )


class Clock:
    """The time budget of one sampling run."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.budget - self.elapsed()

    def timeout(self, statement_timeout: float) -> float:
        """A statement's timeout: the session's, cut to what is left of the budget."""
        return max(0.001, min(statement_timeout, self.remaining()))


@dataclass
class RowCounts:
    """Row-level checks of one table's sample, filled row by row."""

    rows: int = 0
    updated_before_created: int = 0
    future: int = 0
    disagreements: int = 0


class Recorder:
    """The JSON-able result: counts and ratios per object name, never a sampled value."""

    def __init__(self, dialect: str, *, rows: int, clock: Clock) -> None:
        self.dialect = dialect
        self.rows = rows
        self.clock = clock
        self.columns: dict[str, dict[str, Any]] = {}
        self.tables: dict[str, dict[str, Any]] = {}
        self.counts = {"from_stats": 0, "sampled_columns": 0, "sampled_tables": 0, "queries": 0}
        self.skipped: dict[str, int] = {}  # why -> tables
        self.extra: dict[str, Any] = {}
        self.reason: str | None = None

    @property
    def stopped(self) -> bool:
        return self.reason is not None

    def out_of_time(self) -> bool:
        """True (and the run marked partial) once the budget is spent."""
        if self.reason is None and self.clock.remaining() <= 0:
            self.stop(
                f"budget of {self.clock.budget:g} s reached after {len(self.columns)} columns"
            )
        return self.stopped

    def stop(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def column(self, name: str, tally: Tally, *, source: str) -> None:
        if not tally.sampled:
            return
        self.columns[name] = tally.to_json(source)
        self.counts["from_stats" if source == "stats" else "sampled_columns"] += 1

    def table(self, name: str, **fields: Any) -> None:
        self.tables.setdefault(name, {}).update(fields)

    def sampled(self, plan: TablePlan, tallies: list[Tally], counts: RowCounts) -> None:
        """One table's sample is in: its column profiles and row-level counts."""
        unit = plan.table.qualified_name
        for column, tally in zip(plan.profile, tallies, strict=True):
            self.column(f"{unit}.{column.name}", tally, source="sample")
        self.counts["sampled_tables"] += 1
        fields: dict[str, Any] = {"sampled_rows": counts.rows}
        if plan.compares_audit:
            fields["updated_before_created"] = counts.updated_before_created
        if plan.moments:
            fields["future_timestamps"] = counts.future
        if plan.compares_markers:
            fields["marker_disagreements"] = counts.disagreements
        self.table(unit, **fields)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "dialect": self.dialect,
            "rows": self.rows,
            "budget": self.clock.budget,
            "elapsed": round(self.clock.elapsed(), 3),
            "columns": self.columns,
            "tables": self.tables,
            "counts": self.counts,
            **self.extra,
            "partial": self.stopped,
        }
        if self.skipped:
            result["skipped"] = self.skipped
        if self.reason is not None:
            result["reason"] = self.reason
        return result


def tally_rows(plan: TablePlan, rows: list[tuple[Any, ...]]) -> tuple[list[Tally], RowCounts]:
    """Count a table's sampled rows, column by column (a tally per profiled column).

    Each row holds one value per profiled column, then the row-level flags in plan order
    (updated_before_created, future, disagreement) as the dialect's SQL computed them: true,
    false or NULL (1/0/NULL on MySQL and SQLite); NULL counts as false.
    """
    width = len(plan.profile)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width + 3)]
    tallies = [Tally().extend(values) for values in columns[:width]]
    counts = RowCounts(rows=len(rows))
    flags = iter(columns[width:])
    if plan.compares_audit:
        counts.updated_before_created = sum(map(bool, next(flags)))
    if plan.moments:
        counts.future = sum(map(bool, next(flags)))
    if plan.compares_markers:
        counts.disagreements = sum(map(bool, next(flags)))
    return tallies, counts
