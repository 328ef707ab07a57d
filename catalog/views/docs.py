"""Documentation pages: inline editing, preview, history, COMMENT SQL, dbt, coverage, search.

Thin views: the work is in catalog.documentation, catalog.dbt and catalog.search.
Every write checks Team.can_edit on the server.
"""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.dbt import (
    DbtImportError,
    apply_dbt_import,
    export_dbt,
    plan_dbt_import,
    save_import_preview,
    take_import_preview,
)
from catalog.documentation import (
    DescriptionTooLong,
    DocConflict,
    comment_sql,
    docs_coverage_by_schema,
    effective_description,
    revert,
    set_column_doc,
    set_table_doc,
    total_coverage,
    undocumented_columns,
)
from catalog.http import SignedInRequest
from catalog.markup import render_markdown, too_long_message
from catalog.models import Column, Connection, DocRevision, Table
from catalog.search import search_catalog
from catalog.views import paginate
from scoring.models import Finding
from scoring.tasks import rescore_connection_task

UNDOCUMENTED_PER_PAGE = 50


def _rescore_docs(connection_id: int) -> None:
    """Descriptions feed the docs rules: rescore now, as a waiver or a setting does, so
    the page stops saying "no description" without waiting for a snapshot."""
    transaction.on_commit(
        lambda: rescore_connection_task.delay(connection_id, Finding.Resolution.DOCUMENTED)
    )


def _table(pk: int, table_pk: int) -> Table:
    return get_object_or_404(
        Table.objects.select_related("connection__team"), pk=table_pk, connection_id=pk
    )


def _doc_target(pk: int, table_pk: int, column_pk: int | None) -> tuple[Table, Table | Column]:
    table = _table(pk, table_pk)
    if column_pk is None:
        return table, table
    column = get_object_or_404(Column, pk=column_pk, table=table)
    column.table = table
    return table, column


def _doc_context(
    request: SignedInRequest, table: Table, obj: Table | Column, **extra: Any
) -> dict[str, Any]:
    return {
        "connection": table.connection,
        "table": table,
        "obj": obj,
        "kind": "column" if isinstance(obj, Column) else "table",
        "can_edit": table.connection.team.can_edit(request.user),
        **extra,
    }


@require_GET
def doc_display(
    request: SignedInRequest, pk: int, table_pk: int, column_pk: int | None = None
) -> HttpResponse:
    """The rendered description (what "Cancel" swaps back in)."""
    table, obj = _doc_target(pk, table_pk, column_pk)
    return render(request, "catalog/docs/_doc.html", _doc_context(request, table, obj))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def doc_edit(
    request: SignedInRequest, pk: int, table_pk: int, column_pk: int | None = None
) -> HttpResponse:
    """GET: the edit form. POST: save, then the rendered description (or the conflict form)."""
    table, obj = _doc_target(pk, table_pk, column_pk)
    table.connection.team.require_edit(request.user, to="edit its docs")
    template = "catalog/docs/_doc_form.html" if request.htmx else "catalog/docs/edit_page.html"
    if request.method == "GET":
        context = _doc_context(
            request, table, obj, text=obj.description, base_version=obj.description_version
        )
        return render(request, template, context)

    text = request.POST.get("text", "")
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        return HttpResponse("base_version is required.", status=400)
    save = set_column_doc if isinstance(obj, Column) else set_table_doc
    try:
        if save(obj, text, user=request.user, base_version=base_version) is not None:  # type: ignore[arg-type]
            _rescore_docs(table.connection_id)
    except DocConflict as conflict:
        context = _doc_context(
            request, table, obj, text=text, base_version=conflict.version, conflict=conflict
        )
        # htmx swaps only 2xx responses; a plain form post gets the honest 409.
        return render(request, template, context, status=200 if request.htmx else 409)
    except DescriptionTooLong as exc:
        context = _doc_context(
            request, table, obj, text=text, base_version=base_version, error=str(exc)
        )
        return render(request, template, context, status=200 if request.htmx else 400)
    if not request.htmx:
        messages.success(request, "Description saved.")
        return redirect(table)
    obj.refresh_from_db()
    response = render(request, "catalog/docs/_doc.html", _doc_context(request, table, obj))
    # The table page reloads its findings: the docs rules were rescored with the save.
    response["HX-Trigger"] = "docs-saved"
    return response


@require_http_methods(["GET", "POST"])
def doc_preview(request: SignedInRequest) -> HttpResponse:
    """Markdown -> sanitised HTML, for the live preview beside the editor."""
    text = (request.POST if request.method == "POST" else request.GET).get("text", "")
    error = too_long_message(text)
    if error:
        # htmx swaps only 2xx responses: the message replaces the preview.
        return render(
            request,
            "catalog/docs/_preview.html",
            {"error": error},
            status=200 if request.htmx else 400,
        )
    return render(request, "catalog/docs/_preview.html", {"html": render_markdown(text)})


@require_GET
def doc_history(request: SignedInRequest, pk: int, table_pk: int) -> HttpResponse:
    table = _table(pk, table_pk)
    revisions = list(
        DocRevision.objects.filter(table=table).select_related("author", "column")[:200]
    )
    for revision in revisions:
        revision.diff = list(  # type: ignore[attr-defined]
            difflib.unified_diff(
                revision.before.splitlines(), revision.after.splitlines(), lineterm="", n=2
            )
        )[2:]
    return render(
        request,
        "catalog/docs/history.html",
        {
            "connection": table.connection,
            "table": table,
            "revisions": revisions,
            "can_edit": table.connection.team.can_edit(request.user),
        },
    )


