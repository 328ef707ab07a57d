"""MySQL and MariaDB sampling: primary-key ranges from random starting points, never a scan.

Neither server keeps value statistics worth reading (histograms are opt-in), so every text
column of a table that needs sampling is read, within bounds: when the table's key (its
first column) is an integer, ``SELECT MIN(k), MAX(k)`` (answered from the index ends), then
CHUNKS ranges ``WHERE k >= <random point> ORDER BY k LIMIT n/CHUNKS`` in one UNION ALL, each
an index range read (EXPLAIN type=range, key PRIMARY). Without such a key, ``LIMIT n``
alone, which stops after n rows. ``ORDER BY RAND()`` would read the whole table: never.

The session is introspection's (read-only, statement and lock-wait timeouts); each
statement carries its own time limit, cut to what is left of the budget.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import Any

import pymysql

from catalog.introspection.dsn import Target
from catalog.introspection.limits import Limits
from catalog.introspection.model import (
    BINARY,
    INTEGER,
    TEXT,
    Column,
    SchemaModel,
    Table,
)
from catalog.introspection.mysql import Server, read_only_session
from catalog.sampling.parsing import MAX_VALUE_CHARS
from catalog.sampling.plan import (
    FUTURE_MARGIN_SECONDS,
    TYPED_FLAGS,
    TYPED_MOMENTS,
    Recorder,
    TablePlan,
    plan_table,
    tally_rows,
)
from catalog.sql import MYSQL

_PROFILED = frozenset({TEXT, BINARY})
CHUNKS = 4  # ranges per sample: rows from several parts of the table, not one stretch

# Sort aborted, interrupted, statement time limits (MariaDB, MySQL), lock wait timeout.
_TIMEOUT_CODES = frozenset({1028, 1317, 1969, 3024, 1205})
_DENIED_CODES = frozenset({1142, 1143})


def sample(target: Target, model: SchemaModel, recorder: Recorder, *, limits: Limits) -> None:
    clock = recorder.clock
    session = replace(
        limits,
        connect_timeout=min(limits.connect_timeout, max(clock.remaining(), 0.001)),
        statement_timeout=clock.timeout(limits.statement_timeout),
    )
    with read_only_session(target, session) as (conn, server):
        run = _Run(conn, server, recorder, limits)
        for table in model.tables:
            if not table.is_base_table:
                continue
            if recorder.out_of_time():
                return
            # Binary strings too: MediaWiki-style schemas keep titles, timestamps and ids in
            # varbinary, and type-string-encodes-* must see them.
            profile = [c for c in table.columns if c.type_family in _PROFILED]
            plan = plan_table(
                table, profile, moment_families=TYPED_MOMENTS, flag_families=TYPED_FLAGS
            )
            if plan.needed:
                run.sample_table(plan)


def range_key(table: Table) -> Column | None:
    """The key column whose ranges are sampled: the primary key's first, if an integer."""
    if table.primary_key is None or not table.primary_key.columns:
        return None
    column = table.column(table.primary_key.columns[0])
    return column if column is not None and column.type_family == INTEGER else None


class _Run:
    def __init__(
        self,
        conn: pymysql.connections.Connection,
        server: Server,
        recorder: Recorder,
        limits: Limits,
    ) -> None:
        self.conn = conn
        self.server = server
        self.recorder = recorder
        self.limits = limits
        self.random = random.Random()

    def query(self, statement: str) -> list[tuple[Any, ...]] | None:
        """Rows, or None when the budget is spent or the statement was refused or cancelled."""
        recorder = self.recorder
        if recorder.out_of_time():
            return None
        seconds = recorder.clock.timeout(self.limits.statement_timeout)
        recorder.counts["queries"] += 1
        try:
            with self.conn.cursor() as cur:
                cur.execute(with_time_limit(statement, seconds, mariadb=self.server.is_mariadb))
                return list(cur.fetchall())
        except pymysql.MySQLError as exc:
            code = exc.args[0] if exc.args else None
            if code in _TIMEOUT_CODES:
                if not recorder.out_of_time():
                    recorder.skip("statement timeout")
                return None
            if code in _DENIED_CODES:
                recorder.skip("no privilege")
                return None
            raise

    def sample_table(self, plan: TablePlan) -> None:
        key = range_key(plan.table)
        starts: list[int] = []
        if key is not None:
            bounds = self.query(bounds_statement(plan.table, key))
            if bounds is None:
                return
            low, high = bounds[0]
            if low is None:  # empty
                self.recorder.sampled(plan, *tally_rows(plan, []))
                return
            span = int(high) - int(low) + 1
            if span > self.recorder.rows:  # else the table holds at most n rows: LIMIT reads all
                starts = sorted(
                    {int(low) + int(self.random.random() * span) for _ in range(CHUNKS)}
                )
        rows = self.query(sample_statement(plan, self.recorder.rows, key=key, starts=starts))
        if rows is None:
            return
        self.recorder.sampled(plan, *tally_rows(plan, rows))


def with_time_limit(statement: str, seconds: float, *, mariadb: bool) -> str:
    if mariadb:
        return f"SET STATEMENT max_statement_time = {seconds:.3f} FOR {statement}"
    # MySQL: the hint belongs right after the outermost SELECT.
    ms = max(1, math.ceil(seconds * 1000))
    return f"SELECT /*+ MAX_EXECUTION_TIME({ms}) */ * FROM ({statement}) AS sampled"  # noqa: S608 -- statement built from quoted identifiers and integers


def bounds_statement(table: Table, key: Column) -> str:
    return MYSQL.key_bounds(MYSQL.qualified(table.schema, table.name), MYSQL.quote(key.name))


_FUTURE = f"GREATEST(NOW(), UTC_TIMESTAMP()) + INTERVAL {FUTURE_MARGIN_SECONDS} SECOND"


def _profiled(column: Column) -> str:
    value = f"LEFT({MYSQL.quote(column.name)}, {MAX_VALUE_CHARS + 1})"
    if column.type_family == BINARY:
        # Bytes read as text: values that are not UTF-8 parse as nothing, as they should.
        return f"CONVERT({value} USING utf8mb4)"
    return value


def select_list(plan: TablePlan) -> str:
    """Profiled values (cut to MAX_VALUE_CHARS + 1), then the row-level flags."""
    exprs = [_profiled(c) for c in plan.profile]
    if plan.created is not None and plan.updated is not None:
        exprs.append(f"({MYSQL.quote(plan.updated.name)} < {MYSQL.quote(plan.created.name)})")
    if plan.moments:
        # Naive DATETIMEs may be in the session's zone or in UTC: ahead of both to count.
        exprs.append(
            "(" + " OR ".join(f"{MYSQL.quote(c.name)} > {_FUTURE}" for c in plan.moments) + ")"
        )
    if plan.stamp is not None and plan.flag is not None:
        exprs.append(
            f"(({MYSQL.quote(plan.stamp.name)} IS NOT NULL) "
            f"<> (COALESCE({MYSQL.quote(plan.flag.name)}, 0) <> 0))"
        )
    return ", ".join(exprs)


def sample_statement(
    plan: TablePlan, rows: int, *, key: Column | None = None, starts: list[int] | None = None
) -> str:
    """The sampling statement: key ranges from sorted ``starts`` with a key, else LIMIT."""
    table = MYSQL.qualified(plan.table.schema, plan.table.name)
    source = f"SELECT {select_list(plan)} FROM {table}"  # noqa: S608 -- quoted identifiers
    if key is None:
        return f"{source} LIMIT {int(rows)}"
    return MYSQL.key_ranges(source, MYSQL.quote(key.name), starts=starts or [], rows=rows)
