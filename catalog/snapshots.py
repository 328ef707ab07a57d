"""take_snapshot(): the ORM edge of introspection.

Introspect, serialise canonically, fingerprint, store the document once per
distinct content, and sync the live catalog in one transaction with bulk
writes. A failure is recorded on the snapshot; the last good data stays.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog import changes, introspection, sampling
from catalog.bulk import insert_rows, update_objects
from catalog.crypto import UndecryptableSecret
from catalog.diff import Change
from catalog.introspection import model as m
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel, fingerprint, row_estimates, to_document
from catalog.models import Column, Connection, SchemaDocument, Snapshot, Table

log = logging.getLogger(__name__)

# Written on a snapshot whose worker died (SIGKILL, OOM, host lost), or lost SchemaJoy's own
# database, while it ran.
WORKER_STOPPED = (
    "The worker stopped (killed, restarted, or cut off from SchemaJoy's database) before "
    "this snapshot finished; nothing of it was kept, and it is taken again."
)


class SnapshotAlreadyRunning(Exception):
    def __init__(self, connection: Connection) -> None:
        super().__init__(
            f"A snapshot of {connection.name} is already running; try again when it ends."
        )


def target_limits() -> Limits:
    return Limits(
        connect_timeout=settings.TARGET_CONNECT_TIMEOUT,
        statement_timeout=settings.TARGET_STATEMENT_TIMEOUT,
        lock_timeout=settings.TARGET_LOCK_TIMEOUT,
        sqlite_root=str(settings.SCHEMAJOY_SQLITE_ROOT),
        allowed_hosts=tuple(settings.SCHEMAJOY_TARGET_HOSTS),
    )


# Lock -----------------------------------------------------------------------
#
# `Connection.snapshot_lock_at` is the lock: set while a snapshot runs and renewed by a
# heartbeat thread. A lock whose heartbeat stopped for SNAPSHOT_LOCK_STALE_SECONDS belongs
# to a dead worker: the next claim or the beat tick takes it back and fails its snapshot.


def _stale_cutoff() -> datetime:
    return timezone.now() - timedelta(seconds=settings.SNAPSHOT_LOCK_STALE_SECONDS)


class SnapshotLock:
    """A held lock. Its timestamp is also its token: renewals and the release compare it,
    so a lock reclaimed from a stalled holder is never renewed or released by that holder."""

    def __init__(self, connection_id: int, token: datetime) -> None:
        self.connection_id = connection_id
        self.token = token
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __bool__(self) -> bool:
        return True

    def renew(self) -> bool:
        """Move the lock's time on; False when it is no longer ours. Raises DatabaseError when
        the row is busy (NOWAIT: a heartbeat never queues behind a transaction)."""
        now = timezone.now()
        with transaction.atomic():
            ours = (
                Connection.objects.select_for_update(nowait=True)
                .filter(pk=self.connection_id, snapshot_lock_at=self.token)
                .exists()
            )
            if ours:
                Connection.objects.filter(pk=self.connection_id).update(snapshot_lock_at=now)
                self.token = now
        return ours

    def start_heartbeat(self) -> None:
        self._thread = threading.Thread(
            target=self._beat, name=f"snapshot-heartbeat-{self.connection_id}", daemon=True
        )
        self._thread.start()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.SNAPSHOT_HEARTBEAT_SECONDS):
                try:
                    if not self.renew():
                        log.warning(
                            "snapshot lock of connection %s was taken back", self.connection_id
                        )
                        return
                except DatabaseError:
                    # SchemaJoy's database blinked: the next beat tries again.
                    log.warning("snapshot heartbeat of connection %s failed", self.connection_id)
        finally:
            db_connection.close()  # this thread's own connection

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=settings.SNAPSHOT_HEARTBEAT_SECONDS + 5)
        Connection.objects.filter(pk=self.connection_id, snapshot_lock_at=self.token).update(
            snapshot_lock_at=None
        )


def claim_snapshot_lock(connection: Connection) -> SnapshotLock | None:
    """Atomically take the connection's snapshot lock; None when a live snapshot holds it.

    A stale lock is taken over, and the snapshot its dead holder left running is failed.
    """
    now = timezone.now()
    claimed = (
        Connection.objects.filter(pk=connection.pk)
        .filter(Q(snapshot_lock_at__isnull=True) | Q(snapshot_lock_at__lt=_stale_cutoff()))
        .update(snapshot_lock_at=now, last_status=Connection.Status.RUNNING)
    )
    if claimed != 1:
        return None
    # We hold the lock, so any snapshot still running here is an orphan.
    _fail_orphans(Snapshot.objects.filter(connection_id=connection.pk))
    return SnapshotLock(connection.pk, now)


def release_snapshot_lock(connection: Connection) -> None:
    Connection.objects.filter(pk=connection.pk).update(snapshot_lock_at=None)


def _fail_orphans(snapshots: QuerySet[Snapshot]) -> int:
    return snapshots.filter(status=Snapshot.Status.RUNNING).update(
        status=Snapshot.Status.FAILED,
        error_message=WORKER_STOPPED,
        transient_error=True,
        finished_at=timezone.now(),
    )


def release_stale_locks() -> int:
    """Beat: free the locks of dead snapshots and fail what they left running.

    Returns how many snapshots were marked failed."""
    failed = 0
    stale = Connection.objects.filter(snapshot_lock_at__lt=_stale_cutoff())
    for pk, held_at in stale.values_list("pk", "snapshot_lock_at"):
        with transaction.atomic():
            # The row lock makes a concurrent claim wait, so its new snapshot is never failed.
            if not (
                Connection.objects.select_for_update()
                .filter(pk=pk, snapshot_lock_at=held_at)
                .exists()
            ):
                continue  # renewed or released meanwhile
            failed += _fail_orphans(Snapshot.objects.filter(connection_id=pk))
            Connection.objects.filter(pk=pk).update(
                snapshot_lock_at=None,
                last_status=Connection.Status.FAILED,
                last_error=WORKER_STOPPED,
            )
    # Running with no lock at all: left by a worker that died before locks had heartbeats.
    failed += _fail_orphans(Snapshot.objects.filter(connection__snapshot_lock_at__isnull=True))
    return failed


def finished_attempt(attempt: str) -> Snapshot | None:
    """The snapshot a task delivery already finished (redelivered after it ended), if any."""
    if not attempt:
        return None
    return (
        Snapshot.objects.filter(task_attempt=attempt)
        .exclude(status=Snapshot.Status.RUNNING)
        .exclude(error_message=WORKER_STOPPED)
        .first()
    )


def _running_attempt(connection: Connection, attempt: str) -> bool:
    return Snapshot.objects.filter(
        connection=connection, task_attempt=attempt, status=Snapshot.Status.RUNNING
    ).exists()


def take_snapshot(
    connection: Connection, *, trigger: str = "manual", attempt: str = ""
) -> Snapshot:
    """Snapshot one connection. Raises SnapshotAlreadyRunning; never raises for target errors.

    ``attempt`` names the task delivery (task id and retry number). A delivery of an attempt
    that is still running (the broker redelivered it after its visibility timeout, or after
    the worker died) waits for that run's lock: released, the work is done and returned;
    stale, its worker died and the snapshot is taken again.
    """
    lock = claim_snapshot_lock(connection)
    while lock is None and attempt and _running_attempt(connection, attempt):
        time.sleep(settings.SNAPSHOT_HEARTBEAT_SECONDS)
        lock = claim_snapshot_lock(connection)
    done = finished_attempt(attempt)
    if done is not None:
        if lock is not None:
            lock.release()
        return done
    if lock is None:
        raise SnapshotAlreadyRunning(connection)
    snapshot = Snapshot.objects.create(
        connection=connection, trigger=trigger, started_at=timezone.now(), task_attempt=attempt
    )
    lock.start_heartbeat()
    started = time.perf_counter()
    try:
        model = introspection.introspect(connection.get_dsn(), limits=target_limits())
        _store(connection, snapshot, model, started=started)
        if connection.sampling_enabled:
            sample_values(connection, snapshot, model)
    except (IntrospectionError, UndecryptableSecret) as exc:
        _fail(
            connection,
            snapshot,
            str(exc),
            transient=getattr(exc, "transient", False),
            duration=time.perf_counter() - started,
        )
    except Exception:
        # An unexpected error is still recorded, without details that could hold secrets.
        log.exception("snapshot %s of connection %s failed", snapshot.pk, connection.pk)
        _fail(
            connection,
            snapshot,
            "SchemaJoy failed while reading this database (an internal "
            "error, logged for the administrators).",
            transient=False,
            duration=time.perf_counter() - started,
        )
    finally:
        lock.release()
        connection.refresh_from_db()
    return snapshot


def _fail(
    connection: Connection, snapshot: Snapshot, message: str, *, transient: bool, duration: float
) -> None:
    now = timezone.now()
    Snapshot.objects.filter(pk=snapshot.pk).update(
        status=Snapshot.Status.FAILED,
        error_message=message,
        transient_error=transient,
        finished_at=now,
        duration=duration,
    )
    snapshot.refresh_from_db()
    Connection.objects.filter(pk=connection.pk).update(
        last_status=Connection.Status.FAILED,
        last_error=message,
        next_snapshot_at=now + connection.schedule_interval,
    )


def _store(
    connection: Connection, snapshot: Snapshot, model: SchemaModel, *, started: float
) -> None:
    document = to_document(model)
    digest = fingerprint(document)
    previous = (
        Snapshot.objects.filter(connection=connection)
        .exclude(pk=snapshot.pk)
        .succeeded()
        .values_list("pk", "fingerprint")
        .first()
    )
    previous_id, previous_digest = previous or (None, None)
    # The first snapshot is the baseline: it records no changes.
    found: list[Change] = []
    if previous_digest != digest:
        try:
            found = changes.changes_since(previous_digest, document)
        except Exception:
            # The schema is stored whatever the history makes of it; the failure is logged.
            log.exception(
                "diff for snapshot %s of connection %s failed", snapshot.pk, connection.pk
            )
    with transaction.atomic():
        if not SchemaDocument.objects.filter(pk=digest).exists():
            SchemaDocument.objects.create(fingerprint=digest, document=document)
        sync_live_catalog(
            connection,
            snapshot,
            model,
            changed=previous_digest != digest,
            previous_id=previous_id,
            renames=changes.Renames.of(c for c in found if c.probable),
        )
        now = timezone.now()
        snapshot.status = Snapshot.Status.SUCCEEDED
        snapshot.finished_at = now
        snapshot.duration = time.perf_counter() - started
        snapshot.document_id = digest
        snapshot.fingerprint = digest
        snapshot.changed = previous_digest != digest
        snapshot.table_count = len(model.tables)
        snapshot.column_count = model.column_count
        snapshot.server_version = model.server_version or ""
        snapshot.row_estimates = row_estimates(model)
        snapshot.save()
        Connection.objects.filter(pk=connection.pk).update(
            last_status=Connection.Status.OK,
            last_error="",
            last_snapshot_at=now,
            next_snapshot_at=now + connection.schedule_interval,
            server_version=snapshot.server_version,
        )
        changes.record_changes(connection, snapshot, found, at=now)


def sample_values(connection: Connection, snapshot: Snapshot, model: SchemaModel) -> None:
    """The optional sampling phase, within SAMPLING_BUDGET_SECONDS; it never fails the snapshot.

    Its counts go to ``snapshot.observations`` (apart from the structure and the fingerprint);
    a blown budget or an unreachable target leaves ``"partial": true`` and a reason there.
    """
    previous = (
        Snapshot.objects.filter(connection=connection)
        .exclude(pk=snapshot.pk)
        .succeeded()
        .values_list("observations", flat=True)
        .first()
    )
    try:
        observations = sampling.sample(
            connection.get_dsn(),
            model,
            limits=target_limits(),
            budget=settings.SAMPLING_BUDGET_SECONDS,
            previous=previous,
            rows=settings.SAMPLING_ROWS,
        )
    except Exception:
        log.exception(
            "sampling for snapshot %s of connection %s failed", snapshot.pk, connection.pk
        )
        observations = {
            "partial": True,
            "reason": "sampling failed (an internal error, logged for the administrators)",
        }
    Snapshot.objects.filter(pk=snapshot.pk).update(observations=observations)
    snapshot.observations = observations


# Live catalog ---------------------------------------------------------------


def _structure(table: m.Table) -> dict:
    return {
        "primary_key": asdict(table.primary_key) if table.primary_key else None,
        "unique_constraints": [asdict(u) for u in table.unique_constraints],
        "foreign_keys": [asdict(fk) for fk in table.foreign_keys],
        "indexes": [asdict(i) for i in table.indexes],
        "checks": [asdict(c) for c in table.checks],
        "triggers": list(table.triggers),
        "partitions": list(table.partitions),
        "view_definition": table.view_definition,
    }


def _normalise(value: object) -> object:
    # JSON turns tuples into lists; compare like with like.
    if isinstance(value, tuple | list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


TABLE_FIELDS = ("kind", "ident", "comment", "row_estimate", "column_count", "structure")
COLUMN_FIELDS = (
    "position",
    "ident",
    "data_type",
    "type_family",
    "nullable",
    "default",
    "identity",
    "generated",
    "comment",
)


def _table_values(mt: m.Table) -> dict[str, object]:
    return {
        "kind": mt.kind,
        "ident": mt.ident or "",
        "comment": mt.comment or "",
        "row_estimate": mt.row_estimate,
        "column_count": len(mt.columns),
        "structure": _normalise(_structure(mt)),
    }


def _column_values(position: int, mc: m.Column) -> tuple[object, ...]:
    return (
        position,
        mc.ident or "",
        mc.data_type,
        mc.type_family,
        mc.nullable,
        mc.default or "",
        mc.identity or "",
        mc.generated or "",
        mc.comment or "",
    )


def _refresh_column_idents(tables: dict[int, m.Table]) -> None:
    """Column idents of re-created tables (attnums may differ after earlier drops)."""
    moved = []
    for column in Column.objects.filter(table_id__in=tables, dropped_in__isnull=True).only(
        "pk", "table_id", "name", "ident"
    ):
        mc = tables[column.table_id].column(column.name)
        if mc is not None and column.ident != (mc.ident or ""):
            column.ident = mc.ident or ""
            moved.append(column)
    update_objects(moved, ["ident"])


def sync_live_catalog(
    connection: Connection,
    snapshot: Snapshot,
    model: SchemaModel,
    *,
    changed: bool = True,
    previous_id: int | None = None,
    renames: changes.Renames = changes.NO_RENAMES,
) -> None:
    """Make the live Table/Column rows match the model, writing only what changed.

    Dropped rows are marked, never deleted: they keep their documentation, and come
    back to life if the object reappears. A table or column missing by name but present
    under another name with the same stable identity (PostgreSQL oid/attnum) was
    renamed: its row, and its documentation, follow the new name. So do the probable
    renames of dialects without identities (``renames``, from the diff).
    """
    tables = Table.objects.filter(connection=connection)
    if not changed:
        # Same structure: only observations move (and no structure JSON to parse), and the
        # idents of a schema dropped and re-created identically (new oids, same fingerprint):
        # renames are followed by the fresh model's idents, never the stored document's.
        existing = {
            (t.schema, t.name): t
            for t in tables.only("pk", "schema", "name", "row_estimate", "ident")
        }
        moved = []
        recreated: dict[int, m.Table] = {}
        for mt in model.tables:
            row = existing.get(mt.key)
            if row is None:
                continue
            if row.row_estimate != mt.row_estimate or row.ident != (mt.ident or ""):
                if row.ident != (mt.ident or ""):
                    recreated[row.pk] = mt
                row.row_estimate, row.ident = mt.row_estimate, mt.ident or ""
                moved.append(row)
        update_objects(moved, ["row_estimate", "ident"])
        if recreated:
            _refresh_column_idents(recreated)
        return

    existing = {(t.schema, t.name): t for t in tables}
    wanted = {t.key: t for t in model.tables}
    by_ident = {
        t.ident: t
        for key, t in existing.items()
        if t.ident and t.dropped_in_id is None and key not in wanted
    }
    to_create: list[tuple[m.Table, dict[str, object]]] = []
    to_update: list[Table] = []
    pairs: list[tuple[Table, m.Table]] = []
    for key, mt in wanted.items():
        values = _table_values(mt)
        row = existing.get(key)
        dirty = False
        if row is None and mt.ident and mt.ident in by_ident:
            row = by_ident.pop(mt.ident)  # renamed
            existing.pop((row.schema, row.name), None)
            row.schema, row.name = key
            dirty = True
        old_key = renames.tables.get(key)
        if row is None and old_key in existing and old_key not in wanted:
            row = existing.pop(old_key)  # a probable rename (MySQL, SQLite)
            row.schema, row.name = key
            dirty = True
        if row is None:
            to_create.append((mt, values))
            continue
        if row.dropped_in_id is not None:
            row.dropped_in = row.last_seen = None
            dirty = True
        for field, value in values.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
                dirty = True
        if dirty:
            to_update.append(row)
        pairs.append((row, mt))

    for key, row in existing.items():
        if key not in wanted and row.dropped_in_id is None:
            row.dropped_in, row.last_seen_id = snapshot, previous_id
            to_update.append(row)
    update_objects(to_update, ["schema", "name", *TABLE_FIELDS, "last_seen", "dropped_in"])
    insert_rows(
        Table,
        ["connection_id", "schema", "name", *TABLE_FIELDS, "first_seen_id"],
        (
            (connection.pk, mt.schema, mt.name, *values.values(), snapshot.pk)
            for mt, values in to_create
        ),
    )
    if to_create:
        created = Table.objects.filter(connection=connection, first_seen=snapshot).in_bulk(
            field_name="pk"
        )
        by_key = {(t.schema, t.name): t for t in created.values()}
        pairs.extend((by_key[mt.key], mt) for mt, _ in to_create)
    _sync_columns(connection, snapshot, pairs, previous_id=previous_id, renames=renames)


def _sync_columns(
    connection: Connection,
    snapshot: Snapshot,
    pairs: list[tuple[Table, m.Table]],
    *,
    previous_id: int | None,
    renames: changes.Renames = changes.NO_RENAMES,
) -> None:
    existing: dict[int, dict[str, Column]] = {}
    for col in Column.objects.filter(table__connection=connection):
        existing.setdefault(col.table_id, {})[col.name] = col

    to_create: list[tuple[object, ...]] = []
    to_update: list[Column] = []
    for row, mt in pairs:
        current = existing.get(row.pk, {})
        wanted_names = {c.name for c in mt.columns}
        by_ident = {
            c.ident: c
            for name, c in current.items()
            if c.ident and c.dropped_in_id is None and name not in wanted_names
        }
        guessed = renames.columns.get(mt.key, {})
        for position, mc in enumerate(mt.columns, start=1):
            values = _column_values(position, mc)
            col = current.get(mc.name)  # type: ignore[assignment]
            dirty = False
            if col is None and mc.ident and mc.ident in by_ident:
                col = by_ident.pop(mc.ident)  # renamed
                current.pop(col.name, None)
                col.name, dirty = mc.name, True
            old_name = guessed.get(mc.name)
            if col is None and old_name in current and old_name not in wanted_names:
                col = current.pop(old_name)  # a probable rename (MySQL, SQLite)
                col.name, dirty = mc.name, True
            if col is None:
                to_create.append((row.pk, mc.name, *values, snapshot.pk))
                continue
            if col.dropped_in_id is not None:
                col.dropped_in = col.last_seen = None
                dirty = True
            for field, value in zip(COLUMN_FIELDS, values, strict=True):
                if getattr(col, field) != value:
                    setattr(col, field, value)
                    dirty = True
            if dirty:
                to_update.append(col)
        for name, col in current.items():
            if name not in wanted_names and col.dropped_in_id is None:
                col.dropped_in, col.last_seen_id = snapshot, previous_id
                to_update.append(col)

    update_objects(to_update, ["name", *COLUMN_FIELDS, "last_seen", "dropped_in"])
    insert_rows(Column, ["table_id", "name", *COLUMN_FIELDS, "first_seen_id"], to_create)


def summary_line(snapshot: Snapshot) -> str:
    """One line: `pagila: 22 tables, 173 columns, 0.41 s, changed`."""
    name = snapshot.connection.name
    if not snapshot.succeeded:
        return f"{name}: failed after {snapshot.duration or 0:.2f} s: {snapshot.error_message}"
    state = "changed" if snapshot.changed else "unchanged"
    return (
        f"{name}: {snapshot.table_count} tables, {snapshot.column_count} columns, "
        f"{snapshot.duration:.2f} s, {state}"
    )
