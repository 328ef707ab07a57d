"""Downstream impact from a dbt manifest: which dbt sources read a table, and the models
built from them.

``read_lineage`` turns a manifest.json into a small lineage document (per table: its dbt
sources, and every model downstream of them through ``child_map``); ``downstream_of``
answers for one table. Both are pure. A connection keeps the document of its last
uploaded manifest (``DbtLineage``), so a breaking change, a release check or an
announcement can name who reads what changed.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from catalog.models import Connection, DbtLineage

EMPTY: dict[str, Any] = {"tables": {}}


class LineageError(ValueError):
    """Not a dbt manifest with lineage; the message says what is wrong."""


def read_lineage(text: str | bytes, *, name: str = "manifest.json") -> dict[str, Any]:
    """{"generated_at", "tables": {"schema.table": {"sources": [...], "models": [...]}}}."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LineageError(f"{name}: not valid JSON ({exc}).") from None
    except (RecursionError, ValueError):
        # json's own limits: nesting too deep for the parser, or an absurdly long integer.
        raise LineageError(f"{name}: refused (nested too deep or a number too long).") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise LineageError(f"{name}: not a dbt manifest (no 'sources' mapping).")
    nodes = data.get("nodes", {})
    child_map = data.get("child_map", {})
    if not isinstance(nodes, dict) or not isinstance(child_map, dict):
        raise LineageError(f"{name}: 'nodes' and 'child_map' should be mappings.")
    tables: dict[str, dict[str, set[str]]] = {}
    for unique_id, source in data["sources"].items():
        if not isinstance(source, dict):
            raise LineageError(f"{name}: source {unique_id} should be a mapping.")
        schema = source.get("schema")
        table = source.get("identifier") or source.get("name")
        if not isinstance(schema, str) or not isinstance(table, str) or not schema or not table:
            raise LineageError(f"{name}: source {unique_id} has no schema or table name.")
        entry = tables.setdefault(f"{schema}.{table}", {"sources": set(), "models": set()})
        entry["sources"].add(_source_label(unique_id, source))
        entry["models"].update(_models_downstream(unique_id, child_map, nodes))
    generated_at = (data.get("metadata") or {}).get("generated_at")
    return {
        "generated_at": generated_at if isinstance(generated_at, str) else None,
        "tables": {
            key: {"sources": sorted(entry["sources"]), "models": sorted(entry["models"])}
            for key, entry in sorted(tables.items())
        },
    }


def _source_label(unique_id: str, source: dict[str, Any]) -> str:
    # How dbt code names it: source('shop', 'order_facts').
    source_name, table_name = source.get("source_name"), source.get("name")
    if isinstance(source_name, str) and isinstance(table_name, str):
        return f"{source_name}.{table_name}"
    return unique_id.removeprefix("source.")


def _models_downstream(start: str, child_map: dict[str, Any], nodes: dict[str, Any]) -> set[str]:
    """Models reached from ``start`` through child_map (cycles and repeats visited once)."""
    found: set[str] = set()
    seen = {start}
    queue = deque([start])
    while queue:
        children = child_map.get(queue.popleft()) or ()
        if not isinstance(children, list):
            continue
        for child in children:
            if not isinstance(child, str) or child in seen:
                continue
            seen.add(child)
            # Tests hang off everything and lead nowhere a reader cares about.
            if child.startswith("test."):
                continue
            if child.startswith("model."):
                node = nodes.get(child)
                name = node.get("name") if isinstance(node, dict) else None
                found.add(name if isinstance(name, str) and name else child.rsplit(".", 1)[-1])
            queue.append(child)
    return found


def downstream_of(lineage: dict[str, Any], table: str) -> tuple[list[str], list[str]]:
    """(dbt sources reading ``schema.table``, models downstream of them); empty if none."""
    tables = lineage.get("tables") or {}
    entry = tables.get(table)
    if entry is None:
        # dbt projects often spell names in another case than the database.
        folded = table.lower()
        entry = next((e for key, e in tables.items() if key.lower() == folded), None)
    if entry is None:
        return [], []
    return list(entry["sources"]), list(entry["models"])


def downstream_of_change(
    lineage: dict[str, Any], *, kind: str, table: str, before: str | None
) -> tuple[list[str], list[str]]:
    """Who reads the table a change touches; for a renamed table, dbt still names the old one."""
    sources, models = downstream_of(lineage, table)
    if not sources and kind == "table_renamed" and before:
        sources, models = downstream_of(lineage, before)
    return sources, models


def annotate_downstream(connection_ids: Iterable[int], changes: Sequence[Any]) -> None:
    """Set ``downstream_sources`` and ``downstream_models`` on each breaking change row
    (SchemaChange): one query however many changes, so listing pages stay constant."""
    breaking = [c for c in changes if c.breaking]
    if not breaking:
        return
    documents = dict(
        DbtLineage.objects.filter(connection_id__in=set(connection_ids)).values_list(
            "connection_id", "document"
        )
    )
    for change in breaking:
        change.downstream_sources, change.downstream_models = downstream_of_change(
            documents.get(change.connection_id) or EMPTY,
            kind=change.kind,
            table=change.table,
            before=change.before,
        )


def table_of(obj: str) -> str:
    """The schema.table an object (schema.table or schema.table.column) belongs to."""
    return ".".join(obj.split(".")[:2])


# Storage --------------------------------------------------------------------


def store_lineage(
    connection: Connection,
    lineage: dict[str, Any],
    *,
    file_name: str,
    user: User | None = None,
) -> DbtLineage:
    """Keep a connection's lineage (one per connection: a new manifest replaces the last)."""
    stored, _ = DbtLineage.objects.update_or_create(
        connection=connection,
        defaults={
            "document": lineage,
            "file_name": file_name[:255],
            "imported_at": timezone.now(),
            "imported_by": user if user is not None and user.is_authenticated else None,
        },
    )
    return stored


def connection_lineage(connection: Connection | int) -> dict[str, Any]:
    connection_id = connection if isinstance(connection, int) else connection.pk
    document = (
        DbtLineage.objects.filter(connection_id=connection_id)
        .values_list("document", flat=True)
        .first()
    )
    return document or EMPTY
