"""dbt lineage of a connection: what is kept, and the upload of a new manifest.json."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from catalog.http import SignedInRequest
from catalog.lineage import LineageError, read_lineage, store_lineage
from catalog.models import Connection, DbtLineage


@require_http_methods(["GET", "POST"])
def dbt_lineage(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET: the tables dbt sources read and the models downstream. POST: a new manifest."""
    connection = get_object_or_404(Connection.objects.select_related("team"), pk=pk)
    can_edit = connection.team.can_edit(request.user)
    error = ""
    if request.method == "POST":
        connection.team.require_edit(request.user, to="upload lineage")
        upload = request.FILES.get("manifest")
        if upload is None:
            error = "Choose the dbt project's target/manifest.json to upload."
        elif (upload.size or 0) > settings.SCHEMAJOY_UPLOAD_MAX_BYTES:
            error = f"Uploads are limited to {settings.SCHEMAJOY_UPLOAD_MAX_BYTES // 2**20} MB."
        else:
            try:
                lineage = read_lineage(upload.read(), name=upload.name or "manifest.json")
            except LineageError as exc:
                error = str(exc)
            else:
                store_lineage(connection, lineage, file_name=upload.name or "", user=request.user)
                messages.success(
                    request,
                    f"Kept the lineage of {len(lineage['tables'])} tables read by dbt sources.",
                )
                return redirect("catalog:dbt_lineage", connection.pk)
    stored = DbtLineage.objects.filter(connection=connection).select_related("imported_by").first()
    tables = sorted((stored.document.get("tables") or {}).items()) if stored else []
    return render(
        request,
        "catalog/dbt_lineage.html",
        {
            "connection": connection,
            "lineage": stored,
            "tables": tables,
            "can_edit": can_edit,
            "error": error,
        },
        status=400 if error else 200,
    )
