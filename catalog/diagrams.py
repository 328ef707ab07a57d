"""ERDs of a connection's schema, cached in the Diagram table: the ORM edge of catalog.erd.

A diagram is identified by (schema fingerprint, connection, view): an unchanged schema
never renders twice. Small views render in the request; a whole database or schema
past ``COMPACT_TABLES`` tables renders in a worker (the caller passes ``enqueue``) while
the page polls the row's status. graphviz runs with ``settings.ERD_RENDER_TIMEOUT``; a
diagram that exceeds it is stored as failed, with a message offering the compact form.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog import erd
from catalog.erd import (
    COMPACT_TABLES,
    Area,
    RenderError,
    areas_to_graph,
    cache_key,
    render,
    schema_to_graph,
    subject_areas,
)
from catalog.introspection.model import SchemaModel, from_document
from catalog.models import Connection, Diagram, Snapshot, Table

log = logging.getLogger(__name__)

Key = tuple[str, str]
FORMATS = ("svg", "png", "dot")
SCOPES = ("auto", "database", "schema", "area", "overview", "table")
MAX_DEPTH = 3
# A failed render is retried after this long (the setting or the server may have changed).
FAILED_RETRY_AFTER = timedelta(minutes=10)
# A render still pending or running after this long belongs to a worker that died.
STALE_RENDER = timedelta(minutes=15)

CONTENT_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "dot": "text/vnd.graphviz; charset=utf-8",
}


class DiagramUnavailable(Exception):
    """Nothing to draw; ``message`` is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoSnapshot(DiagramUnavailable):
    pass


class UnknownView(DiagramUnavailable):
    """No such schema, subject area or table in the snapshot."""


@dataclass(frozen=True)
class View:
    """What to draw. ``auto`` is the whole database, or the subject-area map when big."""

    scope: str = "auto"
    schema: str = ""
    area: str = ""
    focus: Key | None = None
    depth: int = 1
    compact: bool | None = None  # None: compact when the drawing is big
    format: str = "svg"

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"Unknown diagram scope {self.scope!r}.")
        if self.format not in FORMATS:
            raise ValueError(f"Unknown diagram format {self.format!r}.")
        if not 1 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"Depth must be between 1 and {MAX_DEPTH}.")
        if (self.scope == "table") != (self.focus is not None):
            raise ValueError("A table view names its focus table, and only a table view does.")

    def params(self) -> dict[str, Any]:
        """The parameters that change the picture: part of the cache key, stored on the row."""
        params: dict[str, Any] = {"scope": self.scope, "format": self.format}
        if self.compact is not None:
            params["compact"] = self.compact
        if self.scope == "schema":
            params["schema"] = self.schema
        elif self.scope == "area":
            params["area"] = self.area
        elif self.scope == "table":
            params["focus"] = list(self.focus or ())
            params["depth"] = self.depth
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> View:
        focus = params.get("focus")
        return cls(
            scope=params.get("scope", "auto"),
            schema=params.get("schema", ""),
            area=params.get("area", ""),
            focus=(focus[0], focus[1]) if focus else None,
            depth=params.get("depth", 1),
            compact=params.get("compact"),
            format=params.get("format", "svg"),
        )

    def describe(self) -> str:
        """A heading: "whole database", "schema public", "area musicbrainz:l_artist_*"."""
        if self.scope == "schema":
            return f"schema {self.schema}"
        if self.scope == "area":
            return f"subject area {self.area}"
        if self.scope == "overview":
            return "subject areas"
        if self.scope == "table" and self.focus:
            return f"{self.focus[0]}.{self.focus[1]}, depth {self.depth}"
        return "whole database"


def latest_snapshot(connection: Connection) -> Snapshot | None:
    """The latest succeeded snapshot, without its document (a cache hit needs none)."""
    return (
        Snapshot.objects.filter(connection=connection)
        .succeeded()
        .only("pk", "connection_id", "fingerprint", "table_count", "started_at")
        .first()
    )


def model_with_row_estimates(snapshot: Snapshot) -> SchemaModel:
    """The snapshot's schema model with its row estimates (the diagram shows them), parsed
    from its stored document; scoring's model leaves the estimates out."""
    stored = (
        Snapshot.objects.select_related("document")
        .only("pk", "row_estimates", "document__document")
        .get(pk=snapshot.pk)
    )
    if stored.document is None:
        raise NoSnapshot("This snapshot holds no schema document.")
    return from_document(stored.document.document, row_estimates=stored.row_estimates)


def table_links(connection_id: int) -> tuple[dict[Key, str], frozenset[str]]:
    """Every table's page URL, and the qualified names of dropped tables: one query."""
    urls: dict[Key, str] = {}
    dropped: set[str] = set()
    for table in Table.objects.filter(connection_id=connection_id).only(
        "id", "connection_id", "schema", "name", "dropped_in_id"
    ):
        urls[(table.schema, table.name)] = table.get_absolute_url()
        if table.dropped_in_id is not None:
            dropped.add(table.qualified_name)
    return urls, frozenset(dropped)


