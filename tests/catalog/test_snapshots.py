"""take_snapshot() against real PostgreSQL targets, storing into SchemaJoy's PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from django.utils import timezone

from catalog.models import Column, Connection, SchemaDocument, Snapshot, Table
from catalog.snapshots import (
    WORKER_STOPPED,
    SnapshotAlreadyRunning,
    claim_snapshot_lock,
    release_stale_locks,
    take_snapshot,
)

pytestmark = pytest.mark.django_db

SHOP = """
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers(id),
    shipped_at date
);
COMMENT ON TABLE orders IS 'One row per checkout';
"""


def test_first_snapshot_stores_the_schema_and_fills_the_live_catalog(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)

    snapshot = take_snapshot(connection)

    assert snapshot.status == Snapshot.Status.SUCCEEDED, snapshot.error_message
    assert (snapshot.table_count, snapshot.column_count, snapshot.changed) == (2, 5, True)
    assert SchemaDocument.objects.filter(pk=snapshot.fingerprint).exists()
    orders = Table.objects.get(connection=connection, schema="public", name="orders")
    assert orders.comment == "One row per checkout"
    assert orders.structure["foreign_keys"][0]["ref_table"] == "customers"
    assert [c.name for c in orders.columns.all()] == ["id", "customer_id", "shipped_at"]
    connection.refresh_from_db()
    assert connection.last_status == Connection.Status.OK
    assert connection.snapshot_lock_at is None


def test_unchanged_schema_stores_no_second_document(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    first = take_snapshot(connection)
    pg_target.execute("INSERT INTO customers (email) VALUES ('a@example.com')")  # data, not schema

    second = take_snapshot(connection)

    assert second.succeeded and not second.changed
    assert second.fingerprint == first.fingerprint
    assert SchemaDocument.objects.count() == 1
    assert Snapshot.objects.filter(connection=connection).count() == 2
    orders = Table.objects.get(name="orders")
    assert (orders.first_seen_id, orders.last_seen_id) == (first.pk, None)  # still present


def test_a_schema_dropped_and_recreated_identically_is_unchanged_and_follows_new_oids(
    pg_target, make_connection
):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    first = take_snapshot(connection)
    old_ident = Table.objects.get(connection=connection, name="orders").ident
    pg_target.execute("DROP TABLE orders; DROP TABLE customers;" + SHOP)  # new oids

    second = take_snapshot(connection)

    assert second.succeeded and not second.changed
    assert second.fingerprint == first.fingerprint
    assert SchemaDocument.objects.count() == 1  # the first snapshot's document, idents and all
    orders = Table.objects.get(connection=connection, name="orders")
    assert orders.ident and orders.ident != old_ident  # the fresh oid, for rename-following
    # A rename after the re-creation is still followed by its identity.
    Table.objects.filter(pk=orders.pk).update(description="Checkouts")
    pg_target.execute("ALTER TABLE orders RENAME TO purchases")
    third = take_snapshot(connection)
    assert third.changed
    assert Table.objects.get(connection=connection, name="purchases").description == "Checkouts"


def test_dropped_table_keeps_its_description_and_is_marked_dropped(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    last_with_it = take_snapshot(connection)
    Table.objects.filter(name="orders").update(description="Checkouts, one row each")
    Column.objects.filter(table__name="orders", name="shipped_at").update(
        description="When it left"
    )
    pg_target.execute("DROP TABLE orders")

    dropped_in = take_snapshot(connection)

    orders = Table.objects.get(name="orders")
    assert (orders.dropped_in_id, orders.last_seen_id) == (dropped_in.pk, last_with_it.pk)
    assert orders.description == "Checkouts, one row each"
    assert Column.objects.get(table=orders, name="shipped_at").description == "When it left"

    pg_target.execute(
        SHOP.split(";", 1)[1].replace("CREATE TABLE customers", "--")
    )  # re-create orders
    take_snapshot(connection)
    orders.refresh_from_db()
    assert (orders.dropped_in_id, orders.last_seen_id) == (None, None)
    assert orders.description == "Checkouts, one row each"
    assert Column.objects.get(table=orders, name="shipped_at").description == "When it left"


def test_renamed_table_and_column_keep_their_descriptions(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    take_snapshot(connection)
    Table.objects.filter(name="orders").update(description="Checkouts")
    Column.objects.filter(name="shipped_at").update(description="Left the warehouse")
    pg_target.execute(
        "ALTER TABLE orders RENAME TO purchases; "
        "ALTER TABLE purchases RENAME COLUMN shipped_at TO dispatched_at"
    )

    take_snapshot(connection)

    purchases = Table.objects.get(connection=connection, name="purchases")
    assert purchases.description == "Checkouts"
    assert not Table.objects.filter(connection=connection, name="orders").exists()
    column = Column.objects.get(table=purchases, name="dispatched_at")
    assert column.description == "Left the warehouse"
    assert column.dropped_in_id is None


def test_dropped_column_is_marked_not_deleted(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    take_snapshot(connection)
    pg_target.execute("ALTER TABLE orders DROP COLUMN shipped_at")

    snapshot = take_snapshot(connection)

    column = Column.objects.get(table__name="orders", name="shipped_at")
    assert column.dropped_in_id == snapshot.pk
    assert Table.objects.get(name="orders").column_count == 2


def test_unreachable_target_fails_clearly_and_keeps_the_last_good_data(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    good = take_snapshot(connection)
    connection.set_dsn("postgresql://app:s3cret-pw@127.0.0.1:1/shop")
    connection.save()

    failed = take_snapshot(connection)

    assert failed.status == Snapshot.Status.FAILED
    assert "127.0.0.1" in failed.error_message
    assert "s3cret-pw" not in failed.error_message
    assert failed.transient_error
    assert Table.objects.filter(connection=connection, dropped_in__isnull=True).count() == 2
    assert Table.objects.get(name="orders").first_seen_id == good.pk
    connection.refresh_from_db()
    assert connection.last_status == Connection.Status.FAILED
    assert connection.last_snapshot_at == good.finished_at


def test_missing_database_is_a_permanent_failure(make_connection):
    connection = make_connection("postgresql://postgres@127.0.0.1:5432/sjt_does_not_exist")
    snapshot = take_snapshot(connection)
    assert snapshot.status == Snapshot.Status.FAILED
    assert "sjt_does_not_exist" in snapshot.error_message
    assert not snapshot.transient_error


def test_a_second_snapshot_is_refused_while_one_runs(pg_target, make_connection):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    assert claim_snapshot_lock(connection)  # as a running snapshot would

    with pytest.raises(SnapshotAlreadyRunning, match="already running"):
        take_snapshot(connection)
    assert not Snapshot.objects.filter(connection=connection).exists()


def _orphan(connection: Connection, *, lock_age: timedelta | None) -> Snapshot:
    """What a worker killed mid-snapshot leaves: a running snapshot, its lock unrenewed."""
    lock_at = timezone.now() - lock_age if lock_age is not None else None
    Connection.objects.filter(pk=connection.pk).update(
        snapshot_lock_at=lock_at, last_status=Connection.Status.RUNNING
    )
    return Snapshot.objects.create(
        connection=connection, started_at=timezone.now() - timedelta(minutes=5), task_attempt="t:0"
    )


def test_a_stale_lock_is_taken_over_and_its_snapshot_marked_failed(
    pg_target, settings, make_connection
):
    settings.SNAPSHOT_LOCK_STALE_SECONDS = 90
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    orphan = _orphan(connection, lock_age=timedelta(seconds=91))

    snapshot = take_snapshot(connection)

    assert snapshot.succeeded
    orphan.refresh_from_db()
    assert (orphan.status, orphan.error_message) == (Snapshot.Status.FAILED, WORKER_STOPPED)
    assert orphan.finished_at is not None
    connection.refresh_from_db()
    assert connection.snapshot_lock_at is None


def test_a_lock_renewed_by_its_heartbeat_is_not_taken_over(pg_target, settings, make_connection):
    settings.SNAPSHOT_LOCK_STALE_SECONDS = 90
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    orphan = _orphan(connection, lock_age=timedelta(seconds=80))

    with pytest.raises(SnapshotAlreadyRunning):
        take_snapshot(connection)
    assert release_stale_locks() == 0
    orphan.refresh_from_db()
    assert orphan.status == Snapshot.Status.RUNNING


def test_the_heartbeat_renews_the_lock_and_the_release_is_by_token(make_connection):
    connection = make_connection("postgresql://postgres@127.0.0.1:5432/sjt_unused")
    lock = claim_snapshot_lock(connection)
    first = lock.token
    assert lock.renew() and lock.token > first
    Connection.objects.filter(pk=connection.pk).update(snapshot_lock_at=first)  # taken over
    assert not lock.renew()
    lock.release()  # not ours any more: left alone
    connection.refresh_from_db()
    assert connection.snapshot_lock_at == first


def test_beat_tick_frees_stale_locks_and_fails_what_they_left_running(settings, make_connection):
    settings.SNAPSHOT_LOCK_STALE_SECONDS = 90
    stale = make_connection("postgresql://postgres@127.0.0.1:5432/a", name="stale")
    live = make_connection("postgresql://postgres@127.0.0.1:5432/b", name="live")
    unlocked = make_connection("postgresql://postgres@127.0.0.1:5432/c", name="old")
    orphans = [
        _orphan(stale, lock_age=timedelta(minutes=2)),
        _orphan(unlocked, lock_age=None),
    ]
    running = _orphan(live, lock_age=timedelta(seconds=10))

    assert release_stale_locks() == 2

    for orphan in orphans:
        orphan.refresh_from_db()
        assert orphan.error_message == WORKER_STOPPED
    running.refresh_from_db()
    assert running.status == Snapshot.Status.RUNNING
    stale.refresh_from_db()
    assert (stale.snapshot_lock_at, stale.last_status) == (None, Connection.Status.FAILED)


def test_a_redelivered_attempt_that_finished_returns_its_snapshot_without_running_again(
    pg_target, make_connection
):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    first = take_snapshot(connection, attempt="task-1:0")

    again = take_snapshot(connection, attempt="task-1:0")

    assert again.pk == first.pk
    assert Snapshot.objects.filter(connection=connection).count() == 1
    assert take_snapshot(connection, attempt="task-1:1").pk != first.pk  # a retry runs


def test_target_killed_mid_snapshot_records_the_failure_and_keeps_the_last_good_data(
    pg_target, settings, make_connection
):
    pg_target.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    good = take_snapshot(connection)
    settings.TARGET_LOCK_TIMEOUT = 30
    # The catalog read waits on this lock, so SchemaJoy's session is there to be killed.
    holder = psycopg.connect(pg_target.dsn)
    holder.execute("LOCK TABLE pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE")
    killed: list[int] = []

    def kill_schemajoy_session() -> None:
        for _ in range(200):
            rows = pg_target.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'schemajoy' "
                "AND wait_event_type = 'Lock'"
            )
            if rows:
                killed.append(len(rows))
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_schemajoy_session)
    killer.start()
    try:
        failed = take_snapshot(connection)
    finally:
        killer.join()
        holder.close()

    assert killed == [1]
    assert failed.status == Snapshot.Status.FAILED and failed.transient_error
    assert "was lost" in failed.error_message
    assert Snapshot.objects.filter(connection=connection, status="succeeded").get() == good
    assert Table.objects.filter(connection=connection, dropped_in__isnull=True).count() == 2
    connection.refresh_from_db()
    assert connection.last_snapshot_at == good.finished_at
    assert connection.snapshot_lock_at is None
