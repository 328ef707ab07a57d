"""The sampling phase on real PostgreSQL, MariaDB and SQLite targets, end to end into the rules.

Each dialect gets the same table: ints, booleans, dates and JSON kept as strings, zip codes
with leading zeros, free text, rows whose updated_at is before created_at, one row stamped
in the future, and deleted_at / is_deleted markers that disagree. The expected counts come
from the generator below, not from the code under test.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
import pymysql
import pytest

from catalog.introspection import introspect
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel
from catalog.models import Connection, Snapshot
from catalog.sampling import carry_counters, mysql, postgres, sample
from catalog.sampling import sqlite as sqlite_sampling
from catalog.sampling.plan import TYPED_FLAGS, TYPED_MOMENTS, plan_table
from catalog.snapshots import take_snapshot
from scoring.engine import score_schema
from scoring.observations import observations_from_json
from scoring.rules.base import RuleContext
from tests.fixtures import mysql_targets

ROWS = 300
NOW = datetime.now(UTC).replace(microsecond=0)
LIMITS = Limits(connect_timeout=10, statement_timeout=30, lock_timeout=5)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def generated_rows() -> list[dict[str, object]]:
    rows = []
    for i in range(1, ROWS + 1):
        created = NOW - timedelta(days=2, seconds=i)
        updated = NOW - timedelta(days=3 if i % 10 == 0 else 1)
        if i == 7:  # a clock gone wrong: created tomorrow
            created, updated = NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1)
        rows.append(
            {
                "id": i,
                "code": str(1000 + i),
                "zip": f"{(i * 337) % 99999:05d}",
                "active": "yes" if i % 2 else "no",
                "born_on": (date(2000, 1, 1) + timedelta(days=i)).isoformat(),
                "payload": json.dumps({"n": i, "tags": ["a", "b"]}),
                "label": f"item number {i}",
                "created_at": stamp(created),
                "updated_at": stamp(updated),
                "deleted_at": stamp(NOW - timedelta(hours=i)) if i % 6 == 0 else None,
                "is_deleted": i % 4 == 0,
            }
        )
    return rows


DATA = generated_rows()
UPDATED_BEFORE_CREATED = sum(r["updated_at"] < r["created_at"] for r in DATA)  # 30
IN_FUTURE = 1
DISAGREEMENTS = sum((r["deleted_at"] is not None) != r["is_deleted"] for r in DATA)  # 75
COLUMNS = list(DATA[0])


def literal(value: object, *, booleans: tuple[str, str]) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert_sql(table: str, rows: list[dict[str, object]], *, booleans: tuple[str, str]) -> str:
    names = list(rows[0])
    values = ",\n".join(
        "(" + ", ".join(literal(r[n], booleans=booleans) for n in names) + ")" for r in rows
    )
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES\n{values}"


PG_TABLE = """
CREATE TABLE samples (
    id integer PRIMARY KEY, code varchar(20), zip varchar(5), active text, born_on varchar(10),
    payload text, label text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    deleted_at timestamptz, is_deleted boolean NOT NULL
)
"""
MYSQL_TABLE = """
CREATE TABLE samples (
    id integer PRIMARY KEY, code varchar(20), zip varchar(5), active varchar(3),
    born_on varchar(10), payload text, label text, created_at datetime NOT NULL,
    updated_at datetime NOT NULL, deleted_at datetime NULL, is_deleted tinyint(1) NOT NULL
)
"""
SQLITE_TABLE = """
CREATE TABLE samples (
    id integer PRIMARY KEY, code varchar(20), zip varchar(5), active text, born_on varchar(10),
    payload text, label text, created_at datetime NOT NULL, updated_at datetime NOT NULL,
    deleted_at datetime, is_deleted boolean NOT NULL, paid_at date, shipped_at date
)
"""

SAMPLING_RULES = ("type-string-encodes-", "ts-updated-before-created", "sd-", "ts-date-typed")


def sampling_findings(model, observations: dict) -> dict[tuple[str, str], str]:
    """(rule, object) -> severity of the sampling-related findings of a full scoring run."""
    context = RuleContext(observations=observations_from_json(observations))
    card = score_schema(model, context)
    return {
        (f.rule, f.object): str(f.severity)
        for f in card.findings
        if f.rule.startswith(SAMPLING_RULES)
    }


def expected_findings(unit: str) -> dict[tuple[str, str], str]:
    return {
        ("type-string-encodes-int", f"{unit}.code"): "W",
        ("type-string-encodes-bool", f"{unit}.active"): "W",
        ("type-string-encodes-date", f"{unit}.born_on"): "W",
        ("type-string-encodes-json", f"{unit}.payload"): "W",
        ("ts-updated-before-created", unit): "W",
        ("sd-dual-markers", unit): "E",  # E: the sample found rows where the markers disagree
    }


def assert_profiles(observations: dict, unit: str, *, sampled: int = ROWS) -> None:
    columns = observations["columns"]
    code = columns[f"{unit}.code"]
    assert (code["sampled"], code["distinct"], code["parses"]["int"]) == (sampled, sampled, sampled)
    zip_code = columns[f"{unit}.zip"]
    assert zip_code["parses"]["int"] == sampled
    assert zip_code["leading_zero"] == sum(r["zip"].startswith("0") for r in DATA) > 0
    assert columns[f"{unit}.active"]["parses"] == {"bool": sampled}
    assert columns[f"{unit}.active"]["distinct"] == 2
    assert columns[f"{unit}.born_on"]["parses"] == {"date": sampled}
    assert columns[f"{unit}.payload"]["parses"] == {"json": sampled}
    assert not columns[f"{unit}.label"]["parses"]
    table = observations["tables"][unit]
    assert table["sampled_rows"] == sampled
    assert table["updated_before_created"] == UPDATED_BEFORE_CREATED == 30
    assert table["future_timestamps"] == IN_FUTURE
    assert table["marker_disagreements"] == DISAGREEMENTS == 75
    assert observations["partial"] is False
    assert not any(isinstance(v, str) and "item number" in v for v in _leaves(observations))


def _leaves(data: object):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _leaves(value)
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value)
    else:
        yield data


# PostgreSQL ------------------------------------------------------------------


def wait_for_counter(pg_target, table: str, counter: str, count: int) -> None:
    """Wait until another session's counts reach pg_stat_user_tables (flushed when it idles)."""
    deadline = time.monotonic() + 10
    query = f"SELECT {counter} FROM pg_stat_user_tables WHERE relname = %s"
    while pg_target.execute(query, (table,))[0][0] < count:
        assert time.monotonic() < deadline, "the statistics were never flushed"
        time.sleep(0.1)


