"""A Celery worker SIGKILLed mid-snapshot: the lock comes back within the reclaim time, the
orphaned snapshot is marked failed, and the broker's redelivery takes the snapshot once."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from catalog.models import Connection, Snapshot
from catalog.snapshots import WORKER_STOPPED
from catalog.tasks import snapshot_connection
from schemajoy_site.celery import app as celery_app
from scoring.models import SnapshotScore
from tests.fixtures.postgres_targets import PgTarget
from tests.fixtures.tcp import Proxy
from tests.fixtures.worker import child_pids, new_queue, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

HEARTBEAT, STALE, VISIBILITY = 1, 4, 20
# Short lock and broker timings, and a connect timeout long enough to hold the snapshot open.
TIMINGS = {
    "SNAPSHOT_HEARTBEAT_SECONDS": str(HEARTBEAT),
    "SNAPSHOT_LOCK_STALE_SECONDS": str(STALE),
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
    "TARGET_CONNECT_TIMEOUT": "120",
    "SCHEMAJOY_BEAT_SECONDS": "1",
}


def test_a_worker_killed_mid_snapshot_frees_the_lock_and_the_snapshot_is_taken_once(
    pg_target: PgTarget, tmp_path: Path, make_connection
) -> None:
    pg_target.execute("CREATE TABLE customers (id bigint PRIMARY KEY, email text)")
    proxy = Proxy(5432)
    proxy.stall()  # the target accepts the connection and answers nothing: a slow snapshot
    connection = make_connection(
        pg_target.dsn.replace(":5432/", f":{proxy.port}/"),
        # Not due: the beat tick below only looks after locks.
        next_snapshot_at=timezone.now() + timedelta(days=1),
    )
    queue = new_queue()
    log = tmp_path / "worker.log"
    first = start_worker(queue, log=log, **TIMINGS)
    second = None
    celery_app.conf.task_always_eager = False
    try:
        snapshot_connection.apply_async((connection.pk, "manual"), queue=queue)
        wait_for(lambda: Snapshot.objects.filter(connection=connection, status="running").exists())
        held = Connection.objects.get(pk=connection.pk).snapshot_lock_at
        wait_for(lambda: Connection.objects.get(pk=connection.pk).snapshot_lock_at != held, 10)

        first.send_signal(signal.SIGKILL)  # the heartbeat renewed the lock; now it stops
        first.wait()
        killed = time.monotonic()
        proxy.restore()
        second = start_worker(
            queue, beat_schedule=str(tmp_path / "beat-schedule"), log=log, **TIMINGS
        )

        # The beat tick takes the lock back and fails the orphan, long before the broker
        # redelivers the task.
        wait_for(
            lambda: Snapshot.objects.filter(connection=connection, status="failed").exists(),
            timeout=VISIBILITY,
        )
        reclaimed = time.monotonic() - killed
        connection.refresh_from_db()
        assert connection.snapshot_lock_at is None
        orphan = Snapshot.objects.get(connection=connection, status="failed")
        assert orphan.error_message == WORKER_STOPPED
        assert reclaimed < VISIBILITY, reclaimed  # minutes in production, not an hour

        # The unacknowledged task comes back after the visibility timeout and is redone once.
        wait_for(
            lambda: Snapshot.objects.filter(connection=connection, status="succeeded").exists(),
            timeout=VISIBILITY + 30,
        )
        redone = Snapshot.objects.get(connection=connection, status="succeeded")
        assert redone.task_attempt == orphan.task_attempt != ""
        assert redone.table_count == 1
        wait_for(lambda: SnapshotScore.objects.filter(snapshot=redone).exists(), timeout=30)

        time.sleep(VISIBILITY + 3)  # long enough for any second redelivery to show
        assert Snapshot.objects.filter(connection=connection).count() == 2
        assert SnapshotScore.objects.filter(connection=connection).count() == 1
        connection.refresh_from_db()
        assert connection.snapshot_lock_at is None
        assert connection.last_status == Connection.Status.OK
    finally:
        celery_app.conf.task_always_eager = True
        for process in (first, second):
            if process is not None:
                stop_worker(process)
        proxy.close()


def test_a_pool_process_killed_mid_snapshot_is_requeued_at_once_and_taken_once(
    pg_target: PgTarget, tmp_path: Path, make_connection
) -> None:
    """Prefork: the worker outlives its killed child and requeues the task
    (reject_on_worker_lost); the new delivery waits for the dead run's lock to go stale."""
    pg_target.execute("CREATE TABLE customers (id bigint PRIMARY KEY, email text)")
    proxy = Proxy(5432)
    proxy.stall()
    connection = make_connection(
        pg_target.dsn.replace(":5432/", f":{proxy.port}/"),
        next_snapshot_at=timezone.now() + timedelta(days=1),
    )
    queue = new_queue()
    # A visibility timeout far away: only the requeue can bring the task back in time.
    timings = {**TIMINGS, "CELERY_VISIBILITY_TIMEOUT": "600"}
    worker = start_worker(queue, log=tmp_path / "worker.log", pool="prefork", **timings)
    celery_app.conf.task_always_eager = False
    try:
        snapshot_connection.apply_async((connection.pk, "manual"), queue=queue)
        wait_for(lambda: Snapshot.objects.filter(connection=connection, status="running").exists())
        for pid in child_pids(worker.pid):
            os.kill(pid, signal.SIGKILL)
        proxy.restore()

        wait_for(
            lambda: Snapshot.objects.filter(connection=connection, status="succeeded").exists(),
            timeout=STALE + 30,
        )
        orphan = Snapshot.objects.get(connection=connection, status="failed")
        redone = Snapshot.objects.get(connection=connection, status="succeeded")
        assert orphan.error_message == WORKER_STOPPED
        assert redone.task_attempt == orphan.task_attempt != ""
        time.sleep(3)
        assert Snapshot.objects.filter(connection=connection).count() == 2
    finally:
        celery_app.conf.task_always_eager = True
        stop_worker(worker)
        proxy.close()
