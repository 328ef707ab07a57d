"""snapshot_connection through a real Celery worker process on the local Redis."""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection as db_connection

from catalog.models import Connection, Snapshot
from catalog.snapshots import claim_snapshot_lock, release_snapshot_lock
from catalog.tasks import snapshot_connection
from schemajoy_site.celery import app as celery_app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS = os.environ.get("SCHEMAJOY_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker(transactional_db) -> Iterator[str]:
    """A `celery worker` subprocess using the test database, on a queue of its own."""
    queue = f"sjt-{secrets.token_hex(4)}"
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS,
        "SCHEMAJOY_QUEUE": queue,
        "SCHEMAJOY_SQLITE_ROOT": str(settings.SCHEMAJOY_SQLITE_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "schemajoy_site",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            "2",
            "--pool",
            "threads",
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False  # the broker is Redis already: tests/conftest.py
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = True
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db_connection.close()  # see the worker's commits
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.fixture
def shop(team, tmp_path) -> Connection:
    path = tmp_path / "shop.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));"
    )
    db.close()
    connection = Connection(name="shop", team=team)
    connection.set_dsn(f"sqlite:///{path}")
    connection.save()
    return connection


def test_worker_snapshots_a_connection(worker, shop):
    snapshot_connection.apply_async((shop.pk, "manual"), queue=worker)

    wait_for(lambda: Snapshot.objects.filter(connection=shop).exclude(status="running").exists())
    snapshot = Snapshot.objects.get(connection=shop)
    assert snapshot.succeeded, snapshot.error_message
    assert (snapshot.table_count, snapshot.trigger) == (2, "manual")


def test_worker_refuses_a_snapshot_while_another_holds_the_lock(worker, shop):
    assert claim_snapshot_lock(shop)  # a snapshot is running elsewhere
    snapshot_connection.apply_async((shop.pk,), queue=worker)
    # Once the worker has taken the message and had time to run it, nothing ran.
    wait_for(lambda: not _queue_length(worker))
    time.sleep(1.5)
    assert not Snapshot.objects.filter(connection=shop).exists()

    release_snapshot_lock(shop)
    snapshot_connection.apply_async((shop.pk,), queue=worker)
    wait_for(lambda: Snapshot.objects.filter(connection=shop, status="succeeded").exists())


def test_concurrent_snapshots_of_one_connection_never_overlap(worker, shop):
    for _ in range(4):
        snapshot_connection.apply_async((shop.pk,), queue=worker)
    wait_for(lambda: not _queue_length(worker))
    time.sleep(2.0)
    snapshots = list(Snapshot.objects.filter(connection=shop).order_by("started_at"))
    assert snapshots and all(s.succeeded for s in snapshots)
    for earlier, later in zip(snapshots, snapshots[1:], strict=False):
        assert earlier.finished_at <= later.started_at


def _queue_length(queue: str) -> int:
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.client.llen(queue)
