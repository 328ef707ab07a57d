"""snapshot_connection through a real Celery worker process on the local Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from catalog.models import Connection, Snapshot
from catalog.snapshots import claim_snapshot_lock, release_snapshot_lock
from catalog.tasks import snapshot_connection
from schemajoy_site.celery import app as celery_app
from tests.fixtures.worker import new_queue, queue_length, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db) -> Iterator[str]:
    """A `celery worker` subprocess using the test database, on a queue of its own."""
    queue = new_queue()
    process = start_worker(queue)
    celery_app.conf.task_always_eager = False  # the broker is Redis already: tests/conftest.py
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = True
        stop_worker(process)


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    dsn = sqlite_target(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));"
    )
    return make_connection(dsn)


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
    wait_for(lambda: not queue_length(worker))
    time.sleep(1.5)
    assert not Snapshot.objects.filter(connection=shop).exists()

    release_snapshot_lock(shop)
    snapshot_connection.apply_async((shop.pk,), queue=worker)
    wait_for(lambda: Snapshot.objects.filter(connection=shop, status="succeeded").exists())


def test_concurrent_snapshots_of_one_connection_never_overlap(worker, shop):
    for _ in range(4):
        snapshot_connection.apply_async((shop.pk,), queue=worker)
    wait_for(lambda: not queue_length(worker))
    time.sleep(2.0)
    snapshots = list(Snapshot.objects.filter(connection=shop).order_by("started_at"))
    assert snapshots and all(s.succeeded for s in snapshots)
    for earlier, later in zip(snapshots, snapshots[1:], strict=False):
        assert earlier.finished_at <= later.started_at
