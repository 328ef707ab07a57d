"""Service functions for connections that are not snapshots: the safety probe."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from catalog import introspection
from catalog.crypto import UndecryptableSecret
from catalog.introspection.errors import IntrospectionError
from catalog.models import Connection
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
