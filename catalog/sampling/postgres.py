"""PostgreSQL sampling: pg_stats first, then one bounded TABLESAMPLE query per table that needs it.

1. One query reads the delete counters (``pg_stat_user_tables.n_tup_del``) of every table,
   and which tables never held a row (no estimate, no live tuple, no insert counted): those
   are not sampled, so a schema loaded but never filled costs no query per table. Only
   statistics are read, never a table: no lock is taken.
2. One query reads ``pg_stats`` (most common values and histogram bounds, which ANALYZE
   already sampled) of every text column: no table is touched. A column whose values are
   clearly not of one kind is recorded from its statistics alone (``"source": "stats"``).
3. Candidates (columns whose statistics mostly parse as one kind, and text columns of
   tables never analyzed) and tables with audit or soft-delete columns are read with one
   ``TABLESAMPLE SYSTEM (p) ... LIMIT n`` per table, p sized from the row estimate so
   that about 2n rows are drawn; LIMIT stops the scan, whatever the estimate says.

The session is introspection's (read-only, statement and lock timeouts); each query runs in
its own read-only transaction with the statement timeout cut to what is left of the budget,
so a cancelled query costs one table, never the run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from catalog.introspection.dsn import Target
from catalog.introspection.limits import Limits
from catalog.introspection.model import (
    BOOLEAN,
    PARTITIONED,
    TEXT,
    TIMESTAMPTZ,
    Column,
    SchemaModel,
    Table,
)
from catalog.introspection.postgres import read_only_session
from catalog.sampling.parsing import BOOL, MAX_VALUE_CHARS, Tally
from catalog.sampling.plan import (
    FUTURE_MARGIN_SECONDS,
    TYPED_FLAGS,
    TYPED_MOMENTS,
    Recorder,
    TablePlan,
    plan_table,
    tally_rows,
)

CANDIDATE_SHARE = 0.9  # of pg_stats values parsing as one kind: worth confirming
MIN_DISTINCT = 5  # fewer distinct values than this: only a boolean could be reported
OVERSAMPLE = 2.0  # draw about twice the rows wanted: SYSTEM picks whole pages at random

COUNTERS_SQL = """
SELECT s.relid::bigint, s.schemaname::text, s.relname::text, s.n_tup_del,
       c.reltuples <= 0 AND s.n_live_tup = 0 AND s.n_tup_ins = 0,
       (SELECT d.stats_reset::text FROM pg_catalog.pg_stat_database d
         WHERE d.datname = pg_catalog.current_database())
FROM pg_catalog.pg_stat_user_tables s
JOIN pg_catalog.pg_class c ON c.oid = s.relid
"""

# anyarray -> text -> text[]: the values of a text column, as ANALYZE saw them.
STATS_SQL = """
SELECT s.schemaname::text, s.tablename::text, s.attname::text, s.inherited, s.null_frac,
       s.n_distinct, s.most_common_vals::text::text[], s.histogram_bounds::text::text[]
FROM pg_catalog.pg_stats s
JOIN unnest(%s::text[], %s::text[], %s::text[]) AS w(schemaname, tablename, attname)
  ON s.schemaname = w.schemaname AND s.tablename = w.tablename AND s.attname = w.attname
