"""Documentation of tables and columns: what shows, who changed it, and the way back to the DB.

Three texts can describe an object: SchemaJoy's own (edited here, Markdown), the database's
COMMENT (read by each snapshot) and dbt's (imported). SchemaJoy's wins, then the comment,
then dbt; blank text counts as none. Edits use optimistic concurrency: a save names the
version it started from and is refused, with the other person's text, when someone saved
in between. Every change records a DocRevision. SchemaJoy never writes to a target: the
way back is generated SQL that the backend team runs as a migration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Trim
from django.utils import timezone

from catalog.introspection.model import COMMENT, DBT, SCHEMAJOY, pick_description
from catalog.markup import strip_invisible, too_long_message
from catalog.models import Column, Connection, DocRevision, Table
from catalog.sql import DIALECTS, CommentedColumn, CommentedTable

SOURCE_LABELS = {SCHEMAJOY: "SchemaJoy", COMMENT: "database comment", DBT: "dbt"}

User = AbstractBaseUser | AnonymousUser
Documented = Table | Column


class Effective(NamedTuple):
    text: str
    source: str  # SCHEMAJOY, COMMENT, DBT, or "" when undocumented

    @property
    def label(self) -> str:
        return SOURCE_LABELS.get(self.source, "")


def effective_description(obj: Documented) -> Effective:
    """The text a reader sees and where it came from (see ``pick_description``)."""
    return Effective(*pick_description(obj.description, obj.comment, obj.dbt_description))


# Editing --------------------------------------------------------------------


class DocConflict(Exception):
    """Someone saved this description after the editor loaded it."""

    def __init__(
        self, *, text: str, author: Any, updated_at: datetime | None, version: int
    ) -> None:
        self.text = text
        self.author = author
        self.updated_at = updated_at
        self.version = version
        who = getattr(author, "username", None) or "someone"
        super().__init__(f"{who} changed this description while you were editing it.")


class DescriptionTooLong(ValueError):
    """A description over SCHEMAJOY_DESCRIPTION_MAX_CHARS; the message says the limit."""


def normalise_text(text: str) -> str:
    # Browsers send CRLF from textareas; trailing blank lines are noise in diffs. Bidi and
    # control characters go: they only serve to make text read differently than it is.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_invisible(text).strip()


def check_description(text: str) -> str:
    """The normalised text, or DescriptionTooLong."""
    text = normalise_text(text)
    message = too_long_message(text)
    if message:
        raise DescriptionTooLong(message)
    return text


def set_table_doc(
    table: Table, text: str, *, user: User | None, base_version: int
) -> DocRevision | None:
    """Save SchemaJoy's description of a table. Raises DocConflict; None when nothing changed."""
    return _save(Table, table, text, user=user, base_version=base_version)


def set_column_doc(
    column: Column, text: str, *, user: User | None, base_version: int
) -> DocRevision | None:
    """Save SchemaJoy's description of a column. Raises DocConflict; None when nothing changed."""
    return _save(Column, column, text, user=user, base_version=base_version)


