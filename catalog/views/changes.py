"""Change history, watching, and the account page: thin views over catalog/changes.py."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog import changes as change_history
from catalog.forms import ChangeFilterForm
from catalog.http import SignedInRequest
from catalog.models import Column, Connection, SchemaChange, Table, Watch
from catalog.views import paginate
from scoring.tasks import rescore_connection_task
from scoring.waivers import move_waivers

CHANGES_PER_PAGE = 50


@require_GET
@vary_on_headers("HX-Request")
def connection_changes(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    filters = ChangeFilterForm(request.GET or None)
    history = SchemaChange.objects.filter(connection=connection)
    if filters.is_valid():
        history = change_history.filter_changes(
            history,
            **{k: v for k, v in filters.cleaned_data.items() if v not in (None, "")},
        )
    page, query = paginate(
        request,
        history.select_related("snapshot", "announcement").order_by(
            "-detected_at", "-snapshot_id", "position"
        ),
        CHANGES_PER_PAGE,
    )
    change_history.link_tables([connection.pk], page.object_list)  # type: ignore[arg-type]
    context = {
        "connection": connection,
        "filters": filters,
        "page": page,
        "query": query,
        "can_edit": connection.team.can_edit(request.user),
    }
    if request.htmx:
        return render(request, "catalog/changes.html#changes", context)
    return render(request, "catalog/changes.html", context)


@require_GET
def table_changes(request: SignedInRequest, pk: int, table_pk: int) -> HttpResponse:
    """The table page's own history (loaded into it by htmx; a page of its own without)."""
    table = get_object_or_404(
        Table.objects.select_related("connection__team"), pk=table_pk, connection_id=pk
    )
    history = list(change_history.table_history(table.connection, table)[:200])
    context = {
        "connection": table.connection,
        "table": table,
        "history": history,
        "can_edit": table.connection.team.can_edit(request.user),
    }
    if request.htmx:
        return render(request, "catalog/table_changes.html#history", context)
    return render(request, "catalog/table_changes.html", context)


@require_POST
def undo_rename(request: SignedInRequest, pk: int, change_pk: int) -> HttpResponse:
    change = get_object_or_404(
        SchemaChange.objects.select_related("connection__team", "snapshot"),
        pk=change_pk,
        connection_id=pk,
    )
    change.connection.team.require_edit(request.user, to="undo a rename")
    try:
        change_history.undo_rename(change)
    except change_history.CannotUndo as exc:
        messages.error(request, str(exc))
    else:
        # Waivers went with the guessed new name; like the docs, they go back.
        if change.kind == "column_renamed":
            move_waivers(
                pk, f"{change.table}.{change.after}", f"{change.table}.{change.before}", table=False
            )
        else:
            move_waivers(pk, change.after or change.table, change.before, table=True)
        # The changes theme reads the history: score the latest snapshot again.
        transaction.on_commit(lambda: rescore_connection_task.delay(pk))
        messages.success(
            request,
            f"{change.before} -> {change.after} is now recorded as a drop and an add; "
            f"the documentation stays with {change.before}.",
        )
    return redirect("catalog:connection_changes", pk=pk)


# Watching ------------------------------------------------------------------------------


def _toggle_watch(request: SignedInRequest, **target: object) -> None:
    watches = Watch.objects.filter(user=request.user, **target)
    if request.POST.get("action") == "unwatch":
        watches.delete()
        return
    try:
        with transaction.atomic():
            Watch.objects.create(user=request.user, **target)
    except IntegrityError:
        pass  # already watched (a double click): nothing to add


@require_http_methods(["GET", "POST"])
def connection_watch(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk)
    target = {"connection": connection, "table": None, "column": None}
    if request.method == "POST":
        _toggle_watch(request, **target)
        if not request.htmx:
            return redirect(connection)
    context = {
        "connection": connection,
        "watching": Watch.objects.filter(user=request.user, **target).exists(),
    }
    return render(request, "catalog/_watch.html#connection_watch", context)


@require_http_methods(["GET", "POST"])
def table_watch(request: SignedInRequest, pk: int, table_pk: int) -> HttpResponse:
    table = get_object_or_404(
        Table.objects.select_related("connection"), pk=table_pk, connection_id=pk
    )
    if request.method == "POST":
        column = None
        if request.POST.get("column"):
            column = get_object_or_404(Column, pk=request.POST["column"], table=table)
        _toggle_watch(request, connection=table.connection, table=table, column=column)
        if not request.htmx:
            return redirect(table)
    watches = Watch.objects.filter(user=request.user, table=table).select_related("column")
    watched_columns = [w.column for w in watches if w.column_id]
    watched_ids = {c.pk for c in watched_columns}  # type: ignore[union-attr]
    context = {
        "connection": table.connection,
        "table": table,
        "watching": any(w.column_id is None for w in watches),
        "watched_columns": watched_columns,
        "columns": [
            c
            for c in table.columns.filter(dropped_in__isnull=True).only("id", "name", "position")
            if c.pk not in watched_ids
        ],
    }
    return render(request, "catalog/_watch.html#table_watch", context)


@require_GET
def account(request: SignedInRequest) -> HttpResponse:
    """The signed-in user's own page: what they watch."""
    watches = Watch.objects.filter(user=request.user).select_related(
        "connection", "table", "column"
    )
    return render(request, "catalog/account.html", {"watches": watches})


@require_POST
def unwatch(request: SignedInRequest, watch_pk: int) -> HttpResponse:
    Watch.objects.filter(pk=watch_pk, user=request.user).delete()
    return redirect("account")
