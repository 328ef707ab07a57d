"""SchemaJoy's own database briefly unreachable, for real: a TCP proxy in front of PostgreSQL is
cut under gunicorn (a clear 503, then pages come back) and under a snapshot mid-write (nothing
half-written is kept; the orphan is failed and the next snapshot succeeds)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from django.conf import settings

from catalog.models import SchemaDocument, Snapshot, Table
from catalog.snapshots import WORKER_STOPPED, release_stale_locks, take_snapshot
from tests.fixtures.tcp import Proxy, free_port
from tests.fixtures.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE = "SchemaJoy cannot reach its own database right now"


def _database_url(port: int) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{port}/{db['NAME']}"


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    proxy = Proxy(int(settings.DATABASES["default"]["PORT"] or 5432))
    yield proxy
    proxy.close()


@dataclass
class Answer:
    status: int
    text: str
    headers: dict[str, str]


def _get(url: str, session: str) -> Answer:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return Answer(response.status, response.read().decode(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(), dict(error.headers))


def _env(proxy: Proxy) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": _database_url(proxy.port), "DEBUG": "false"}
    env.pop("REDIS_URL", None)  # tasks in-process: only SchemaJoy's database matters here
    return env


def test_pages_answer_a_clear_503_while_the_database_is_cut_then_come_back(
    proxy: Proxy, member_client
) -> None:
    member_client.get("/")  # a session in the database
    session = member_client.cookies["sessionid"].value
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
        + ["schemajoy_site.wsgi"],
        env=_env(proxy),
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return _get(f"{base}/", session).status == 200
            except OSError:
                return False

        wait_for(up, timeout=30)

        proxy.cut()
        for path in ("/", "/accounts/login/", "/scores/"):
            response = _get(base + path, session)
            assert response.status == 503, path
            assert UNAVAILABLE in response.text
            assert response.headers["Retry-After"] == "30"
            assert "Traceback" not in response.text

        proxy.restore()
        wait_for(up, timeout=30)  # the workers reconnect by themselves
    finally:
        server.terminate()
        server.wait(timeout=20)


SHOP = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id));
"""


def test_a_snapshot_cut_off_mid_write_keeps_nothing_half_written(
    proxy: Proxy, pg_target, settings, make_connection
) -> None:
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    admin_dsn = _database_url(int(settings.DATABASES["default"]["PORT"] or 5432)).replace(
        "postgres://", "postgresql://"
    )
    holder = psycopg.connect(admin_dsn)
    holder.execute("LOCK TABLE catalog_table IN SHARE MODE")  # the live catalog write waits
    command = subprocess.Popen(
        [sys.executable, "manage.py", "snapshot", "shop"],
        env=_env(proxy),
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:

            def writing() -> bool:
                row = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ~ %s",
                    ('^(INSERT INTO|COPY) "catalog_table"',),
                ).fetchone()
                return bool(row and row[0])

            wait_for(writing, timeout=60)
            proxy.cut()  # SchemaJoy's database goes away mid-transaction
            holder.rollback()
            assert command.wait(timeout=60) != 0
            wait_for(lambda: not writing(), timeout=30)
    finally:
        holder.close()
        if command.poll() is None:
            command.kill()

    # The transaction that held the document and the live catalog was rolled back whole.
    snapshot = Snapshot.objects.get(connection=connection)
    assert snapshot.status == Snapshot.Status.RUNNING
    assert not SchemaDocument.objects.exists()
    assert not Table.objects.filter(connection=connection).exists()

    settings.SNAPSHOT_LOCK_STALE_SECONDS = 1
    time.sleep(1.5)
    assert release_stale_locks() == 1  # the beat tick
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error_message) == (Snapshot.Status.FAILED, WORKER_STOPPED)

    again = take_snapshot(connection)
    assert again.succeeded and again.table_count == 2
    assert Table.objects.filter(connection=connection).count() == 2
