"""Sampling benchmark: the gisia corpus (GitLab-derived Rails schema) and a synthetic schema with rows.

    .venv/bin/python -m bench.sampling              # gisia, then 1,000 synthetic tables
    .venv/bin/python -m bench.sampling 300 2000     # 300 synthetic tables of 2,000 rows

Goal (issue 3): sampling of GitLab-size schemas stays within its time budget
(SAMPLING_BUDGET_SECONDS, 30 s by default); a tight budget ends a run early with a partial
result instead of running over. Each line reports wall time, the text columns settled from
pg_stats alone and by a sample, the tables sampled and the queries sent.

gisia is loaded the way the tests load it (schema only: its tables never held a row), once
as loaded and once after ANALYZE. The synthetic schema has N tables of R rows, each with
ints, zip codes, booleans, dates and JSON kept as text, free text, audit timestamps and both
soft-delete markers, spread over 4 schemas; it is sampled before ANALYZE (no statistics:
every text column is sampled), after it (pg_stats first), and with a 1 s budget.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from catalog.introspection import introspect
from catalog.introspection.limits import Limits
from catalog.sampling import sample
from tests.fixtures.postgres_targets import (
    admin_execute,
    create_database,
    drop_database,
    dsn_for,
    load_corpus,
    run_psql,
    unique_name,
)

BUDGET = 30.0
LIMITS = Limits(connect_timeout=10, statement_timeout=120, lock_timeout=5)
SCHEMAS = ("app", "billing", "crm", "ops")


def synthetic_sql(tables: int, rows: int) -> str:
    parts = [f"CREATE SCHEMA {s};" for s in SCHEMAS]
    for i in range(tables):
        name = f"{SCHEMAS[i % len(SCHEMAS)]}.entity_{i:05d}"
        parts.append(
            f"""
CREATE TABLE {name} (
    id bigint PRIMARY KEY, code text, zip varchar(5), flag text, born_on varchar(10),
    payload text, label text, note varchar(200), created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL, deleted_at timestamptz, is_deleted boolean NOT NULL
);
INSERT INTO {name}
SELECT g, (g * 7)::text, lpad(((g * 337) % 99999)::text, 5, '0'),
       CASE WHEN g % 2 = 0 THEN 'Y' ELSE 'N' END, (date '2000-01-01' + g)::text,
       json_build_object('n', g, 'tags', json_build_array('a', 'b'))::text,
       'label ' || g, md5(g::text), now() - interval '2 days',
       now() - CASE WHEN g % 50 = 0 THEN interval '3 days' ELSE interval '1 day' END,
       CASE WHEN g % 9 = 0 THEN now() END, g % 10 = 0
FROM generate_series(1, {rows}) g;"""
        )
        if i % 100 == 99:
            parts.append("COMMIT; BEGIN;")
    return "BEGIN;\n" + "\n".join(parts) + "\nCOMMIT;\n"


def wait_for_statistics(dsn: str, database: str, rows: int) -> None:
    """Inserts reach pg_stat_user_tables when psql's session ends; wait until they have."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        [[filled]] = admin_execute(
            "SELECT count(*) FILTER (WHERE n_tup_ins < %s) FROM pg_stat_user_tables",
            (rows,),
            database=database,
        )
        if filled == 0:
            return
        time.sleep(0.2)


def run(label: str, dsn: str, *, budget: float = BUDGET) -> dict[str, Any]:
    model = introspect(dsn, limits=LIMITS)
    started = time.perf_counter()
    result = sample(dsn, model, limits=LIMITS, budget=budget)
    seconds = time.perf_counter() - started
    counts = result["counts"]
    text_columns = sum(
        1 for t in model.tables if t.is_base_table for c in t.columns if c.type_family == "text"
    )
    verdict = "OK" if seconds <= budget + 1 else "OVER BUDGET"
    tail = f"partial: {result['reason']}" if result["partial"] else "complete"
    print(
        f"{label:<34} {seconds:7.3f} s (budget {budget:g} s) {verdict:<11} "
        f"{len(model.tables):>5} tables {text_columns:>6} text cols | "
        f"stats {counts['from_stats']:>5} sampled {counts['sampled_columns']:>5} cols "
        f"in {counts['sampled_tables']:>4} tables, {counts['queries']:>5} queries | {tail}"
    )
    return result


def bench_gisia() -> None:
    database = unique_name("bench_sampling_gisia")
    try:
        load_corpus("gisia", database)
        dsn = dsn_for(database)
        run("gisia as loaded (never filled)", dsn)
        admin_execute("ANALYZE", database=database)
        run("gisia after ANALYZE", dsn)
    finally:
        drop_database(database)


def bench_synthetic(tables: int, rows: int) -> None:
    database = unique_name(f"bench_sampling_{tables}")
    create_database(database)
    dsn = dsn_for(database)
    try:
        started = time.perf_counter()
        run_psql(dsn, synthetic_sql(tables, rows))
        wait_for_statistics(dsn, database, rows)
        print(f"(built {tables} tables x {rows} rows in {time.perf_counter() - started:.0f} s)")
        run(f"synthetic {tables}x{rows}, no statistics", dsn)
        admin_execute("ANALYZE", database=database)
        result = run(f"synthetic {tables}x{rows}, pg_stats first", dsn)
        found = sum(
            1
            for p in result["columns"].values()
            if p["sampled"] >= 50 and max(p["parses"].values(), default=0) >= 0.98 * p["sampled"]
        )
        print(f"{'':<34} {found} columns with 98%+ of one kind (incl. zip codes, not reported)")
        run(f"synthetic {tables}x{rows}, budget 1 s", dsn, budget=1.0)
    finally:
        drop_database(database)


def main(argv: list[str]) -> None:
    tables = int(argv[0]) if argv else 1000
    rows = int(argv[1]) if len(argv) > 1 else 1000
    bench_gisia()
    bench_synthetic(tables, rows)


if __name__ == "__main__":
    main(sys.argv[1:])