def pg_samples(pg_target) -> None:
    pg_target.execute(PG_TABLE)
    pg_target.execute(insert_sql("samples", DATA, booleans=("true", "false")))
    pg_target.execute("ANALYZE samples")


def test_postgres_sample_finds_strings_encoding_types_and_bad_rows(pg_target):
    pg_samples(pg_target)
    model = introspect(pg_target.dsn)

    observations = sample(pg_target.dsn, model, limits=LIMITS, budget=30)

    assert_profiles(observations, "public.samples")
    assert observations["columns"]["public.samples.label"]["source"] == "stats"  # no sample needed
    assert observations["columns"]["public.samples.code"]["source"] == "sample"
    # Counters, pg_stats, then one sample for the one table: never a query per column.
    assert observations["counts"]["queries"] == 3
    assert sampling_findings(model, observations) == expected_findings("public.samples")


def test_postgres_without_statistics_samples_text_columns_of_tables_never_analyzed(pg_target):
    pg_target.execute(PG_TABLE)
    pg_target.execute(insert_sql("samples", DATA, booleans=("true", "false")))
    # Until the inserts reach the statistics, the table looks never filled and is skipped.
    wait_for_counter(pg_target, "samples", "n_tup_ins", ROWS)
    model = introspect(pg_target.dsn)
    assert model.table("public", "samples").row_estimate is None  # never analyzed

    observations = sample(pg_target.dsn, model, limits=LIMITS, budget=30)

    assert_profiles(observations, "public.samples")
    assert observations["counts"]["from_stats"] == 0


