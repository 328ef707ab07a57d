"""Connections and tables: thin views over the live catalog; writes go to service functions."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from catalog.changes import recent_breaking_changes
from catalog.connections import (
    connection_footprint,
    delete_connection,
    erase_credentials,
    probe_connection,
)
from catalog.forms import ConnectionForm, TableFilterForm, teams_for
from catalog.http import SignedInRequest
from catalog.models import Connection, Table
from catalog.tasks import enqueue_snapshot
from catalog.views import paginate
from schemajoy_site.celery import BACKGROUND_UNAVAILABLE
from scoring.models import Finding, SnapshotScore

TABLES_PER_PAGE = 50


def _editable_connection(request: SignedInRequest, pk: int) -> Connection:
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    connection.team.require_edit(request.user, to="change its connections")
    return connection


@require_GET
def connection_list(request: SignedInRequest) -> HttpResponse:
    latest_score = SnapshotScore.objects.newest_of(OuterRef("pk"))
    connections = Connection.objects.select_related("team").annotate(
        live_tables=Count("tables", filter=Q(tables__dropped_in__isnull=True)),
        score=Subquery(latest_score.values("total")[:1]),
    )
    return render(
        request,
        "catalog/connection_list.html",
        {
            "connections": connections,
            "can_add": request.user.is_staff or teams_for(request.user).exists(),
            "breaking_changes": recent_breaking_changes(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def connection_create(request: SignedInRequest) -> HttpResponse:
    teams = teams_for(request.user)
    form = ConnectionForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        connection = form.save()
        messages.success(
            request, f"Connection {connection.name} added. Test it, then take a snapshot."
        )
        return redirect(connection)
    return render(request, "catalog/connection_form.html", {"form": form, "connection": None})


@require_http_methods(["GET", "POST"])
def connection_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = _editable_connection(request, pk)
    form = ConnectionForm(request.POST or None, instance=connection, teams=teams_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Connection {connection.name} saved.")
        return redirect(connection)
    return render(request, "catalog/connection_form.html", {"form": form, "connection": connection})


@require_GET
@vary_on_headers("HX-Request")
def connection_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    filters = TableFilterForm(request.GET or None)
    tables = Table.objects.filter(connection=connection)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            tables = tables.filter(name__icontains=data["q"])
        if data["schema"]:
            tables = tables.filter(schema=data["schema"])
        if data["kind"]:
            tables = tables.filter(kind=data["kind"])
        if not data["dropped"]:
            tables = tables.filter(dropped_in__isnull=True)
    else:
        tables = tables.filter(dropped_in__isnull=True)
    page, query = paginate(request, tables.select_related("dropped_in"), TABLES_PER_PAGE)
    context = {
        "connection": connection,
        "filters": filters,
        "page": page,
        "query": query,
        "can_edit": connection.team.can_edit(request.user),
    }
    if request.htmx:
        return render(request, "catalog/connection_detail.html#tables", context)
    context["snapshots"] = snapshots = list(connection.snapshots.all()[:15])
    context["latest"] = snapshots[0] if snapshots else None
    context["schemas"] = (
        Table.objects.filter(connection=connection, dropped_in__isnull=True)
        .values("schema")
        .annotate(n=Count("id"))
        .order_by("schema")
    )
    return render(request, "catalog/connection_detail.html", context)


@require_POST
def snapshot_now(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = _editable_connection(request, pk)
    updated = (
        Connection.objects.filter(pk=pk, snapshot_lock_at__isnull=True)
        .exclude(last_status=Connection.Status.QUEUED)
        .update(last_status=Connection.Status.QUEUED)
    )
    notice = ""
    queued: list[bool] = []
    if updated:
        # Outside a transaction (requests are not atomic) this runs now, so `queued` answers.
        transaction.on_commit(lambda: queued.append(enqueue_snapshot(pk, trigger="manual")))
    else:
        notice = "A snapshot of this connection is already queued or running."
    if queued == [False]:
        # Nothing was queued: leave no "queued" behind, or the button stays refused.
        Connection.objects.filter(pk=pk, last_status=Connection.Status.QUEUED).update(
            last_status=connection.last_status
        )
        notice = BACKGROUND_UNAVAILABLE
    if not request.htmx:
        if notice:
            messages.warning(request, notice)
        return redirect(connection)
    connection.refresh_from_db()
    return _status_fragment(request, connection, notice=notice)


@require_GET
def snapshot_status(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    return _status_fragment(request, connection)


def _status_fragment(
    request: SignedInRequest, connection: Connection, *, notice: str = ""
) -> HttpResponse:
    latest = connection.snapshots.first()
    response = render(
        request,
        "catalog/connection_detail.html#status",
        {
            "connection": connection,
            "latest": latest,
            "notice": notice,
            "can_edit": connection.team.can_edit(request.user),
        },
    )
    if not connection.busy:
        # Done: let the table list refresh itself.
        trigger_client_event(response, "snapshot-finished")
    return response


@require_POST
def connection_test(request: SignedInRequest, pk: int) -> HttpResponse:
    """Test connection: reach the target read-only and report what the role could write."""
    connection = _editable_connection(request, pk)
    result = probe_connection(connection)
    return render(
        request,
        "catalog/connection_detail.html#probe",
        # can_edit: the button stays, so the test can be run again after changes.
        {"connection": connection, "can_edit": True, **result},
    )


@require_GET
def table_detail(request: SignedInRequest, pk: int, table_pk: int) -> HttpResponse:
    table = get_object_or_404(
        Table.objects.select_related("connection__team", "first_seen", "dropped_in"),
        pk=table_pk,
        connection_id=pk,
    )
    columns = list(
        table.columns.select_related("dropped_in").order_by(
            F("dropped_in").asc(nulls_first=True), "position"
        )
    )
    structure = table.structure or {}
    pk_columns = set((structure.get("primary_key") or {}).get("columns") or ())
    foreign_keys = structure.get("foreign_keys", [])
    fk_columns = {c for fk in foreign_keys for c in fk["columns"]}
    # One query for every referenced table, so that foreign keys link to their targets.
    refs = Q(pk__in=[])
    for fk in foreign_keys:
        refs |= Q(schema=fk["ref_schema"], name=fk["ref_table"])
    ref_urls = (
        {
            (t.schema, t.name): t.get_absolute_url()
            for t in Table.objects.filter(refs, connection_id=pk).only(
                "id", "schema", "name", "connection_id"
            )
        }
        if foreign_keys
        else {}
    )
    for fk in foreign_keys:
        fk["url"] = ref_urls.get((fk["ref_schema"], fk["ref_table"]))
    return render(
        request,
        "catalog/table_detail.html",
        {
            "connection": table.connection,
            "table": table,
            "columns": columns,
            "structure": structure,
            "pk_columns": pk_columns,
            "fk_columns": fk_columns,
            "can_edit": table.connection.team.can_edit(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def connection_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET: what deleting removes. POST action=delete: all of it; action=erase: only the
    credentials, and the connection is disabled. The target database is never touched."""
    connection = _editable_connection(request, pk)
    action = request.POST.get("action")
    if request.method == "POST" and action == "delete":
        name = connection.name
        delete_connection(connection)
        messages.success(request, f"Connection {name} and its history were deleted.")
        return redirect("catalog:connection_list")
    if request.method == "POST" and action == "erase":
        erase_credentials(connection)
        messages.success(
            request, f"The credentials of {connection.name} were erased; it is disabled."
        )
        return redirect(connection)
    context = {
        "connection": connection,
        "footprint": connection_footprint(connection),
        "scores": SnapshotScore.objects.filter(connection=connection).count(),
        "findings": Finding.objects.filter(connection=connection).count(),
    }
    status = 400 if request.method == "POST" else 200
    if status == 400:
        context["error"] = "Choose what to do: delete everything, or erase the credentials."
    return render(request, "catalog/connection_delete.html", context, status=status)