def diagram_url(connection_id: int, **query: str) -> str:
    """The connection's diagram page, with a query such as ``area=...``."""
    base = reverse("catalog:connection_diagram", args=[connection_id])
    return f"{base}?{urlencode(query)}" if query else base


def resolve(view: View, snapshot: Snapshot) -> View:
    """``auto`` made concrete: the whole database, or the subject-area map past the threshold."""
    if view.scope != "auto":
        return view
    scope = "overview" if snapshot.table_count > COMPACT_TABLES else "database"
    return replace(view, scope=scope)


def find_area(model: SchemaModel, slug: str) -> Area:
    for area in subject_areas(model):
        if area.slug == slug:
            return area
    raise UnknownView(f"No subject area {slug!r} in this schema.")


def build_graph(
    model: SchemaModel,
    view: View,
    *,
    connection_id: int,
    urls: Mapping[Key, str],
    dropped: frozenset[str] = frozenset(),
) -> tuple[erd.Diagram, dict[str, Any]]:
    """The DOT graph of one view, and facts for the page (the overview's area list)."""

    def table_url(schema: str, name: str) -> str | None:
        return urls.get((schema, name))

    common: dict[str, Any] = {"table_url": table_url, "dropped": dropped, "compact": view.compact}
    if view.scope == "overview":
        areas = subject_areas(model)
        graph = areas_to_graph(
            model, areas, area_url=lambda area: diagram_url(connection_id, area=area.slug)
        )
        return graph, {"areas": [[a.slug, a.name, len(a.tables)] for a in areas]}
    if view.scope == "area":
        return schema_to_graph(model, tables=find_area(model, view.area).tables, **common), {}
    if view.scope == "schema":
        if view.schema not in model.schemas:
            raise UnknownView(f"No schema {view.schema!r} in this database.")
        return schema_to_graph(model, schemas=[view.schema], **common), {}
    if view.scope == "table":
        assert view.focus is not None  # View checks it
        if model.table(*view.focus) is None:
            raise UnknownView(f"No table {view.focus[0]}.{view.focus[1]} in this snapshot.")
        return schema_to_graph(model, focus=view.focus, depth=view.depth, **common), {}
    return schema_to_graph(model, **common), {}


def _source(connection: Connection, table: Table | None) -> tuple[Snapshot, list[str] | None]:
    """The snapshot to draw from; for a dropped table, the last one that held it.

    An older snapshot is drawn with today's dropped tables marked, so their names are
    part of the key; the latest snapshot holds no dropped table (they left it).
    """
    if table is not None and table.dropped_in_id is not None:
        snapshot = (
            Snapshot.objects.only("pk", "connection_id", "fingerprint", "table_count")
            .filter(pk=table.last_seen_id)  # type: ignore[misc]
            .first()
        )
        if snapshot is not None:
            names = Table.objects.filter(connection=connection, dropped_in__isnull=False)
            dropped = sorted(f"{s}.{n}" for s, n in names.values_list("schema", "name"))
            return snapshot, dropped
    snapshot = latest_snapshot(connection)
    if snapshot is None:
        raise NoSnapshot("No snapshot yet: take one to draw its diagram.")
    return snapshot, None


def key_for(
    connection: Connection, snapshot: Snapshot, view: View, dropped: list[str] | None
) -> str:
    extra = {"dropped": dropped} if dropped is not None else {}
    return cache_key(snapshot.fingerprint, connection=connection.pk, **view.params(), **extra)


def _expired(row: Diagram) -> bool:
    age = timezone.now() - row.updated_at
    if row.status == Diagram.Status.FAILED:
        return age > FAILED_RETRY_AFTER
    if row.status in (Diagram.Status.PENDING, Diagram.Status.RUNNING):
        limit = max(STALE_RENDER, timedelta(seconds=3 * settings.ERD_RENDER_TIMEOUT))
        return age > limit
    return False


def needs_worker(connection: Connection, snapshot: Snapshot, view: View) -> bool:
    """Whole databases and schemas past the compact threshold render in the background."""
    if view.format == "dot":
        return False  # DOT text is built, never laid out
    if view.scope == "database":
        return snapshot.table_count > COMPACT_TABLES
    if view.scope == "schema":
        tables = Table.objects.filter(
            connection=connection, schema=view.schema, dropped_in__isnull=True
        )
        return tables.count() > COMPACT_TABLES
    return False