def test_postgres_sample_of_a_large_table_reads_a_few_pages(pg_target):
    pg_target.execute(
        "CREATE TABLE big (id bigint PRIMARY KEY, code text, note text, "
        "created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)"
    )
    pg_target.execute(
        "INSERT INTO big SELECT g, g::text, 'note ' || g, now(), now() "
        "FROM generate_series(1, 300000) g"
    )
    pg_target.execute("ANALYZE big")
    model = introspect(pg_target.dsn)
    big = model.table("public", "big")
    assert big.row_estimate == 300000

    observations = sample(pg_target.dsn, model, limits=LIMITS, budget=30)

    assert observations["tables"]["public.big"]["sampled_rows"] == 1000
    assert observations["columns"]["public.big.code"]["parses"]["int"] == 1000
    assert observations["columns"]["public.big.note"]["source"] == "stats"
    assert observations["counts"]["queries"] == 3

    # The very statement the sampler runs for this table (code is its only candidate).
    plan = plan_table(
        big,
        [big.column("code")],
        moment_families=TYPED_MOMENTS,
        flag_families=TYPED_FLAGS,
    )
    with psycopg.connect(pg_target.dsn) as conn:
        statement = postgres.sample_statement(plan, 1000).as_string(conn)
    assert "TABLESAMPLE SYSTEM (0.6667)" in statement
    [[explained]] = pg_target.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}")
    limit = explained[0]["Plan"]
    scan = limit["Plans"][0]
    [[pages]] = pg_target.execute("SELECT relpages FROM pg_class WHERE relname = 'big'")
    touched = scan["Shared Hit Blocks"] + scan["Shared Read Blocks"]
    assert (limit["Node Type"], scan["Node Type"]) == ("Limit", "Sample Scan")
    assert scan["Actual Rows"] <= 1000
    assert touched < pages / 20, (touched, pages)  # under 5% of the table's pages


def test_postgres_statement_timeout_costs_one_table_not_the_run(pg_target):
    pg_samples(pg_target)
    pg_target.execute(PG_TABLE.replace("samples", "others"))
    pg_target.execute(insert_sql("others", DATA, booleans=("true", "false")))
    pg_target.execute("ANALYZE others")
    model = introspect(pg_target.dsn)
    limits = Limits(connect_timeout=10, statement_timeout=0.5, lock_timeout=30)

    with psycopg.connect(pg_target.dsn) as locker:
        locker.execute("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE")  # held until rollback
        started = time.monotonic()
        observations = sample(pg_target.dsn, model, limits=limits, budget=30)
        elapsed = time.monotonic() - started
        locker.rollback()

    assert elapsed < 5
    assert observations["skipped"] == {"statement timeout": 1}
    assert observations["partial"] is False
    assert "public.samples" not in observations["tables"] or (
        "sampled_rows" not in observations["tables"]["public.samples"]
    )
    assert_profiles(observations, "public.others")


