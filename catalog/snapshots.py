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

from catalog import introspection
from catalog.crypto import UndecryptableSecret
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
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
        _store(connection, snapshot, model, duration=time.perf_counter() - started)
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
    connection: Connection, snapshot: Snapshot, model: SchemaModel, *, duration: float
) -> None:
    document = to_document(model)
    digest = fingerprint(document)
    previous = (
        Snapshot.objects.filter(connection=connection, status=Snapshot.Status.SUCCEEDED)
        .exclude(pk=snapshot.pk)
        .order_by("-started_at", "-pk")
        .values_list("fingerprint", flat=True)
        .first()
    )
    changed = previous != digest
    with transaction.atomic():
        if not SchemaDocument.objects.filter(pk=digest).exists():
            SchemaDocument.objects.create(fingerprint=digest, document=document)
        sync_live_catalog(connection, snapshot, model, changed=changed)
        now = timezone.now()
        snapshot.status = Snapshot.Status.SUCCEEDED
        snapshot.finished_at = now
        snapshot.duration = duration
        snapshot.document_id = digest
        snapshot.fingerprint = digest
        snapshot.changed = changed
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


def sync_live_catalog(
    connection: Connection, snapshot: Snapshot, model: SchemaModel, *, changed: bool = True
) -> None:
    """Make the live Table/Column rows match the model. Dropped rows are marked, never deleted.

    A table or column missing by name but present under another name with the same
    stable identity (PostgreSQL oid/attnum) was renamed: its row, and its
    documentation, follow the new name.
    """
    live = Table.objects.filter(connection=connection, dropped_in__isnull=True)
    if not changed:
        # Same structure: only the observations and the "last seen" marks move.
        estimates = row_estimates(model)
        live.update(last_seen=snapshot)
        Column.objects.filter(table__connection=connection, dropped_in__isnull=True).update(
            last_seen=snapshot
        )
        changed_rows = [
            t
            for t in Table.objects.filter(connection=connection, dropped_in__isnull=True).only(
                "id", "schema", "name", "row_estimate"
            )
            if t.row_estimate != estimates.get(t.qualified_name)
        ]
        for t in changed_rows:
            t.row_estimate = estimates.get(t.qualified_name)
        Table.objects.bulk_update(changed_rows, ["row_estimate"], batch_size=1000)
        return

    existing = {(t.schema, t.name): t for t in Table.objects.filter(connection=connection)}
    wanted = {t.key: t for t in model.tables}
    by_ident = {
        t.ident: t
        for key, t in existing.items()
        if t.ident and t.dropped_in_id is None and key not in wanted
    }

    to_create: list[Table] = []
    to_update: list[Table] = []
    pairs: list[tuple[Table, ModelTable]] = []
    for key, mt in wanted.items():
        values = {
            "kind": mt.kind,
            "ident": mt.ident or "",
            "comment": mt.comment or "",
            "row_estimate": mt.row_estimate,
            "column_count": len(mt.columns),
            "structure": _normalise(_structure(mt)),
        }
        row = existing.get(key)
        if row is None and mt.ident and mt.ident in by_ident:
            row = by_ident.pop(mt.ident)  # renamed
            existing.pop((row.schema, row.name), None)
            row.schema, row.name = key
        if row is None:
            row = Table(
                connection=connection,
                schema=mt.schema,
                name=mt.name,
                first_seen=snapshot,
                last_seen=snapshot,
                **values,
            )
            to_create.append(row)
        else:
            for field, value in values.items():
                setattr(row, field, value)
            row.last_seen = snapshot
            row.dropped_in = None
            to_update.append(row)
        pairs.append((row, mt))

    gone = [t for key, t in existing.items() if key not in wanted and t.dropped_in_id is None]
    for t in gone:
        t.dropped_in = snapshot
    Table.objects.bulk_update(
        [*to_update, *gone],
        ["schema", "name", *TABLE_FIELDS, "last_seen", "dropped_in"],
        batch_size=500,
    )
    Table.objects.bulk_create(to_create, batch_size=1000)

    _sync_columns(connection, snapshot, pairs)


def _sync_columns(
    connection: Connection, snapshot: Snapshot, pairs: list[tuple[Table, ModelTable]]
) -> None:
    existing: dict[int, dict[str, Column]] = {}
    for col in Column.objects.filter(table__connection=connection):
        existing.setdefault(col.table_id, {})[col.name] = col

    to_create: list[Column] = []
    to_update: list[Column] = []
    for row, mt in pairs:
        current = existing.get(row.pk, {})
        wanted_names = {c.name for c in mt.columns}
        by_ident = {
            c.ident: c
            for name, c in current.items()
            if c.ident and c.dropped_in_id is None and name not in wanted_names
        }
        for position, mc in enumerate(mt.columns, start=1):
            values = {
                "position": position,
                "ident": mc.ident or "",
                "data_type": mc.data_type,
                "type_family": mc.type_family,
                "nullable": mc.nullable,
                "default": mc.default or "",
                "identity": mc.identity or "",
                "generated": mc.generated or "",
                "comment": mc.comment or "",
            }
            col = current.get(mc.name)
            renamed = False
            if col is None and mc.ident and mc.ident in by_ident:
                col = by_ident.pop(mc.ident)
                current.pop(col.name, None)
                col.name, renamed = mc.name, True
            if col is None:
                to_create.append(
                    Column(
                        table=row, name=mc.name, first_seen=snapshot, last_seen=snapshot, **values
                    )
                )
                continue
            dirty = (
                renamed
                or col.dropped_in_id is not None
                or any(getattr(col, f) != v for f, v in values.items())
            )
            for field, value in values.items():
                setattr(col, field, value)
            col.dropped_in = None
            if dirty:
                to_update.append(col)
        for name, col in current.items():
            if name not in wanted_names and col.dropped_in_id is None:
                col.dropped_in = snapshot
                to_update.append(col)

    Column.objects.bulk_update(to_update, ["name", *COLUMN_FIELDS, "dropped_in"], batch_size=1000)
    Column.objects.bulk_create(to_create, batch_size=2000)
    # Everything still present was seen now: one statement instead of a row each.
    Column.objects.filter(table__connection=connection, dropped_in__isnull=True).update(
        last_seen=snapshot
    )
