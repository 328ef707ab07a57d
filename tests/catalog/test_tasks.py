"""The thin tasks, run in-process: due connections, retries of transient failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Connection, Snapshot
from catalog.tasks import claim_due_connections, snapshot_connection, snapshot_due_connections

pytestmark = pytest.mark.django_db


def test_beat_claims_only_enabled_connections_that_are_due(make_connection):
    now = timezone.now()
    never = make_connection(name="never")
    due = make_connection(name="due", next_snapshot_at=now - timedelta(minutes=1))
    make_connection(name="later", next_snapshot_at=now + timedelta(minutes=30))
    make_connection(name="paused", enabled=False)

    assert sorted(claim_due_connections()) == sorted([never.pk, due.pk])
    # Claimed: the next tick does not enqueue them again while they wait in the queue.
    assert claim_due_connections() == []
    due.refresh_from_db()
    assert due.next_snapshot_at > now


def test_beat_tick_snapshots_due_connections(make_connection, sqlite_target):
    dsn = sqlite_target("CREATE TABLE a (id INTEGER PRIMARY KEY)", name="a.db")
    connection = make_connection(dsn, name="a")

    assert snapshot_due_connections.delay().get() == [connection.pk]
    assert Snapshot.objects.get(connection=connection).succeeded


def test_transient_failures_are_retried_then_recorded(make_connection):
    connection = make_connection(name="down")
    connection.set_dsn("postgresql://u:p@127.0.0.1:1/db")
    connection.save()

    snapshot_connection.delay(connection.pk)

    attempts = Snapshot.objects.filter(connection=connection)
    assert attempts.count() == 1 + snapshot_connection.max_retries
    assert all(s.status == Snapshot.Status.FAILED and s.transient_error for s in attempts)
    connection.refresh_from_db()
    assert connection.last_status == Connection.Status.FAILED
    assert connection.snapshot_lock_at is None


def test_permanent_failures_are_not_retried(make_connection):
    connection = make_connection(name="missing")  # no such SQLite file
    snapshot_connection.delay(connection.pk)
    snapshot = Snapshot.objects.get(connection=connection)
    assert snapshot.status == Snapshot.Status.FAILED
    assert not snapshot.transient_error


def test_a_deleted_connection_is_skipped(db):
    assert snapshot_connection.delay(987654).get() is None