def author_of(user: User | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _save(
    model: type[Table] | type[Column],
    obj: Documented,
    text: str,
    *,
    user: User | None,
    base_version: int,
    source: str = DocRevision.Source.WEB,
) -> DocRevision | None:
    text = check_description(text)
    with transaction.atomic():
        current = (
            model.objects.select_for_update()
            .only(
                "description",
                "description_version",
                "description_updated_at",
                "description_updated_by",
            )
            .get(pk=obj.pk)
        )
        if current.description_version != base_version:
            raise DocConflict(
                text=current.description,
                author=current.description_updated_by,
                updated_at=current.description_updated_at,
                version=current.description_version,
            )
        if current.description == text:
            return None
        now = timezone.now()
        # The condition repeats the check, so that no interleaving can overwrite silently.
        updated = model.objects.filter(pk=obj.pk, description_version=base_version).update(
            description=text,
            description_version=F("description_version") + 1,
            description_updated_at=now,
            description_updated_by=author_of(user),
        )
        if updated != 1:
            current.refresh_from_db()
            raise DocConflict(
                text=current.description,
                author=current.description_updated_by,
                updated_at=current.description_updated_at,
                version=current.description_version,
            )
        revision = DocRevision.objects.create(
            table_id=obj.table_id if isinstance(obj, Column) else obj.pk,
            column_id=obj.pk if isinstance(obj, Column) else None,
            author=author_of(user),
            source=source,
            before=current.description,
            after=text,
        )
    obj.description = text
    obj.description_version = base_version + 1
    obj.description_updated_at = now
    obj.description_updated_by = author_of(user)
    return revision


def revert(revision: DocRevision, *, user: User | None) -> DocRevision | None:
    """Put back the text a revision replaced, as a new revision (history is never rewritten).

    A dbt revision restores the dbt text; any other restores SchemaJoy's description.
    """
    if revision.column_id:
        target: Documented = Column.objects.get(pk=revision.column_id)
        model: type[Table] | type[Column] = Column
    else:
        target = Table.objects.get(pk=revision.table_id)
        model = Table
    if revision.source == DocRevision.Source.DBT:
        return _set_dbt(model, target, revision.before, user=user)
    return _save(
        model,
        target,
        revision.before,
        user=user,
        base_version=target.description_version,
        source=DocRevision.Source.REVERT,
    )


def _set_dbt(
    model: type[Table] | type[Column], obj: Documented, text: str, *, user: User | None
) -> DocRevision | None:
    text = check_description(text)
    with transaction.atomic():
        before = model.objects.select_for_update().values_list("dbt_description", flat=True)
        before_text = before.get(pk=obj.pk)
        if before_text == text:
            return None
        model.objects.filter(pk=obj.pk).update(dbt_description=text)
        revision = DocRevision.objects.create(
            table_id=obj.table_id if isinstance(obj, Column) else obj.pk,
            column_id=obj.pk if isinstance(obj, Column) else None,
            author=author_of(user),
            source=DocRevision.Source.DBT,
            before=before_text,
            after=text,
        )
    obj.dbt_description = text
    return revision


# Coverage -------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    documented_tables: int
    tables: int
    documented_columns: int
    columns: int

    @property
    def table_percent(self) -> float:
        return 100.0 * self.documented_tables / self.tables if self.tables else 0.0

    @property
    def column_percent(self) -> float:
        return 100.0 * self.documented_columns / self.columns if self.columns else 0.0

    @property
    def undocumented_columns(self) -> int:
        return self.columns - self.documented_columns


def documented_q(prefix: str = "") -> Q:
    """Documented by any of the three texts; whitespace-only text counts as none."""
    return (
        ~Q(**{f"{prefix}description_trim": ""})
        | ~Q(**{f"{prefix}comment_trim": ""})
        | ~Q(**{f"{prefix}dbt_trim": ""})
    )


def _with_trims(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        description_trim=Trim("description"),
        comment_trim=Trim("comment"),
        dbt_trim=Trim("dbt_description"),
    )


def undocumented_columns(queryset: QuerySet[Column]) -> QuerySet[Column]:
    return _with_trims(queryset).exclude(documented_q())


def undocumented_tables(queryset: QuerySet[Table]) -> QuerySet[Table]:
    """Live tables with no description of any kind (the overview's worklist)."""
    return _with_trims(queryset.filter(dropped_in__isnull=True)).exclude(documented_q())


def _live_tables(scope: QuerySet[Table] | Iterable[int]) -> QuerySet[Table]:
    if isinstance(scope, QuerySet):
        return scope.filter(dropped_in__isnull=True)
    return Table.objects.filter(connection_id__in=list(scope), dropped_in__isnull=True)


def docs_coverage(scope: QuerySet[Table] | Iterable[int]) -> Coverage:
    """Documented live tables and columns of a Table queryset or of connection ids (2 queries)."""
    return total_coverage(docs_coverage_by_schema(scope).values())


def total_coverage(parts: Iterable[Coverage]) -> Coverage:
    parts = list(parts)
    return Coverage(
        documented_tables=sum(c.documented_tables for c in parts),
        tables=sum(c.tables for c in parts),
        documented_columns=sum(c.documented_columns for c in parts),
        columns=sum(c.columns for c in parts),
    )


def docs_coverage_by_schema(scope: QuerySet[Table] | Iterable[int]) -> dict[str, Coverage]:
    """Coverage per schema name, two grouped queries whatever the number of tables."""
    tables = _live_tables(scope)
    table_rows = (
        _with_trims(tables)
        .values("schema")
        .annotate(n=Count("id"), documented=Count("id", filter=documented_q()))
        .order_by("schema")
    )
    columns = Column.objects.filter(table__in=tables.values("pk"), dropped_in__isnull=True)
    column_rows = (
        _with_trims(columns)
        .values("table__schema")
        .annotate(n=Count("id"), documented=Count("id", filter=documented_q()))
        .order_by("table__schema")
    )
    per_column = {r["table__schema"]: (r["documented"], r["n"]) for r in column_rows}
    return {
        r["schema"]: Coverage(r["documented"], r["n"], *per_column.get(r["schema"], (0, 0)))
        for r in table_rows
    }


# COMMENT SQL ----------------------------------------------------------------


def _to_write(obj: Documented) -> str | None:
    """The text to put into the database, or None when the database already says it."""
    text, source = effective_description(obj)
    if source in (SCHEMAJOY, DBT) and text != (obj.comment or ""):
        return text
    return None


def _commented(table: Table, columns: list[Column]) -> CommentedTable:
    written = [(column, _to_write(column)) for column in columns]
    return CommentedTable(
        schema=table.schema,
        name=table.name,
        kind=table.kind,
        text=_to_write(table),
        columns=tuple(
            CommentedColumn(
                name=column.name,
                text=text,
                data_type=column.data_type,
                nullable=column.nullable,
                default=column.default,
                identity=column.identity,
                generated=column.generated,
            )
            for column, text in written
            if text is not None
        ),
    )


def comment_sql(target: Connection | QuerySet[Table], dialect: str | None = None) -> str:
    """SQL that puts SchemaJoy's (and dbt's) descriptions into the database's comments.

    `target` is a connection or a queryset of its tables; dropped objects are left out.
    """
    if isinstance(target, Connection):
        tables_qs = Table.objects.filter(connection=target)
        dialect = dialect or target.dialect
    else:
        tables_qs = target
        if dialect is None:
            first = tables_qs.select_related("connection").first()
            dialect = first.connection.dialect if first else "postgresql"
    if dialect not in DIALECTS:
        raise ValueError(f"No COMMENT SQL for dialect {dialect!r}.")
    tables = list(tables_qs.filter(dropped_in__isnull=True).order_by("schema", "name"))
    by_table: dict[int, list[Column]] = {t.pk: [] for t in tables}
    for column in Column.objects.filter(
        table__in=tables_qs.filter(dropped_in__isnull=True).values("pk"), dropped_in__isnull=True
    ).order_by("table_id", "position"):
        by_table[column.table_id].append(column)
    return DIALECTS[dialect].comment_sql(_commented(t, by_table[t.pk]) for t in tables)