"""


def sample(target: Target, model: SchemaModel, recorder: Recorder, *, limits: Limits) -> None:
    clock = recorder.clock
    session = replace(
        limits,
        connect_timeout=min(limits.connect_timeout, max(clock.remaining(), 0.001)),
        statement_timeout=clock.timeout(limits.statement_timeout),
    )
    tables = [t for t in model.tables if t.is_base_table]
    with read_only_session(target, session) as conn:
        run = _Run(conn, recorder, limits)
        counters = run.query(COUNTERS_SQL)
        empty = record_counters(recorder, tables, counters) if counters is not None else set()
        stats = run.query(STATS_SQL, _text_columns(tables)) if tables else []
        if stats is None:
            return
        for plan in plans(recorder, tables, stats, empty=empty):
            if recorder.out_of_time():
                return
            run.sample_table(plan)


class _Run:
    def __init__(self, conn: psycopg.Connection[Any], recorder: Recorder, limits: Limits) -> None:
        self.conn = conn
        self.recorder = recorder
        self.limits = limits

    def query(
        self, statement: str | sql.Composable, params: Any = None
    ) -> list[tuple[Any, ...]] | None:
        """Rows, or None when the budget is spent or the query was refused or cancelled."""
        recorder = self.recorder
        if recorder.out_of_time():
            return None
        timeout_ms = max(1, round(recorder.clock.timeout(self.limits.statement_timeout) * 1000))
        recorder.counts["queries"] += 1
        try:
            # Its own transaction: a cancelled query rolls back alone, and SET LOCAL ends with it.
            with self.conn.transaction():
                self.conn.execute(
                    "SELECT pg_catalog.set_config('statement_timeout', %s, true)",
                    (str(timeout_ms),),
                )
                return self.conn.execute(statement, params).fetchall()  # type: ignore[arg-type]
        except pg_errors.QueryCanceled:
            if not recorder.out_of_time():
                recorder.skip("statement timeout")
        except pg_errors.InsufficientPrivilege:
            recorder.skip("no privilege")
        return None

    def sample_table(self, plan: TablePlan) -> None:
        rows = self.query(sample_statement(plan, self.recorder.rows))
        if rows is None:
            return
        self.recorder.sampled(plan, *tally_rows(plan, rows))


def record_counters(
    recorder: Recorder, tables: list[Table], rows: list[tuple[Any, ...]]
) -> set[tuple[str, str]]:
    """deletes_now per table; returns the tables that never held a row (nothing to sample).

    A partitioned table sums its partitions, which hold the rows.
    """
    by_name = {
        (schema, name): (relid, deleted, empty) for relid, schema, name, deleted, empty, _ in rows
    }
    if rows:
        recorder.extra["stats_reset"] = rows[0][5]
    no_pages: set[tuple[str, str]] = set()
    for table in tables:
        relid, deleted, empty = by_name.get(table.key, (None, None, False))
        if table.kind == PARTITIONED:
            parts = [by_name.get(_partition_key(table, p)) for p in table.partitions]
            deleted = sum(p[1] for p in parts if p is not None) + (deleted or 0)
            empty = all(p is not None and p[2] for p in parts)
        if empty:
            no_pages.add(table.key)
        if deleted is not None:
            recorder.table(table.qualified_name, deletes_now=int(deleted), relid=relid)
    return no_pages


def _partition_key(table: Table, partition: str) -> tuple[str, str]:
    # The model names a partition bare in its parent's schema, else as schema.name.
    schema, dot, name = partition.partition(".")
    return (schema, name) if dot else (table.schema, partition)


def _text_columns(tables: list[Table]) -> tuple[list[str], list[str], list[str]]:
    schemas, names, columns = [], [], []
    for table in tables:
        for column in table.columns:
            if column.type_family == TEXT:
                schemas.append(table.schema)
                names.append(table.name)
                columns.append(column.name)
    return schemas, names, columns


def plans(
    recorder: Recorder,
    tables: list[Table],
    stats: list[tuple[Any, ...]],
    *,
    empty: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> list[TablePlan]:
    """Record what pg_stats settles; plan a sample for the rest (and the row-level checks).

    Tables in ``empty`` never held a row: there is nothing to sample.
    """
    found: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for row in stats:
        key = (row[0], row[1], row[2])
        # A partitioned table's own statistics cover its partitions (inherited); a plain
        # table's are its own rows.
        if key not in found or row[3]:
            found[key] = row
    wanted: list[TablePlan] = []
    for table in tables:
        if recorder.out_of_time():  # parsing statistics costs time too
            break
        if table.key in empty:
            continue
        profile: list[Column] = []
        for column in table.columns:
            if column.type_family != TEXT:
                continue
            row = found.get((table.schema, table.name, column.name))  # type: ignore[assignment]
            if row is None:
                # Never analyzed (or the column is newer than the statistics): only a sample
                # can tell, unless the table is known to be empty.
                if table.row_estimate != 0:
                    profile.append(column)
                continue
            _, _, _, _, _null_frac, n_distinct, common, bounds = row
            tally = Tally().extend([*(common or ()), *(bounds or ())])
            if is_candidate(tally, n_distinct, table.row_estimate):
                profile.append(column)
            else:
                recorder.column(f"{table.qualified_name}.{column.name}", tally, source="stats")
        plan = plan_table(table, profile, moment_families=TYPED_MOMENTS, flag_families=TYPED_FLAGS)
        if plan.needed:
            wanted.append(plan)
    return wanted


def is_candidate(tally: Tally, n_distinct: float | None, estimate: int | None) -> bool:
    """Statistics that mostly parse as one kind, with enough variety to be reported."""
    if tally.best_share() < CANDIDATE_SHARE:
        return False
    distinct = _distinct_estimate(n_distinct, estimate)
    if distinct is not None and distinct < MIN_DISTINCT:
        return tally.parses[BOOL] >= CANDIDATE_SHARE * tally.sampled  # two values suffice
    return True


def _distinct_estimate(n_distinct: float | None, estimate: int | None) -> float | None:
    # pg_stats: a positive n_distinct counts values; a negative one is minus their share of rows.
    if n_distinct is None or n_distinct == 0:
        return None
    if n_distinct > 0:
        return n_distinct
    return -n_distinct * estimate if estimate else None


def sample_percent(estimate: int | None, rows: int) -> float:
    """The TABLESAMPLE SYSTEM percentage that draws about OVERSAMPLE x rows."""
    if not estimate or estimate <= rows * OVERSAMPLE:
        return 100.0
    return max(0.0001, round(100.0 * rows * OVERSAMPLE / estimate, 4))


_FUTURE = sql.SQL("now() + interval '{} seconds'").format(sql.SQL(str(FUTURE_MARGIN_SECONDS)))
# A naive timestamp could be in the server's zone or in UTC: ahead of both to be in the future.
_FUTURE_NAIVE = sql.SQL(
    "greatest(localtimestamp, now() AT TIME ZONE 'UTC') + interval '{} seconds'"
).format(sql.SQL(str(FUTURE_MARGIN_SECONDS)))


def _future(column: Column) -> sql.Composable:
    limit = _FUTURE if column.type_family == TIMESTAMPTZ else _FUTURE_NAIVE
    return sql.SQL("{} > {}").format(sql.Identifier(column.name), limit)


def sample_statement(plan: TablePlan, rows: int) -> sql.Composed:
    """The one query that samples ``plan.table``: profiled values, then the row-level flags."""
    exprs: list[sql.Composable] = [
        sql.SQL("left({}::text, {})").format(
            sql.Identifier(c.name), sql.Literal(MAX_VALUE_CHARS + 1)
        )
        for c in plan.profile
    ]
    if plan.created is not None and plan.updated is not None:
        exprs.append(
            sql.SQL("({} < {})").format(
                sql.Identifier(plan.updated.name), sql.Identifier(plan.created.name)
            )
        )
    if plan.moments:
        exprs.append(sql.SQL("({})").format(sql.SQL(" OR ").join(map(_future, plan.moments))))
    if plan.stamp is not None and plan.flag is not None:
        flag = sql.Identifier(plan.flag.name)
        truth = (
            sql.SQL("coalesce({}, false)").format(flag)
            if plan.flag.type_family == BOOLEAN
            else sql.SQL("(coalesce({}, 0) <> 0)").format(flag)
        )
        exprs.append(
            sql.SQL("(({} IS NOT NULL) <> {})").format(sql.Identifier(plan.stamp.name), truth)
        )
    table = plan.table
    return sql.SQL("SELECT {} FROM {} TABLESAMPLE SYSTEM ({}) LIMIT {}").format(
        sql.SQL(", ").join(exprs),
        sql.Identifier(table.schema, table.name),
        sql.Literal(sample_percent(table.row_estimate, rows)),
        sql.Literal(rows),
    )


__all__ = ["sample", "sample_statement", "sample_percent", "plans", "is_candidate"]