@require_POST
def doc_revert(request: SignedInRequest, pk: int, table_pk: int, revision_pk: int) -> HttpResponse:
    table = _table(pk, table_pk)
    table.connection.team.require_edit(request.user, to="edit its docs")
    revision = get_object_or_404(DocRevision, pk=revision_pk, table=table)
    try:
        reverted = revert(revision, user=request.user)
    except DescriptionTooLong as exc:
        messages.error(request, str(exc))
        return redirect("catalog:doc_history", pk, table_pk)
    if reverted is None:
        messages.info(request, "Nothing to revert: the text is already that.")
    else:
        messages.success(request, "Reverted.")
        _rescore_docs(table.connection_id)
    return redirect("catalog:doc_history", pk, table_pk)


# COMMENT SQL and dbt -------------------------------------------------------------


def _scoped_tables(request: SignedInRequest, connection: Connection) -> tuple[Any, str]:
    tables = Table.objects.filter(connection=connection)
    scope = connection.name
    if table_pk := request.GET.get("table"):
        tables = tables.filter(pk=table_pk if table_pk.isdigit() else 0)
        first = tables.first()
        scope = first.qualified_name if first else "no table"
    elif schema := request.GET.get("schema"):
        tables = tables.filter(schema=schema)
        scope = f"schema {schema}"
    return tables, scope


@require_GET
@vary_on_headers("HX-Request")
def comment_sql_view(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    tables, scope = _scoped_tables(request, connection)
    sql = comment_sql(tables, connection.dialect)
    if request.GET.get("download"):
        response = HttpResponse(sql, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{connection.pk}-comments.sql"'
        return response
    context = {"connection": connection, "sql": sql, "scope": scope, "query": request.GET}
    template = "catalog/docs/comment_sql.html"
    return render(request, template + "#sql" if request.htmx else template, context)


@require_GET
def dbt_export(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk)
    schema = request.GET.get("schema") or None
    response = HttpResponse(
        export_dbt(connection, schema=schema), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="sources.yml"'
    return response


@require_http_methods(["GET", "POST"])
def dbt_import(request: SignedInRequest, pk: int) -> HttpResponse:
    """Upload dbt files -> a preview of the plan (kept server-side, by token) -> apply.

    Bodies over SCHEMAJOY_UPLOAD_MAX_BYTES never get here: RequestLimitsMiddleware refuses
    them by Content-Length before they are read."""
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    connection.team.require_edit(request.user, to="edit its docs")
    context: dict[str, Any] = {"connection": connection}
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if not uploads:
            context["error"] = "Choose a schema.yml, sources.yml or manifest.json to upload."
        else:
            try:
                plan = plan_dbt_import(connection, [(f.name or "", f.read()) for f in uploads])
            except DbtImportError as exc:
                context["error"] = str(exc)
            else:
                context["plan"] = plan
                context["token"] = save_import_preview(plan, user=request.user)
    status = 400 if "error" in context else 200
    return render(request, "catalog/docs/dbt_import.html", context, status=status)


@require_POST
def dbt_import_apply(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    connection.team.require_edit(request.user, to="edit its docs")
    plan = take_import_preview(
        request.POST.get("token", ""), connection=connection, user=request.user
    )
    if plan is None:
        messages.warning(request, "That import preview expired: upload the files again.")
        return redirect("catalog:dbt_import", pk)
    result = apply_dbt_import(plan, user=request.user)
    messages.success(request, f"Imported {result.applied} dbt descriptions.")
    if result.applied:
        _rescore_docs(connection.pk)
    if result.stale:
        messages.warning(
            request,
            f"{len(result.stale)} changed since the preview and were left alone: "
            + ", ".join(result.stale[:10]),
        )
    return redirect(connection)


# Coverage and the undocumented columns -----------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def coverage(request: SignedInRequest, pk: int) -> HttpResponse:
    """Docs coverage of a connection, in total and per schema (a fragment of its page)."""
    connection = get_object_or_404(Connection, pk=pk)
    by_schema = docs_coverage_by_schema([connection.pk])
    total = total_coverage(by_schema.values())
    context = {"connection": connection, "total": total, "by_schema": sorted(by_schema.items())}
    template = "catalog/docs/coverage.html"
    return render(request, template + "#coverage" if request.htmx else template, context)


@require_GET
@vary_on_headers("HX-Request")
def undocumented(request: SignedInRequest, pk: int) -> HttpResponse:
    """Columns with no description from any source: a list to work through, editable in place."""
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    columns = undocumented_columns(
        Column.objects.filter(
            table__connection=connection,
            dropped_in__isnull=True,
            table__dropped_in__isnull=True,
        )
    ).select_related("table")
    schema = request.GET.get("schema") or ""
    if schema:
        columns = columns.filter(table__schema=schema)
    page, _ = paginate(
        request,
        columns.order_by("table__schema", "table__name", "position"),
        UNDOCUMENTED_PER_PAGE,
    )
    for column in page.object_list:
        column.table.connection = connection
    context = {
        "connection": connection,
        "page": page,
        "schema": schema,
        "can_edit": connection.team.can_edit(request.user),
    }
    template = "catalog/docs/undocumented.html"
    return render(request, template + "#rows" if request.htmx else template, context)


# Search ----------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def search(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = search_catalog(query)
    for item in [*results.tables, *results.columns]:
        item.effective = effective_description(item)  # type: ignore[attr-defined, arg-type]
    context = {"q": query, "results": results, "search_url": reverse("catalog:search")}
    template = "catalog/docs/search.html"
    return render(request, template + "#results" if request.htmx else template, context)
