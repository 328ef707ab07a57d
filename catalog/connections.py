"""Service functions for connections that are not snapshots: the safety probe, deletion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from catalog import introspection
from catalog.crypto import UndecryptableSecret
from catalog.introspection.errors import IntrospectionError
from catalog.models import Column, Connection, DocRevision, SchemaDocument, Table
from catalog.snapshots import target_limits


def probe_connection(connection: Connection) -> dict[str, Any]:
    """Reach the target read-only and remember what its role could write.

    Returns {"error": message} or {"probe": Probe}; messages never hold the password.
    """
    try:
        probe = introspection.probe(connection.get_dsn(), limits=target_limits())
    except (IntrospectionError, UndecryptableSecret) as exc:
        return {"error": str(exc)}
    Connection.objects.filter(pk=connection.pk).update(
        write_privileges=list(probe.write_privileges),
        read_only_sql=probe.read_only_sql,
        server_version=probe.server_version,
        probed_at=timezone.now(),
    )
    connection.refresh_from_db()
    return {"probe": probe}


@dataclass(frozen=True)
class Footprint:
    """What SchemaJoy holds about one connection: what deleting it removes."""

    snapshots: int
    tables: int
    columns: int
    descriptions: int
    doc_revisions: int
    diagrams: int


def connection_footprint(connection: Connection) -> Footprint:
    tables = Table.objects.filter(connection=connection)
    columns = Column.objects.filter(table__connection=connection)
    return Footprint(
        snapshots=connection.snapshots.count(),
        tables=tables.count(),
        columns=columns.count(),
        descriptions=tables.exclude(description="").count()
        + columns.exclude(description="").count(),
        doc_revisions=DocRevision.objects.filter(table__connection=connection).count(),
        diagrams=connection.diagrams.count(),
    )


def delete_connection(connection: Connection) -> None:
    """Delete a connection, its credentials and all its history in SchemaJoy.

    The target database is never contacted. Schema documents no other snapshot shares go too.
    """
    with transaction.atomic():
        fingerprints = set(
            connection.snapshots.exclude(document=None).values_list("document_id", flat=True)
        )
        connection.delete()
        SchemaDocument.objects.filter(pk__in=fingerprints, snapshots__isnull=True).delete()


def erase_credentials(connection: Connection) -> None:
    """Disable a connection and forget its connection string; its history stays readable."""
    Connection.objects.filter(pk=connection.pk).update(
        dsn_encrypted="",
        dsn_redacted="",
        enabled=False,
        next_snapshot_at=None,
        updated_at=timezone.now(),
    )
    connection.refresh_from_db()
