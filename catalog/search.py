"""Search the live catalog of every connection: table names, column names and descriptions.

Two steps per kind, so that a common word never costs a sort of thousands of rows:
names that contain the term, ranked (exact, then prefix, then anywhere; shortest first),
then, to fill the page, rows whose descriptions contain it, unranked (LIMIT stops early).
On PostgreSQL migration 0004 gives each step a pg_trgm GIN index on exactly the
expression it filters, so LIKE '%term%' reads an index instead of every row; on SQLite the
same queries scan, which is fine at its size. Two-character terms match name prefixes
only: no trigram index can answer them and a substring that short is noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, Func, IntegerField, QuerySet, Value, When
from django.db.models.functions import Length, Upper

from catalog.models import Column, Table

MIN_LENGTH = 2
SUBSTRING_LENGTH = 3  # shorter terms match name prefixes only
TABLE_LIMIT = 20
COLUMN_LIMIT = 50

TABLE_FIELDS = ("id", "schema", "name", "kind", "description", "comment", "dbt_description",
                "connection__id", "connection__name")  # fmt: skip
COLUMN_FIELDS = ("id", "name", "data_type", "description", "comment", "dbt_description",
                 "table__id", "table__schema", "table__name", "table__connection__id",
                 "table__connection__name")  # fmt: skip


class SearchText(Func):
    """The searchable text of a row. Migration 0004 indexes this very expression: keep in step."""

    template = "UPPER(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = Table._meta.get_field("description")

    def __init__(self) -> None:
        super().__init__(*(F(f) for f in ("name", "description", "comment", "dbt_description")))


@dataclass
class SearchResults:
    query: str
    tables: list[Table]
    columns: list[Column]
    more_tables: bool
    more_columns: bool

    @property
    def empty(self) -> bool:
        return not self.tables and not self.columns


def _rank(term: str) -> Case:
    return Case(
        When(name__iexact=term, then=Value(0)),
        When(name__istartswith=term, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _find(
    queryset: QuerySet,
    term: str,
    limit: int,
    order: tuple[str, ...],
    *,
    scope: dict[str, str] | None = None,
) -> tuple[list, bool]:
    """Up to `limit` rows (names first, then descriptions) and whether more match.

    ``scope`` narrows the name step to one schema or table (a qualified search): then the
    name is matched by ``scope["name"]`` and the descriptions by the whole term.
    """
    name = scope.pop("name") if scope else term
    name_filter = (
        {"name__icontains": name} if len(name) >= SUBSTRING_LENGTH else {"name__istartswith": name}
    )
    found = list(
        queryset.filter(**name_filter, **(scope or {}))
        .annotate(rank=_rank(name), name_length=Length("name"))
        .order_by("rank", "name_length", *order)[: limit + 1]
    )
    if len(found) <= limit and len(term) >= SUBSTRING_LENGTH:
        # Fill the page from descriptions; names already found are skipped here, unsorted,
        # so that LIMIT can stop at the first rows instead of ranking every match.
        extra = (
            queryset.annotate(haystack=SearchText())
            .filter(haystack__contains=Upper(Value(term)))
            .exclude(pk__in=[row.pk for row in found])
            .order_by()[: limit + 1 - len(found)]
        )
        found += list(extra)
    return found[:limit], len(found) > limit


def search_catalog(
    query: str, *, table_limit: int = TABLE_LIMIT, column_limit: int = COLUMN_LIMIT
) -> SearchResults:
    """Live tables and columns whose name or any description contains `query` (<= 4 queries)."""
    term = " ".join(query.split())
    if len(term) < MIN_LENGTH:
        return SearchResults(term, [], [], False, False)
    table_scope, column_scope = qualified_scopes(term)
    tables: list = []
    more_tables = False
    if table_scope is not None:
        tables, more_tables = _find(
            Table.objects.filter(dropped_in__isnull=True)
            .select_related("connection")
            .only(*TABLE_FIELDS),
            term,
            table_limit,
            ("name", "schema", "connection__name"),
            scope=table_scope or None,
        )
    columns, more_columns = _find(
        Column.objects.filter(dropped_in__isnull=True, table__dropped_in__isnull=True)
        .select_related("table__connection")
        .only(*COLUMN_FIELDS),
        term,
        column_limit,
        ("name", "table__name"),
        scope=column_scope or None,
    )
    return SearchResults(term, tables, columns, more_tables, more_columns)


def qualified_scopes(term: str) -> tuple[dict[str, str] | None, dict[str, str]]:
    """How a dotted term narrows the name step: (tables, columns); {} means unscoped.

    ``schema.table`` finds tables of that schema and, as ``table.column``, columns of
    that table; ``schema.table.column`` finds columns only (tables None). A term with a
    space or an empty part is an ordinary one: a description may well contain a dot.
    """
    parts = term.split(".")
    if len(parts) not in (2, 3) or " " in term or not all(parts[:-1]):
        return {}, {}
    if len(parts) == 2:
        first, last = parts
        return {"schema__iexact": first, "name": last}, {"table__name__iexact": first, "name": last}
    schema, table, last = parts
    return None, {"table__schema__iexact": schema, "table__name__iexact": table, "name": last}
