"""SchemaJoy only reads targets, proven from PostgreSQL's own statement log (issue 13).

The role SchemaJoy is given CAN write (it owns nothing, but holds every privilege on the
tables and may create in the schema); the server logs every statement of that role
(ALTER ROLE ... SET log_statement = 'all'), and the log shows only reads.
"""

from __future__ import annotations

import re

import pytest
from psycopg import sql

from catalog.connections import probe_connection
from catalog.models import Snapshot
from catalog.snapshots import take_snapshot
from tests.fixtures.postgres_targets import PgTarget, admin_execute

pytestmark = pytest.mark.django_db

# What a read may begin with: queries, session settings, transaction control.
READ_KEYWORDS = {"SELECT", "WITH", "SHOW", "SET", "RESET", "BEGIN", "START", "COMMIT", "ROLLBACK"}


def server_log() -> str:
    """The file the server writes its log to (the collector's, or Debian's stderr file)."""
    current = admin_execute("SELECT pg_current_logfile()")[0][0]
    if current:
        data_dir = admin_execute("SHOW data_directory")[0][0]
        return current if current.startswith("/") else f"{data_dir}/{current}"
    version = admin_execute("SHOW server_version_num")[0][0][:2]
    candidates = [
        f"/var/log/postgresql/{name}"
        for (name,) in admin_execute("SELECT pg_ls_dir('/var/log/postgresql')")
        if name.startswith(f"postgresql-{version}-") and name.endswith(".log")
    ]
    if len(candidates) != 1:
        pytest.fail(f"Cannot find the server's log file (found {candidates}).")
    return candidates[0]


def log_size(path: str) -> int:
    return admin_execute("SELECT size FROM pg_stat_file(%s)", (path,))[0][0]


def read_log(path: str, start: int) -> str:
    end = log_size(path)
    return admin_execute("SELECT pg_read_file(%s, %s, %s)", (path, start, end - start))[0][0]


def statements_of(log: str, role: str, database: str) -> list[str]:
    """The statements the log records for role@database (continuation lines joined)."""
    found: list[str] = []
    mine = False
    for line in log.splitlines():
        entry = re.match(r"^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\] (\S+)@(\S+) (\w+):\s+(.*)$", line)
        if entry:
            mine = (entry[1], entry[2]) == (role, database)
            body = re.match(r"(?:statement|execute [^:]*): (.*)$", entry[4])
            if mine and entry[3] == "LOG" and body:
                found.append(body[1])
            elif entry[3] != "LOG":
                mine = False
        elif mine and found and line.startswith("\t"):
            found[-1] += "\n" + line.strip()
    return found


def first_keyword(statement: str) -> str:
    text = re.sub(r"/\*.*?\*/|--[^\n]*", " ", statement, flags=re.DOTALL)
    return text.strip().lstrip("(").split(None, 1)[0].upper().rstrip(";")


def test_snapshot_sampling_and_test_connection_only_read(
    pg_target: PgTarget, settings, make_connection
):
    pg_target.execute(
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text, created_at timestamptz);"
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers,"
        " status text, amount numeric);"
        "INSERT INTO customers SELECT g, 'c' || g || '@example.org', now() FROM"
        " generate_series(1, 50) g;"
        "INSERT INTO orders SELECT g, g % 50 + 1, 'paid', g FROM generate_series(1, 200) g;"
    )
    writer = pg_target.create_role("writer", password="writer-pw")
    pg_target.execute(
        sql.SQL(
            "GRANT ALL ON ALL TABLES IN SCHEMA public TO {r}; GRANT CREATE ON SCHEMA public TO {r};"
        ).format(r=sql.Identifier(writer))
    )
    admin_execute(sql.SQL("ALTER ROLE {} SET log_statement = 'all'").format(sql.Identifier(writer)))
    connection = make_connection(
        pg_target.dsn_as(writer, password="writer-pw"), name="writable", sampling_enabled=True
    )
    log = server_log()
    start = log_size(log)

    result = probe_connection(connection)
    snapshot = take_snapshot(connection)

    assert "probe" in result and result["probe"].can_write  # the role could have written
    assert snapshot.status == Snapshot.Status.SUCCEEDED, snapshot.error_message
    assert snapshot.observations.get("columns"), "sampling ran"
    statements = statements_of(read_log(log, start), writer, pg_target.database)
    keywords = {first_keyword(s) for s in statements}
    assert "SELECT" in keywords and len(statements) >= 10, statements
    writes = [s for s in statements if first_keyword(s) not in READ_KEYWORDS]
    assert not writes, writes
    assert pg_target.execute("SELECT count(*), sum(amount) FROM orders") == [(200, 20100)]
