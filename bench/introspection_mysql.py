"""MySQL/MariaDB introspection benchmark: a synthetic schema, timed as a whole and per query.

    .venv/bin/python -m bench.introspection_mysql [tables]    # from the repo root; default 1000

Creates a scratch database (sjb_mysql_<random>) with ``tables`` InnoDB tables of 22 columns,
up to 3 foreign keys and 3 secondary indexes each, loads it through the mariadb client, then
reports the median of 5 introspections and the time of each information_schema query.
DESIGN.md's reference: 1.1 s for 5,000 tables with one query per view, joined in Python.
Needs MariaDB or MySQL (SCHEMAJOY_TEST_MYSQL).
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from catalog.introspection import mysql
from catalog.introspection.dsn import parse_dsn
from catalog.introspection.limits import Limits
from tests.fixtures.mysql_targets import drop_database, dsn_for, run_client, unique_name

_EXTRA_COLUMNS = (
    ("name", "VARCHAR(200) NOT NULL"),
    ("code", "VARCHAR(40)"),
    ("description", "TEXT"),
    ("status", "VARCHAR(20) NOT NULL DEFAULT 'new'"),
    ("amount", "DECIMAL(12,2)"),
    ("quantity", "INT NOT NULL DEFAULT 0"),
    ("ratio", "DOUBLE"),
    ("is_active", "BOOLEAN NOT NULL DEFAULT TRUE"),
    ("payload", "JSON"),
    ("external_ref", "CHAR(36)"),
    ("valid_from", "DATE"),
    ("kind", "ENUM('a','b','c')"),
    ("score", "SMALLINT"),
    ("notes", "VARCHAR(1000)"),
    ("opened_at", "DATETIME"),
)
LIMITS = Limits(connect_timeout=10, statement_timeout=300, lock_timeout=10)


def generate_ddl(database: str, tables: int, *, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = [
        f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4;",
        f"USE `{database}`;",
        "SET FOREIGN_KEY_CHECKS = 0;",
    ]
    for i in range(tables):
        refs = sorted({rng.randrange(i) for _ in range(3)}) if i else []
        lines = ["id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"]
        lines += [f"ref{k}_id BIGINT" for k in range(len(refs))]
        lines += [f"{name} {sql}" for name, sql in _EXTRA_COLUMNS]
        lines += [
            "created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
            "updated_at TIMESTAMP NULL COMMENT 'last change'",
        ]
        lines += [
            f"CONSTRAINT e{i}_ref{k}_fk FOREIGN KEY (ref{k}_id) REFERENCES entity_{ref:05d} (id)"
            " ON DELETE CASCADE"
            for k, ref in enumerate(refs)
        ]
        lines += [
            f"UNIQUE KEY e{i}_code_uq (code)",
            f"KEY e{i}_name_ix (name)",
            f"KEY e{i}_status_opened_ix (status, opened_at)",
        ]
        body = ",\n  ".join(lines)
        out.append(f"CREATE TABLE entity_{i:05d} (\n  {body}\n) COMMENT = 'entity {i}';")
    return "\n".join(out) + "\n"


def time_queries(dsn: str) -> dict[str, float]:
    """Seconds per information_schema query, run in one read-only session."""
    target = parse_dsn(dsn)
    timings: dict[str, float] = {}
    with mysql.read_only_session(target, LIMITS) as (conn, _), conn.cursor() as cur:
        for name in (
            "TABLES_SQL",
            "COLUMNS_SQL",
            "TABLE_CONSTRAINTS_SQL",
            "KEY_COLUMNS_SQL",
            "REFERENTIAL_SQL",
            "STATISTICS_SQL",
            "MARIADB_CHECKS_SQL",
            "TRIGGERS_SQL",
            "VIEWS_SQL",
        ):
            started = time.perf_counter()
            cur.execute(getattr(mysql, name), (target.database,))
            cur.fetchall()
            timings[name] = time.perf_counter() - started
    return timings


def main(tables: int) -> None:
    database = unique_name(f"bench_{tables}")
    started = time.perf_counter()
    run_client(generate_ddl(database, tables))
    print(f"loaded {tables} tables in {time.perf_counter() - started:.1f} s")
    try:
        dsn = dsn_for(database)
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            model = mysql.introspect(parse_dsn(dsn), limits=LIMITS)
            runs.append(time.perf_counter() - started)
        print(
            f"introspect: median {statistics.median(runs):.3f} s over 5 runs "
            f"({len(model.tables)} tables, {model.column_count} columns, "
            f"{sum(len(t.foreign_keys) for t in model.tables)} foreign keys, "
            f"{sum(len(t.indexes) for t in model.tables)} indexes)"
        )
        for name, seconds in time_queries(dsn).items():
            print(f"  {name:<24} {seconds:.3f} s")
    finally:
        drop_database(database)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