def test_postgres_budget_ends_the_run_with_a_partial_result(pg_target):
    pg_samples(pg_target)
    model = introspect(pg_target.dsn)
    limits = Limits(connect_timeout=10, statement_timeout=60, lock_timeout=60)

    with psycopg.connect(pg_target.dsn) as locker:
        locker.execute("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        observations = sample(pg_target.dsn, model, limits=limits, budget=1.0)
        elapsed = time.monotonic() - started
        locker.rollback()

    assert elapsed < 3  # the query waiting on the lock was cancelled when the budget ran out
    assert observations["partial"] is True
    assert observations["reason"].startswith("budget of 1 s reached after ")
    assert "public.samples.code" not in observations["columns"]
    assert observations["columns"]["public.samples.label"]["source"] == "stats"  # kept


def test_no_budget_means_nothing_read_and_says_so(pg_target):
    pg_samples(pg_target)
    model = introspect(pg_target.dsn)

    observations = sample(pg_target.dsn, model, limits=LIMITS, budget=0)

    assert observations["partial"] is True
    assert observations["reason"] == "budget of 0 s reached after 0 columns"
    assert observations["columns"] == {} and observations["counts"]["queries"] == 0


def test_an_unreachable_target_gives_a_partial_result_not_an_error():
    model = SchemaModel(dialect="postgresql", database="nowhere")
    observations = sample(
        "postgresql://postgres@127.0.0.1:1/nowhere",
        model,
        limits=Limits(connect_timeout=2),
        budget=5,
    )
    assert observations["partial"] is True
    assert "could not reach a postgresql server" in observations["reason"].lower()


# Delete counters and the snapshot hook ------------------------------------------


@pytest.mark.django_db
def test_hard_deletes_between_snapshots_raise_the_delete_counter(pg_target, make_connection):
    pg_target.execute(
        "CREATE TABLE accounts (id integer PRIMARY KEY, email text, deleted_at timestamptz)"
    )
    pg_target.execute("INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 10) g")
    connection = make_connection(pg_target.dsn, name="sampled")
    first = take_snapshot(connection)
    assert first.status == Snapshot.Status.SUCCEEDED, first.error_message
    assert first.observations["tables"]["public.accounts"]["deletes_now"] == 0

    with psycopg.connect(pg_target.dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM accounts WHERE id <= 3")
        conn.execute("SELECT pg_stat_force_next_flush()")  # PostgreSQL 15: flush when idle
    wait_for_counter(pg_target, "accounts", "n_tup_del", 3)
    second = take_snapshot(connection)

    counters = second.observations["tables"]["public.accounts"]
    assert (counters["deletes_before"], counters["deletes_now"]) == (0, 3)
    model = introspect(pg_target.dsn)
    assert (
        sampling_findings(model, second.observations)[
            ("sd-hard-delete-observed", "public.accounts")
        ]
        == "W"
    )
    assert ("sd-hard-delete-observed", "public.accounts") not in sampling_findings(
        model, first.observations
    )


def test_reset_statistics_or_a_recreated_table_leave_deletes_before_unknown():
    previous = {
        "stats_reset": None,
        "tables": {
            "public.a": {"deletes_now": 5, "relid": 10},
            "public.b": {"deletes_now": 1, "relid": 11},
        },
    }
    result = {
        "stats_reset": None,
        "tables": {
            "public.a": {"deletes_now": 7, "relid": 10},
            "public.b": {"deletes_now": 0, "relid": 12},
        },
    }
    carry_counters(result, previous)
    assert result["tables"]["public.a"]["deletes_before"] == 5
    assert "deletes_before" not in result["tables"]["public.b"]  # another relation now

    reset = {
        "stats_reset": "2025-01-01 00:00:00+00",
        "tables": {"public.a": {"deletes_now": 9, "relid": 10}},
    }
    carry_counters(reset, previous)
    assert "deletes_before" not in reset["tables"]["public.a"]


@pytest.mark.django_db
def test_a_snapshot_stores_the_observations_apart_from_the_fingerprint(pg_target, make_connection):
    pg_samples(pg_target)
    sampled = make_connection(pg_target.dsn, name="sampled")
    unsampled = make_connection(pg_target.dsn, name="unsampled", sampling_enabled=False)

    with_sampling = take_snapshot(sampled)
    without = take_snapshot(unsampled)

    assert with_sampling.status == without.status == Snapshot.Status.SUCCEEDED
    assert with_sampling.fingerprint == without.fingerprint
    assert without.observations == {}
    stored = Snapshot.objects.get(pk=with_sampling.pk).observations
    assert_profiles(stored, "public.samples")


@pytest.mark.django_db
def test_a_spent_budget_never_fails_the_snapshot(pg_target, settings, make_connection):
    settings.SAMPLING_BUDGET_SECONDS = 0
    pg_samples(pg_target)
    connection = make_connection(pg_target.dsn, name="sampled")

    snapshot = take_snapshot(connection)

    assert snapshot.status == Snapshot.Status.SUCCEEDED, snapshot.error_message
    stored = Snapshot.objects.get(pk=snapshot.pk).observations
    assert stored["partial"] is True
    assert stored["reason"] == "budget of 0 s reached after 0 columns"
    connection.refresh_from_db()
    assert connection.last_status == Connection.Status.OK


# MariaDB ----------------------------------------------------------------------


def mysql_samples(mysql_target) -> None:
    mysql_target.execute(MYSQL_TABLE)
    mysql_target.execute(insert_sql("samples", DATA, booleans=("1", "0")))


def test_mariadb_sample_finds_strings_encoding_types_and_bad_rows(mysql_target):
    mysql_samples(mysql_target)
    model = introspect(mysql_target.dsn)
    unit = f"{mysql_target.database}.samples"

    observations = sample(mysql_target.dsn, model, limits=LIMITS, budget=30)

    assert_profiles(observations, unit)
    assert observations["counts"]["queries"] == 2  # the key's ends, then the sample
    assert sampling_findings(model, observations) == expected_findings(unit)


def test_mariadb_samples_by_primary_key_ranges(mysql_target):
    mysql_target.execute(
        "CREATE TABLE big (id integer PRIMARY KEY, code varchar(20), note varchar(40))"
    )
    mysql_target.execute(
        "INSERT INTO big SELECT seq, seq, CONCAT('note ', seq) FROM seq_1_to_20000"
    )
    model = introspect(mysql_target.dsn)
    big = model.table(mysql_target.database, "big")

    observations = sample(mysql_target.dsn, model, limits=LIMITS, budget=30)

    assert 0 < observations["tables"][f"{mysql_target.database}.big"]["sampled_rows"] <= 1000
    plan = plan_table(big, [big.column("code"), big.column("note")])
    statement = mysql.sample_statement(
        plan, 1000, key=mysql.range_key(big), starts=[17, 5000, 9000, 15000]
    )
    assert "RAND" not in statement.upper()
    conn = mysql_targets.admin_connect(mysql_target.database)
    try:
        with conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute("EXPLAIN " + statement)
            explained = [row for row in cur.fetchall() if row["table"] == "big"]
    finally:
        conn.close()
    assert len(explained) == 4
    assert {(row["type"], row["key"]) for row in explained} == {("range", "PRIMARY")}
    assert all(int(row["rows"]) < 20000 for row in explained)


def test_mariadb_lock_wait_costs_one_table_not_the_run(mysql_target):
    mysql_samples(mysql_target)
    mysql_target.execute(MYSQL_TABLE.replace("samples", "others"))
    mysql_target.execute(insert_sql("others", DATA, booleans=("1", "0")))
    model = introspect(mysql_target.dsn)
    limits = Limits(connect_timeout=10, statement_timeout=1, lock_timeout=30)
    locker = mysql_targets.admin_connect(mysql_target.database)
    try:
        with locker.cursor() as cur:
            cur.execute("LOCK TABLES samples WRITE")
            started = time.monotonic()
            observations = sample(mysql_target.dsn, model, limits=limits, budget=30)
            elapsed = time.monotonic() - started
            cur.execute("UNLOCK TABLES")
    finally:
        locker.close()

    assert elapsed < 10
    assert observations["skipped"] == {"statement timeout": 1}
    assert_profiles(observations, f"{mysql_target.database}.others")


# SQLite -----------------------------------------------------------------------


def test_sqlite_sample_finds_strings_encoding_types_and_bad_rows(sqlite_target):
    rows = [
        {
            **r,
            "paid_at": r["born_on"],  # date-only values in a date column named like a moment
            "shipped_at": r["created_at"],  # values with a time part: the declared date is wrong
        }
        for r in DATA
    ]
    insert = insert_sql("samples", rows, booleans=("1", "0"))
    dsn = sqlite_target(f"{SQLITE_TABLE};\n{insert};", name="app.db")
    model = introspect(dsn)

    observations = sample(dsn, model, limits=LIMITS, budget=30)

    assert_profiles(observations, "main.samples")
    assert observations["columns"]["main.samples.paid_at"]["date_only"] == ROWS
    assert observations["columns"]["main.samples.shipped_at"]["date_only"] == 0
    found = sampling_findings(model, observations)
    assert found == {
        **expected_findings("main.samples"),
        ("ts-date-typed", "main.samples.paid_at"): "E",  # confirmed by date-only values
    }


def test_sqlite_reads_typeof_so_integers_in_a_numeric_affinity_column_count(tmp_path):
    path = tmp_path / "typed.db"
    with sqlite3.connect(path) as conn:
        # "string" has NUMERIC affinity in SQLite: '123' is stored as the integer 123.
        conn.execute("CREATE TABLE t (id integer PRIMARY KEY, ref string, blobby text)")
        conn.executemany(
            "INSERT INTO t (ref, blobby) VALUES (?, ?)",
            [(str(i), b"\x00\xff" if i % 2 else str(i)) for i in range(100)],
        )
    conn.close()
    model = introspect(f"sqlite:///{path}")

    observations = sample(f"sqlite:///{path}", model, limits=LIMITS, budget=30)

    blobby = observations["columns"]["main.t.blobby"]
    assert (blobby["sampled"], blobby["parses"]["int"]) == (100, 50)  # blobs parse as nothing


def test_sqlite_samples_rowid_ranges_and_honours_the_budget(tmp_path):
    path = tmp_path / "big.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE big (id integer PRIMARY KEY, code text)")
        conn.executemany("INSERT INTO big (code) VALUES (?)", [(str(i),) for i in range(50000)])
        conn.execute("CREATE TABLE kv (k text PRIMARY KEY, v text) WITHOUT ROWID")
        conn.executemany("INSERT INTO kv VALUES (?, ?)", [(str(i), str(i)) for i in range(3000)])
    conn.close()
    dsn = f"sqlite:///{path}"
    model = introspect(dsn)

    observations = sample(dsn, model, limits=LIMITS, budget=30)
    spent = sample(dsn, model, limits=LIMITS, budget=0)

    assert 900 <= observations["tables"]["main.big"]["sampled_rows"] <= 1000
    assert observations["tables"]["main.kv"]["sampled_rows"] == 1000  # WITHOUT ROWID: LIMIT
    with sqlite3.connect(path) as conn:
        big = model.table("main", "big")
        statement = sqlite_module_statement(big)
        plan_rows = conn.execute("EXPLAIN QUERY PLAN " + statement).fetchall()
    conn.close()
    details = " ".join(row[-1] for row in plan_rows)
    assert "SEARCH big USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in details
    assert "SCAN big" not in details.replace("SCAN big USING", "")
    assert spent["partial"] is True and spent["columns"] == {}


def sqlite_module_statement(table) -> str:
    plan = plan_table(table, [table.column("code")])
    return sqlite_sampling.sample_statement(plan, 1000, rowid="rowid", starts=[10, 20000, 30000])


def test_mariadb_samples_binary_string_columns_too(mysql_target):
    mysql_target.execute(
        "CREATE TABLE revision (rev_id integer PRIMARY KEY, rev_code varbinary(20) NOT NULL, "
        "rev_timestamp binary(14) NOT NULL, rev_text mediumblob)"
    )
    rows = ",\n".join(
        f"({i}, '{1000 + i}', '2026{(i % 12) + 1:02d}05081{i % 60:03d}', 'text {i}')"
        for i in range(1, ROWS + 1)
    )
    mysql_target.execute(f"INSERT INTO revision VALUES\n{rows}")
    model = introspect(mysql_target.dsn)
    unit = f"{mysql_target.database}.revision"

    observations = sample(mysql_target.dsn, model, limits=LIMITS, budget=30)

    assert observations["columns"][f"{unit}.rev_code"]["sampled"] == ROWS
    card = score_schema(model, RuleContext(observations=observations_from_json(observations)))
    found = {(f.rule, f.object) for f in card.findings}
    assert ("type-string-encodes-int", f"{unit}.rev_code") in found
    # A 14-digit moment is a moment in a string, not a number.
    assert ("ts-string-typed", f"{unit}.rev_timestamp") in found
    assert not [f for f in found if f[0].startswith("type-string-") and "rev_timestamp" in f[1]]
