"""SQLite sampling: rowid ranges with LIMIT, and typeof() where declared types say little.

``SELECT min(rowid), max(rowid)`` reads the two ends of the table's b-tree; then CHUNKS
disjoint ranges ``WHERE rowid >= a AND rowid < b ORDER BY rowid LIMIT n/CHUNKS`` in one
UNION ALL, each a seek and a short walk. A WITHOUT ROWID table is read with ``LIMIT n``
alone, which stops after n rows.

SQLite's types are declared, not enforced, so the row-level checks look at each value's
``typeof()``: ISO text is compared with julianday(), integers as Unix epochs (seconds, or
milliseconds past 10^11). Text and date-declared columns are profiled: the latter so that
ts-date-typed can tell date-only values from values with a time part.

The file is opened read-only (mode=ro) by introspection's session, whose progress handler
interrupts a statement past the statement timeout (cut to the budget when the run starts).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from catalog.introspection.dsn import Target
from catalog.introspection.limits import Limits
from catalog.introspection.model import DATE, TEXT, Column, SchemaModel, Table
from catalog.introspection.sqlite import read_only_session
from catalog.sampling.parsing import MAX_VALUE_CHARS
from catalog.sampling.plan import (
    FUTURE_MARGIN_SECONDS,
    Recorder,
    TablePlan,
    plan_table,
    tally_rows,
)
from catalog.sql import SQLITE

PROFILED_FAMILIES = frozenset({TEXT, DATE})
CHUNKS = 4
ROWID_NAMES = ("rowid", "_rowid_", "oid")  # a column of the same name hides the alias
EPOCH_MS = 100_000_000_000  # an integer moment above this is in milliseconds (year 5138 in s)

Read = Callable[..., list[tuple[Any, ...]]]


def sample(target: Target, model: SchemaModel, recorder: Recorder, *, limits: Limits) -> None:
    session = replace(limits, statement_timeout=recorder.clock.timeout(limits.statement_timeout))
    rng = random.Random()
    with read_only_session(target, session) as read:
        for table in model.tables:
            if not table.is_base_table:
                continue
            if recorder.out_of_time():
                return
            profile = [c for c in table.columns if c.type_family in PROFILED_FAMILIES]
            plan = plan_table(table, profile)
            if plan.needed:
                _sample_table(read, recorder, plan, rng)


def _query(
    read: Read, recorder: Recorder, statement: str, *, no_rowid: list[tuple[Any, ...]] | None = None
) -> list[tuple[Any, ...]] | None:
    """Rows, or None when the budget is spent or the statement was interrupted."""
    if recorder.out_of_time():
        return None
    recorder.counts["queries"] += 1
    try:
        return read(statement)
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "interrupted" in text:
            if not recorder.out_of_time():
                recorder.skip("statement timeout")
            return None
        if no_rowid is not None and "no such column" in text:
            return no_rowid  # WITHOUT ROWID: the caller falls back to LIMIT
        raise


def rowid_name(table: Table) -> str | None:
    taken = {c.name.lower() for c in table.columns}
    return next((n for n in ROWID_NAMES if n not in taken), None)


def _sample_table(read: Read, recorder: Recorder, plan: TablePlan, rng: random.Random) -> None:
    rowid = rowid_name(plan.table)
    starts: list[int] = []
    if rowid is not None:
        bounds = _query(read, recorder, bounds_statement(plan.table, rowid), no_rowid=[])
        if bounds is None:
            return
        if not bounds:
            rowid = None
        else:
            low, high = bounds[0]
            if low is None:  # empty
                recorder.sampled(plan, *tally_rows(plan, []))
                return
            if high - low + 1 > recorder.rows:
                span = high - low + 1
                starts = sorted({low + int(rng.random() * span) for _ in range(CHUNKS)})
    rows = _query(read, recorder, sample_statement(plan, recorder.rows, rowid=rowid, starts=starts))
    if rows is None:
        return
    recorder.sampled(plan, *tally_rows(plan, rows))


def bounds_statement(table: Table, rowid: str) -> str:
    return SQLITE.key_bounds(SQLITE.quote(table.name), rowid)


_NUMERIC = "('integer', 'real')"


def _future(column: Column) -> str:
    c = SQLITE.quote(column.name)
    margin = FUTURE_MARGIN_SECONDS
    return (
        f"CASE typeof({c}) "
        f"WHEN 'text' THEN julianday({c}) > julianday('now', '+{margin} seconds') "
        f"WHEN 'integer' THEN (CASE WHEN {c} > {EPOCH_MS} THEN {c} / 1000 ELSE {c} END) "
        f"> CAST(strftime('%s', 'now') AS INTEGER) + {margin} END"
    )


def select_list(plan: TablePlan) -> str:
    """Profiled values (cut to MAX_VALUE_CHARS + 1), then the row-level flags."""
    exprs = [f"substr({SQLITE.quote(c.name)}, 1, {MAX_VALUE_CHARS + 1})" for c in plan.profile]
    if plan.created is not None and plan.updated is not None:
        u, c = SQLITE.quote(plan.updated.name), SQLITE.quote(plan.created.name)
        exprs.append(
            f"CASE WHEN typeof({u}) = 'text' AND typeof({c}) = 'text' "
            f"THEN julianday({u}) < julianday({c}) "
            f"WHEN typeof({u}) IN {_NUMERIC} AND typeof({c}) IN {_NUMERIC} THEN {u} < {c} END"
        )
    if plan.moments:
        exprs.append("(" + " OR ".join(f"({_future(c)})" for c in plan.moments) + ")")
    if plan.stamp is not None and plan.flag is not None:
        s, f = SQLITE.quote(plan.stamp.name), SQLITE.quote(plan.flag.name)
        exprs.append(
            f"(({s} IS NOT NULL) <> "
            f"(lower(coalesce({f}, 0)) NOT IN ('0', 'false', 'f', 'n', 'no', '')))"
        )
    return ", ".join(exprs)


def sample_statement(
    plan: TablePlan, rows: int, *, rowid: str | None = None, starts: list[int] | None = None
) -> str:
    """Disjoint rowid ranges from sorted ``starts``, or LIMIT alone."""
    source = f"SELECT {select_list(plan)} FROM {SQLITE.quote(plan.table.name)}"  # noqa: S608 -- quoted identifiers
    if rowid is None:
        return f"{source} LIMIT {int(rows)}"
    return SQLITE.key_ranges(source, rowid, starts=starts or [], rows=rows)
