"""A Celery worker SIGKILLed mid-scoring: the broker redelivers the task and the snapshot is
scored once, with no half-written findings."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from catalog.snapshots import take_snapshot
from schemajoy_site.celery import app as celery_app
from scoring.models import Finding, SnapshotScore
from scoring.runs import score_snapshot
from scoring.tasks import score_snapshot_task
from tests.fixtures.worker import new_queue, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

VISIBILITY = 8


def _schemajoy_dsn() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _scoring_waits_on_the_lock(admin: psycopg.Connection) -> bool:
    row = admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query ~ %s",
        ('^(INSERT INTO|UPDATE) "scoring_snapshotscore"',),
    ).fetchone()
    return bool(row and row[0])


def test_a_worker_killed_mid_scoring_is_redelivered_and_scores_once(
    tmp_path: Path, make_connection, sqlite_target
):
    dsn = sqlite_target(
        "CREATE TABLE customers (email TEXT, created DATE);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customerId TEXT);"
    )
    connection = make_connection(dsn)
    snapshot = take_snapshot(connection)
    assert snapshot.succeeded

    # Hold scoring mid-write: its findings are written, its score rows wait on this lock.
    admin = psycopg.connect(_schemajoy_dsn(), autocommit=True)
    holder = psycopg.connect(_schemajoy_dsn())
    holder.execute("LOCK TABLE scoring_snapshotscore IN SHARE MODE")
    queue = new_queue()
    log = tmp_path / "worker.log"
    env = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY)}
    first = start_worker(queue, log=log, **env)
    second = None
    celery_app.conf.task_always_eager = False
    try:
        score_snapshot_task.apply_async((snapshot.pk,), queue=queue)
        wait_for(lambda: _scoring_waits_on_the_lock(admin), timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait()
        holder.rollback()  # the dead worker's transaction ends with it: nothing half-written
        wait_for(lambda: not _scoring_waits_on_the_lock(admin), timeout=30)
        assert not SnapshotScore.objects.filter(snapshot=snapshot).exists()
        assert not Finding.objects.filter(connection=connection).exists()

        second = start_worker(queue, log=log, **env)
        wait_for(lambda: SnapshotScore.objects.filter(snapshot=snapshot).exists(), VISIBILITY + 30)
        time.sleep(VISIBILITY + 3)  # any second redelivery would show by now
    finally:
        celery_app.conf.task_always_eager = True
        for process in (first, second):
            if process is not None:
                stop_worker(process)
        holder.close()
        admin.close()

    score = SnapshotScore.objects.get(snapshot=snapshot)
    findings = Finding.objects.filter(connection=connection).count()
    assert findings > 0
    # Scoring again in-process changes nothing: the redelivered run left no duplicates.
    assert score_snapshot(snapshot).total == score.total
    assert Finding.objects.filter(connection=connection).count() == findings
    assert SnapshotScore.objects.filter(connection=connection).count() == 1
