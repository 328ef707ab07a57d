"""Change history: the ORM edge of catalog/diff.py.

``record_changes`` stores what a snapshot changed (called by snapshots._store, inside its
transaction), marks the changes an announcement named, and queues the watchers' e-mails.
``announce`` records "this change is coming" for a release check's ``--announce``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from catalog import diff
from catalog.lineage import annotate_downstream
from catalog.models import (
    Announcement,
    Column,
    Connection,
    SchemaChange,
    SchemaDocument,
    Snapshot,
    Table,
    Watch,
)

log = logging.getLogger(__name__)


class InvalidAnnouncement(ValueError):
    """An announcement that cannot be recorded (no message, nothing to announce)."""


def _stored(change: diff.Change) -> dict[str, Any]:
    """The fields a SchemaChange and an Announcement keep of a diff.Change ("" for None)."""
    return {
        "kind": change.kind,
        "object": change.object,
        "table": change.table,
        "breaking": change.breaking,
        "before": change.before or "",
        "after": change.after or "",
        "reason": change.reason,
    }


def announce(
    connection: Connection,
    changes: Iterable[diff.Change],
    *,
    message: str,
    author: Any = None,
) -> list[Announcement]:
    """Record each change as announced: one Announcement per change, with who, when, why.

    A later snapshot that sees the same kind of change to the same object within the
    connection's changes window marks its change announced (see ``match_announcements``).
    Raises InvalidAnnouncement for a blank message or no changes; nothing is stored then.
    """
    text = (message or "").strip()
    if not text:
        raise InvalidAnnouncement("An announcement needs a message saying what changes and when.")
    items: Sequence[diff.Change] = list(changes)
    if not items:
        raise InvalidAnnouncement("There is nothing to announce: the candidate changes nothing.")
    user = author if getattr(author, "pk", None) is not None else None
    with transaction.atomic():
        rows = Announcement.objects.bulk_create(
            Announcement(connection=connection, message=text, created_by=user, **_stored(change))
            for change in items
        )
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: notify_announcement(ids))
    return rows


def notify_announcement(announcement_ids: list[int]) -> int:
    """E-mail an announcement to the watchers of what it names and the owning team's
    recipients: one e-mail per address. Logged, never raised. Returns the e-mails sent."""
    try:
        return _notify_announcement(announcement_ids)
    except Exception:
        log.exception("e-mails of announcements %s failed", announcement_ids)
        return 0


def _notify_announcement(announcement_ids: list[int]) -> int:
    announcements = list(
        Announcement.objects.filter(pk__in=announcement_ids)
        .select_related("connection__team", "created_by")
        .order_by("pk")
    )
    if not announcements:
        return 0
    connection = announcements[0].connection
    annotate_downstream([connection.pk], announcements)
    per_address: dict[str, list[Announcement]] = {}
    for user, named in watched_changes(connection, announcements).items():
        if user.email and user.is_active:
            per_address.setdefault(user.email, []).extend(named)
    for address in connection.team.recipient_list():
        per_address.setdefault(address, list(announcements))
    first = announcements[0]
    messages = []
    for address, named in per_address.items():
        context = {
            "connection": connection,
            "announcement": first,
            "items": named,
            "changes_url": absolute_url(
                reverse("catalog:connection_changes", args=[connection.pk])
            ),
        }
        subject = f"[SchemaJoy] {connection.name}: coming soon, {first.message[:80]}"
        body = render_to_string("emails/announcement.txt", context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    return len(messages)


# Recording at snapshot time ---------------------------------------------------------------


def changes_since(previous_fingerprint: str | None, document: str) -> list[diff.Change]:
    """The changes from the stored document ``previous_fingerprint`` to ``document``.

    None (a connection's first snapshot: the baseline) and an unknown document record none.
    """
    if not previous_fingerprint:
        return []
    previous = (
        SchemaDocument.objects.filter(pk=previous_fingerprint)
        .values_list("document", flat=True)
        .first()
    )
    if previous is None:
        return []
    return diff.diff_documents(previous, document)


@dataclass(frozen=True)
class Renames:
    """Renames a diff found, for the live catalog to follow: new name -> old name."""

    tables: dict[tuple[str, str], tuple[str, str]]
    columns: dict[tuple[str, str], dict[str, str]]  # new table key -> {new column: old}

    @classmethod
    def of(cls, changes: Iterable[diff.Change]) -> Renames:
        tables: dict[tuple[str, str], tuple[str, str]] = {}
        columns: dict[tuple[str, str], dict[str, str]] = {}
        for change in changes:
            if change.kind == diff.TABLE_RENAMED and change.before:
                tables[split_table(change.table)] = split_table(change.before)
            elif change.kind == diff.COLUMN_RENAMED and change.before and change.after:
                columns.setdefault(split_table(change.table), {})[change.after] = change.before
        return cls(tables, columns)


NO_RENAMES = Renames({}, {})


def split_table(qualified: str) -> tuple[str, str]:
    schema, _, name = qualified.partition(".")
    return schema, name


def record_changes(
    connection: Connection, snapshot: Snapshot, changes: Sequence[diff.Change], *, at: datetime
) -> list[SchemaChange]:
    """Store a snapshot's changes (one row each, in diff order) and match announcements.

    Called inside the snapshot's transaction; the watchers' e-mails leave after it commits.
    """
    if not changes:
        return []
    rows = SchemaChange.objects.bulk_create(
        SchemaChange(
            connection=connection,
            snapshot=snapshot,
            detected_at=at,
            schema=change.schema,
            probable=change.probable,
            transition=change.transition,
            position=position,
            **_stored(change),
        )
        for position, change in enumerate(changes)
    )
    match_announcements(connection, rows, at=at)
    if any(row.breaking for row in rows):
        snapshot_id = snapshot.pk
        transaction.on_commit(lambda: notify_watchers(snapshot_id))
    return rows


def match_announcements(
    connection: Connection, rows: Sequence[SchemaChange], *, at: datetime
) -> None:
    """Mark each change an announcement named (same kind and object, within the window).

    The earliest open announcement wins (the most notice); one already matched still
    counts for a change seen again (a rename undone and redone), so none is lost.
    """
    wanted = {(row.kind, row.object) for row in rows}
    if not wanted:
        return
    objects = {obj for _, obj in wanted}
    candidates = Announcement.objects.filter(
        connection=connection,
        object__in=objects,
        created_at__gte=at - connection.changes_window,
        created_at__lte=at,
    ).order_by("created_at", "pk")
    by_key: dict[tuple[str, str], Announcement] = {}
    for announcement in candidates:
        key = (announcement.kind, announcement.object)
        if key in wanted and (
            key not in by_key
            or (by_key[key].matched_at is not None and announcement.matched_at is None)
        ):
            by_key[key] = announcement
    matched: list[SchemaChange] = []
    for row in rows:
        announcement = by_key.get((row.kind, row.object))  # type: ignore[assignment]
        if announcement is not None:
            row.announcement = announcement
            matched.append(row)
    if matched:
        SchemaChange.objects.bulk_update(matched, ["announcement"])
        Announcement.objects.filter(
            pk__in={row.announcement_id for row in matched}, matched_at__isnull=True
        ).update(matched_at=at)


# Watchers ---------------------------------------------------------------------------------


def watched_changes(connection: Connection, changes: Sequence[Any]) -> dict[Any, list[Any]]:
    """user -> the changes among ``changes`` that touch what they watch (in order).

    ``changes`` are SchemaChange or Announcement rows: what they share is object and table.
    """
    per_user: dict[Any, list[SchemaChange]] = {}
    watches = Watch.objects.filter(connection=connection).select_related("user", "table", "column")
    for watch in watches:
        if watch.column_id:
            table = watch.table.qualified_name  # type: ignore[union-attr]
            column = f"{table}.{watch.column.name}"  # type: ignore[union-attr]
            hit = [c for c in changes if c.object == column or c.object == c.table == table]
        elif watch.table_id:
            table = watch.table.qualified_name  # type: ignore[union-attr]
            hit = [c for c in changes if c.table == table]
        else:
            hit = list(changes)
        if hit:
            seen = per_user.setdefault(watch.user, [])
            seen.extend(c for c in hit if c not in seen)
    order = {c.pk: i for i, c in enumerate(changes)}
    return {user: sorted(hit, key=lambda c: order[c.pk]) for user, hit in per_user.items()}


def notify_watchers(snapshot_id: int) -> int:
    """E-mail each watcher of a snapshot's breaking changes once, listing them with links.

    Runs after the snapshot's transaction commits; a mail failure is logged, never raised
    (the snapshot is stored). Returns the number of e-mails sent.
    """
    try:
        return _notify_watchers(snapshot_id)
    except Exception:
        log.exception("e-mails to the watchers of snapshot %s failed", snapshot_id)
        return 0


def _notify_watchers(snapshot_id: int) -> int:
    snapshot = Snapshot.objects.select_related("connection").get(pk=snapshot_id)
    connection = snapshot.connection
    breaking = list(
        SchemaChange.objects.filter(snapshot=snapshot, breaking=True)
        .select_related("announcement")
        .order_by("position")
    )
    per_user = watched_changes(connection, breaking)
    annotate_downstream([connection.pk], breaking)
    tables = {
        t.qualified_name: t
        for t in Table.objects.filter(
            connection=connection, name__in={split_table(c.table)[1] for c in breaking}
        )
    }
    messages = []
    for user, changes in per_user.items():
        if not user.email or not user.is_active:
            continue
        items = [
            {"change": c, "url": absolute_url(_change_link(connection, c, tables))} for c in changes
        ]
        count = len(items)
        subject = (
            f"[SchemaJoy] {connection.name}: {count} breaking change"
            f"{'' if count == 1 else 's'} to what you watch"
        )
        context = {
            "user": user,
            "connection": connection,
            "snapshot": snapshot,
            "items": items,
            "changes_url": absolute_url(
                reverse("catalog:connection_changes", args=[connection.pk])
            ),
            "account_url": absolute_url(reverse("account")),
        }
        body = render_to_string("emails/watched_changes.txt", context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    return len(messages)


def _change_link(connection: Connection, change: SchemaChange, tables: dict[str, Table]) -> str:
    table = tables.get(change.table)
    if table is not None:
        return table.get_absolute_url()
    return (
        reverse("catalog:connection_changes", args=[connection.pk])
        + "?"
        + urlencode({"table": change.table})
    )


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Queries of the history -------------------------------------------------------------------


def filter_changes(
    queryset: QuerySet[SchemaChange],
    *,
    breaking: bool = False,
    kind: str = "",
    schema: str = "",
    table: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SchemaChange]:
    """A change history narrowed by the page's and the command's filters."""
    if breaking:
        queryset = queryset.filter(breaking=True)
    if kind:
        queryset = queryset.filter(kind=kind)
    if schema:
        queryset = queryset.filter(schema=schema)
    if table:
        # "schema.table", or a bare table name in any schema.
        queryset = (
            queryset.filter(table=table)
            if "." in table
            else queryset.filter(table__endswith=f".{table}")
        )
    if since:
        queryset = queryset.filter(detected_at__date__gte=since)
    if until:
        queryset = queryset.filter(detected_at__date__lte=until)
    return queryset


def table_names_over_time(connection: Connection, qualified: str) -> set[str]:
    """A table's name and every name it had before (renames followed back), for its history."""
    renames = dict(
        SchemaChange.objects.filter(connection=connection, kind=diff.TABLE_RENAMED).values_list(
            "table", "before"
        )
    )
    names = {qualified}
    current = qualified
    while current in renames and renames[current] not in names:
        current = renames[current]
        names.add(current)
    return names


def table_history(connection: Connection, table: Table) -> QuerySet[SchemaChange]:
    """The changes of one table, under this name and the names it had, newest first."""
    return (
        SchemaChange.objects.filter(
            connection=connection, table__in=table_names_over_time(connection, table.qualified_name)
        )
        .select_related("announcement", "snapshot")
        .order_by("-detected_at", "-snapshot_id", "position")
    )


def recent_breaking_changes(user: Any, *, team: Any = None, limit: int = 10) -> list[SchemaChange]:
    """The latest breaking changes across connections: the feed of the team page (one team)
    and of the connection list (the user's teams; everything for staff or a user in none).
    Two queries, whatever the number of changes.

    A page shows it with ``{% include "catalog/_breaking_changes.html" %}`` and this list
    in its context as ``breaking_changes``."""
    queryset = SchemaChange.objects.filter(breaking=True)
    if team is not None:
        queryset = queryset.filter(connection__team=team)
    elif not user.is_staff:
        team_ids = list(user.teams.values_list("pk", flat=True))
        if team_ids:
            queryset = queryset.filter(connection__team_id__in=team_ids)
    feed = list(
        queryset.select_related("connection", "announcement").order_by(
            "-detected_at", "-snapshot_id", "position"
        )[:limit]
    )
    link_tables({c.connection_id for c in feed}, feed)
    return feed


def link_tables(connection_ids: Iterable[int], changes: Sequence[SchemaChange]) -> None:
    """Set ``table_url`` on each change: its live table's page, when the table is known.

    One query however many changes: the pages that list changes stay constant in queries.
    """
    wanted = {(c.connection_id, *split_table(c.table)) for c in changes}
    urls: dict[tuple[int, str, str], str] = {}
    if wanted:
        names = {name for _, _, name in wanted}
        for t in Table.objects.filter(connection_id__in=set(connection_ids), name__in=names).only(
            "id", "schema", "name", "connection_id"
        ):
            urls[(t.connection_id, t.schema, t.name)] = t.get_absolute_url()
    for c in changes:
        c.table_url = urls.get((c.connection_id, *split_table(c.table)))  # type: ignore[attr-defined]
    annotate_downstream(connection_ids, changes)


# Undoing a probable rename ----------------------------------------------------------------


class CannotUndo(ValueError):
    """The change is not a probable rename, or the catalog moved on since."""


def _column_structure(column: Column) -> dict[str, Any]:
    """What the snapshot sync writes on a column row (not its docs), to copy it."""
    from catalog.snapshots import COLUMN_FIELDS  # snapshots imports this module

    return {f: getattr(column, f) for f in COLUMN_FIELDS}


def undo_rename(change: SchemaChange) -> list[SchemaChange]:
    """Turn a guessed rename into what it may have been: a drop and an add.

    The live row goes back to its old name, marked dropped in the change's snapshot, and
    keeps its documentation; the new name gets a fresh, undocumented row. The change row
    becomes two (``*_dropped``, breaking, and ``*_added``). Returns them.
    """
    if not change.probable or change.kind not in diff.RENAME_KINDS:
        raise CannotUndo("Only a probable rename can be undone.")
    connection = change.connection
    snapshot = change.snapshot
    previous_id = (
        Snapshot.objects.filter(connection=connection, started_at__lt=snapshot.started_at)
        .succeeded()
        .values_list("pk", flat=True)
        .first()
    )
    with transaction.atomic():
        if change.kind == diff.COLUMN_RENAMED:
            rows = _undo_column_rename(change, snapshot, previous_id)
        else:
            rows = _undo_table_rename(change, snapshot, previous_id)
        change.delete()
    return rows


def _undo_column_rename(
    change: SchemaChange, snapshot: Snapshot, previous_id: int | None
) -> list[SchemaChange]:
    schema, name = split_table(change.table)
    column = (
        Column.objects.select_for_update()
        .filter(table__connection=change.connection, table__schema=schema, table__name=name)
        .filter(name=change.after)
        .first()
    )
    if column is None or Column.objects.filter(table=column.table, name=change.before).exists():
        raise CannotUndo("The catalog changed since: this rename can no longer be undone.")
    fresh = Column(
        table=column.table,
        name=change.after,
        first_seen=snapshot,
        last_seen=column.last_seen,
        dropped_in=column.dropped_in,
        **_column_structure(column),
    )
    column.name = change.before
    column.dropped_in = snapshot
    column.last_seen_id = previous_id
    column.save(update_fields=["name", "dropped_in", "last_seen"])
    fresh.save()
    old_object = f"{change.table}.{change.before}"
    return _replace_with(
        change,
        dropped=dict(object=old_object, before=column.data_type),
        added=dict(object=change.object, after=column.data_type),
        noun="column",
    )


def _undo_table_rename(
    change: SchemaChange, snapshot: Snapshot, previous_id: int | None
) -> list[SchemaChange]:
    schema, name = split_table(change.after or change.table)
    old_schema, old_name = split_table(change.before)
    table = (
        Table.objects.select_for_update()
        .filter(connection=change.connection, schema=schema, name=name)
        .first()
    )
    exists = Table.objects.filter(connection=change.connection, schema=old_schema, name=old_name)
    if table is None or exists.exists():
        raise CannotUndo("The catalog changed since: this rename can no longer be undone.")
    fresh = Table(
        connection=change.connection,
        schema=schema,
        name=name,
        kind=table.kind,
        ident=table.ident,
        comment=table.comment,
        row_estimate=table.row_estimate,
        column_count=table.column_count,
        structure=table.structure,
        first_seen=snapshot,
        last_seen=table.last_seen,
        dropped_in=table.dropped_in,
    )
    table.schema, table.name = old_schema, old_name
    table.dropped_in, table.last_seen_id = snapshot, previous_id
    table.save(update_fields=["schema", "name", "dropped_in", "last_seen"])
    fresh.save()
    columns = list(table.columns.all())
    Column.objects.bulk_create(
        Column(
            table=fresh,
            name=c.name,
            first_seen=snapshot,
            last_seen=c.last_seen,
            dropped_in=c.dropped_in,
            **_column_structure(c),
        )
        for c in columns
    )
    live = [c for c in columns if c.dropped_in_id is None]
    for c in live:
        c.dropped_in, c.last_seen_id = snapshot, previous_id
    Column.objects.bulk_update(live, ["dropped_in", "last_seen"])
    # Watches of the table stay with the name the watcher chose.
    Watch.objects.filter(table=table, column__isnull=True).update(table=fresh)
    return _replace_with(
        change,
        dropped=dict(object=change.before, table=change.before, before=change.before),
        added=dict(object=change.table, after=change.table),
        noun="table",
    )


def _replace_with(
    change: SchemaChange, *, dropped: dict[str, Any], added: dict[str, Any], noun: str
) -> list[SchemaChange]:
    common = dict(
        connection=change.connection,
        snapshot=change.snapshot,
        detected_at=change.detected_at,
        schema=change.schema,
        table=change.table,
        position=change.position,
    )
    kinds = (
        (diff.COLUMN_DROPPED, diff.COLUMN_ADDED)
        if noun == "column"
        else (diff.TABLE_DROPPED, diff.TABLE_ADDED)
    )
    rows = [
        SchemaChange(
            **{**common, **dropped},
            kind=kinds[0],
            breaking=True,
            reason=f"{noun} dropped (a guessed rename, undone): every query that reads it fails",
        ),
        SchemaChange(
            **{**common, **added}, kind=kinds[1], reason=f"new {noun} (a guessed rename, undone)"
        ),
    ]
    SchemaChange.objects.bulk_create(rows)
    match_announcements(change.connection, rows, at=change.detected_at)
    return rows
