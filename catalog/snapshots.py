"""take_snapshot(): the ORM edge of introspection.

Introspect, serialise canonically, fingerprint, store the document once per
distinct content, and sync the live catalog in one transaction with bulk
writes. A failure is recorded on the snapshot; the last good data stays.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog import changes, introspection, sampling
from catalog.bulk import insert_rows, update_objects
from catalog.crypto import UndecryptableSecret
from catalog.diff import Change
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import Column as ModelColumn
from catalog.introspection.model import SchemaModel, fingerprint, row_estimates, to_document
from catalog.introspection.model import Table as ModelTable
from catalog.models import Column, Connection, SchemaDocument, Snapshot, Table

log = logging.getLogger(__name__)

# A lock older than this belongs to a worker that died mid-snapshot.
STALE_LOCK = timedelta(hours=1)


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
    )


def claim_snapshot_lock(connection: Connection) -> bool:
    """Atomically take the connection's snapshot lock; False when someone holds it."""
    now = timezone.now()
    claimed = (
        Connection.objects.filter(pk=connection.pk)
        .filter(Q(snapshot_lock_at__isnull=True) | Q(snapshot_lock_at__lt=now - STALE_LOCK))
        .update(snapshot_lock_at=now, last_status=Connection.Status.RUNNING)
    )
    return claimed == 1


def release_snapshot_lock(connection: Connection) -> None:
    Connection.objects.filter(pk=connection.pk).update(snapshot_lock_at=None)


def take_snapshot(connection: Connection, *, trigger: str = "manual") -> Snapshot:
    """Snapshot one connection. Raises SnapshotAlreadyRunning; never raises for target errors."""
    if not claim_snapshot_lock(connection):
        raise SnapshotAlreadyRunning(connection)
    snapshot = Snapshot.objects.create(
        connection=connection, trigger=trigger, started_at=timezone.now()
    )
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
        release_snapshot_lock(connection)
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
        Snapshot.objects.filter(connection=connection, status=Snapshot.Status.SUCCEEDED)
        .exclude(pk=snapshot.pk)
        .order_by("-started_at", "-pk")
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
        Snapshot.objects.filter(connection=connection, status=Snapshot.Status.SUCCEEDED)
        .exclude(pk=snapshot.pk)
        .order_by("-started_at", "-pk")
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


def _structure(table: ModelTable) -> dict:
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


def _table_values(mt: ModelTable) -> dict[str, object]:
    return {
        "kind": mt.kind,
        "ident": mt.ident or "",
        "comment": mt.comment or "",
        "row_estimate": mt.row_estimate,
        "column_count": len(mt.columns),
        "structure": _normalise(_structure(mt)),
    }


def _column_values(position: int, mc: ModelColumn) -> tuple[object, ...]:
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
        # Same structure: only observations move (and no structure JSON to parse).
        existing = {
            (t.schema, t.name): t for t in tables.only("pk", "schema", "name", "row_estimate")
        }
        moved = []
        for mt in model.tables:
            row = existing.get(mt.key)
            if row is not None and row.row_estimate != mt.row_estimate:
                row.row_estimate = mt.row_estimate
                moved.append(row)
        update_objects(moved, ["row_estimate"])
        return

    existing = {(t.schema, t.name): t for t in tables}
    wanted = {t.key: t for t in model.tables}
    by_ident = {
        t.ident: t
        for key, t in existing.items()
        if t.ident and t.dropped_in_id is None and key not in wanted
    }
    to_create: list[tuple[ModelTable, dict[str, object]]] = []
    to_update: list[Table] = []
    pairs: list[tuple[Table, ModelTable]] = []
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
    pairs: list[tuple[Table, ModelTable]],
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
            col = current.get(mc.name)
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
