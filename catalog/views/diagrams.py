"""ERD pages: a connection's diagram, a table's neighbourhood, render status and downloads."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from catalog.diagrams import (
    CONTENT_TYPES,
    FORMATS,
    MAX_DEPTH,
    DiagramUnavailable,
    UnknownView,
    View,
    diagram_url,
    file_name,
    get_diagram,
)
from catalog.erd import inline_svg
from catalog.http import SignedInRequest
from catalog.models import Connection, Diagram, Table
from catalog.tasks import render_diagram

TABLE_DEPTHS = (1, 2)


def _enqueue(key: str) -> None:
    transaction.on_commit(lambda: render_diagram.delay(key))


def _format(query: QueryDict) -> str:
    value = query.get("format", "svg")
    if value not in FORMATS:
        raise Http404("Unknown diagram format.")
    return value


def _connection_view(query: QueryDict) -> View:
    compact = True if query.get("compact") == "1" else None
    common: dict[str, Any] = {"compact": compact, "format": _format(query)}
    if query.get("area"):
        return View(scope="area", area=query["area"], **common)  # type: ignore[arg-type]
    if query.get("schema"):
        return View(scope="schema", schema=query["schema"], **common)  # type: ignore[arg-type]
    if query.get("areas") == "1":
        return View(scope="overview", **common)
    if query.get("all") == "1":
        return View(scope="database", **common)
    return View(**common)


def _depth(query: QueryDict) -> int:
    try:
        depth = int(query.get("depth", "1"))
    except ValueError:
        return 1
    return min(max(depth, 1), MAX_DEPTH)


def _download(row: Diagram, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(row.content), content_type=CONTENT_TYPES[row.format])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _result_context(connection: Connection, row: Diagram) -> dict[str, Any]:
    """What the result partial needs: the safe SVG, or the status and what to try instead."""
    view = View.from_params(row.params)
    svg = ""
    if row.status == Diagram.Status.READY and row.format == "svg":
        # Safe: catalog.erd escapes every identifier it writes (tests/catalog/erd/
        # and test_diagrams.py draw hostile names), and inline_svg escapes the label.
        svg = mark_safe(
            inline_svg(bytes(row.content), label=f"Diagram of {connection.name}: {view.describe()}")
        )
    offers = []
    if row.status == Diagram.Status.FAILED:
        if view.scope != "table" and not view.compact:
            query = {k: v for k, v in row.params.items() if k in ("schema", "area")}
            if view.scope == "database":
                query["all"] = "1"
            offers.append(("the compact form", diagram_url(connection.pk, **query, compact="1")))
        if view.scope in ("database", "schema"):
            offers.append(("the map of subject areas", diagram_url(connection.pk, areas="1")))
    return {"connection": connection, "row": row, "view": view, "svg": svg, "offers": offers}


def _page_context(connection: Connection, request: SignedInRequest) -> dict[str, Any]:
    schemas = (
        Table.objects.filter(connection=connection, dropped_in__isnull=True)
        .order_by("schema")
        .values_list("schema", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("format", None)
    return {"schemas": list(schemas), "query": query.urlencode(), "formats": FORMATS}


@require_GET
def connection_diagram(request: SignedInRequest, pk: int) -> HttpResponse:
    """The whole database, one schema (?schema=), the area map (?areas=1) or one area."""
    connection = get_object_or_404(Connection, pk=pk)
    view = _connection_view(request.GET)
    context: dict[str, Any] = {"connection": connection, **_page_context(connection, request)}
    try:
        row = get_diagram(connection, view, enqueue=_enqueue)
    except UnknownView as exc:
        raise Http404(exc.message) from None
    except DiagramUnavailable as exc:
        return render(request, "catalog/diagram.html", {**context, "unavailable": exc.message})
    if "format" in request.GET and row.status == Diagram.Status.READY:
        return _download(row, file_name(connection, View.from_params(row.params)))
    context.update(_result_context(connection, row))
    return render(request, "catalog/diagram.html", context)


@require_GET
@vary_on_headers("HX-Request")
def table_diagram(request: SignedInRequest, pk: int, table_pk: int) -> HttpResponse:
    """A table's neighbourhood: the htmx fragment on its page, or a page of its own."""
    table = get_object_or_404(
        Table.objects.select_related("connection"), pk=table_pk, connection_id=pk
    )
    connection = table.connection
    view = View(
        scope="table",
        focus=(table.schema, table.name),
        depth=_depth(request.GET),
        format=_format(request.GET),
    )
    context: dict[str, Any] = {"connection": connection, "table": table, "depths": TABLE_DEPTHS}
    try:
        row = get_diagram(connection, view, table=table, enqueue=_enqueue)
    except DiagramUnavailable as exc:
        context["unavailable"] = exc.message
    else:
        if "format" in request.GET and row.status == Diagram.Status.READY:
            return _download(row, file_name(connection, view))
        context.update(_result_context(connection, row))
    if request.htmx:
        return render(request, "catalog/diagram.html#neighbourhood", context)
    return render(request, "catalog/diagram.html", context)


@require_GET
def diagram_status(request: SignedInRequest, pk: int, key: str) -> HttpResponse:
    """The polled result fragment: still rendering, the diagram, or why it failed."""
    row = get_object_or_404(Diagram.objects.select_related("connection"), pk=key, connection_id=pk)
    return render(request, "catalog/diagram.html#result", _result_context(row.connection, row))


@require_GET
def diagram_file(request: SignedInRequest, pk: int, key: str) -> HttpResponse:
    """A rendered diagram as a download, by its cache key."""
    row = get_object_or_404(
        Diagram.objects.select_related("connection"),
        pk=key,
        connection_id=pk,
        status=Diagram.Status.READY,
    )
    return _download(row, file_name(row.connection, View.from_params(row.params)))