def get_diagram(
    connection: Connection,
    view: View,
    *,
    table: Table | None = None,
    enqueue: Callable[[str], None] | None = None,
) -> Diagram:
    """The cached diagram of one view, rendering it (or queueing it) on a miss.

    With ``enqueue``, big views are stored pending and ``enqueue(cache_key)`` is called
    (the caller defers it to the commit); without it everything renders here.
    Raises NoSnapshot, or UnknownView for a schema, area or table the snapshot lacks.
    """
    snapshot, dropped = _source(connection, table)
    view = resolve(view, snapshot)
    key = key_for(connection, snapshot, view, dropped)
    row = Diagram.objects.filter(pk=key).first()
    if row is not None and not _expired(row):
        waiting = row.status in (Diagram.Status.PENDING, Diagram.Status.RUNNING)
        if not waiting or enqueue is not None:
            return row
    if enqueue is not None and needs_worker(connection, snapshot, view):
        return _queue(connection, snapshot, view, key, enqueue)
    model = model_with_row_estimates(snapshot)
    urls, live_dropped = table_links(connection.pk)
    return draw(
        key,
        model,
        view,
        connection=connection,
        fingerprint=snapshot.fingerprint,
        urls=urls,
        dropped=live_dropped,
    )


def _queue(
    connection: Connection,
    snapshot: Snapshot,
    view: View,
    key: str,
    enqueue: Callable[[str], None],
) -> Diagram:
    row, created = Diagram.objects.get_or_create(
        pk=key,
        defaults={
            "connection": connection,
            "fingerprint": snapshot.fingerprint,
            "params": view.params(),
            "format": view.format,
            "status": Diagram.Status.PENDING,
        },
    )
    if not created:
        # A failed or abandoned render, retried.
        Diagram.objects.filter(pk=key).update(
            status=Diagram.Status.PENDING, error="", content=b"", updated_at=timezone.now()
        )
    enqueue(key)
    # In-process Celery (embedded mode) has already drawn it.
    row.refresh_from_db()
    return row


def draw(
    key: str,
    model: SchemaModel,
    view: View,
    *,
    connection: Connection,
    fingerprint: str,
    urls: Mapping[Key, str],
    dropped: frozenset[str] = frozenset(),
) -> Diagram:
    """Build and render one view now, and store the result (ready or failed) under ``key``.

    Raises UnknownView before storing anything when the view names what the model lacks.
    """
    started = time.perf_counter()
    graph, facts = build_graph(model, view, connection_id=connection.pk, urls=urls, dropped=dropped)
    status, content, error = Diagram.Status.READY, b"", ""
    try:
        content = render(graph, format=view.format, timeout=settings.ERD_RENDER_TIMEOUT)
    except RenderError as exc:
        status, error = Diagram.Status.FAILED, exc.message
    seconds = time.perf_counter() - started
    log.info(
        "rendered diagram %s of %s (%s) in %.2f s: %s",
        key[:12],
        connection.name,
        view.describe(),
        seconds,
        status,
    )
    row, _ = Diagram.objects.update_or_create(
        pk=key,
        defaults={
            "connection": connection,
            "fingerprint": fingerprint,
            "params": {
                **view.params(),
                **facts,
                "drawn": {"tables": len(graph.tables), "compact": graph.compact},
            },
            "format": view.format,
            "status": status,
            "content": content,
            "error": error,
            "render_seconds": seconds,
        },
    )
    return row


def render_pending(key: str) -> bool:
    """Render a queued diagram (the task's body). False when another run claimed it."""
    claimed = Diagram.objects.filter(pk=key, status=Diagram.Status.PENDING).update(
        status=Diagram.Status.RUNNING, updated_at=timezone.now()
    )
    if claimed != 1:
        return False
    row = Diagram.objects.select_related("connection").defer("content").get(pk=key)
    snapshot = Snapshot.objects.filter(
        connection_id=row.connection_id, fingerprint=row.fingerprint
    ).latest_succeeded()
    if snapshot is None:
        Diagram.objects.filter(pk=key).update(
            status=Diagram.Status.FAILED,
            error="The snapshot this diagram was drawn from is gone.",
            updated_at=timezone.now(),
        )
        return True
    urls, dropped = table_links(row.connection_id)
    try:
        draw(
            key,
            model_with_row_estimates(snapshot),
            View.from_params(row.params),
            connection=row.connection,
            fingerprint=row.fingerprint,
            urls=urls,
            dropped=dropped,
        )
    except Exception as exc:
        # Never leave the page polling forever; details go to the log only.
        log.exception("diagram %s failed", key[:12])
        message = exc.message if isinstance(exc, UnknownView) else "Drawing failed (logged)."
        Diagram.objects.filter(pk=key).update(
            status=Diagram.Status.FAILED, error=message, updated_at=timezone.now()
        )
    return True


def file_name(connection: Connection, view: View) -> str:
    """``shop-erd.svg``, ``shop-public-erd.png``, ``shop-main.orders-erd.dot``."""
    parts = [connection.name]
    if view.scope == "schema":
        parts.append(view.schema)
    elif view.scope == "area":
        parts.append(view.area.replace(":", "-").replace("*", "all"))
    elif view.scope == "overview":
        parts.append("areas")
    elif view.scope == "table" and view.focus:
        parts.append(f"{view.focus[0]}.{view.focus[1]}")
    safe = "-".join(parts).replace("/", "_").replace("\\", "_")
    return f"{safe}-erd.{view.format}"
