from __future__ import annotations

from django.urls import path

from catalog.views import changes as change_views
from catalog.views import connections as views
from catalog.views import diagrams as diagram_views
from catalog.views import docs as doc_views
from catalog.views import lineage as lineage_views

app_name = "catalog"

urlpatterns = [
    path("connections/", views.connection_list, name="connection_list"),
    path("connections/new/", views.connection_create, name="connection_create"),
    path("connections/<int:pk>/", views.connection_detail, name="connection_detail"),
    path("connections/<int:pk>/edit/", views.connection_edit, name="connection_edit"),
    path("connections/<int:pk>/delete/", views.connection_delete, name="connection_delete"),
    path("connections/<int:pk>/snapshot/", views.snapshot_now, name="snapshot_now"),
    path("connections/<int:pk>/status/", views.snapshot_status, name="snapshot_status"),
    path("connections/<int:pk>/test/", views.connection_test, name="connection_test"),
    path("connections/<int:pk>/tables/<int:table_pk>/", views.table_detail, name="table_detail"),
    path(
        "connections/<int:pk>/diagram/", diagram_views.connection_diagram, name="connection_diagram"
    ),
    path(
        "connections/<int:pk>/diagrams/<slug:key>/",
        diagram_views.diagram_status,
        name="diagram_status",
    ),
    path(
        "connections/<int:pk>/diagrams/<slug:key>/file/",
        diagram_views.diagram_file,
        name="diagram_file",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/diagram/",
        diagram_views.table_diagram,
        name="table_diagram",
    ),
    # Documentation (catalog/views/docs.py)
    path("search/", doc_views.search, name="search"),
    path("docs/preview/", doc_views.doc_preview, name="doc_preview"),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/doc/",
        doc_views.doc_display,
        name="table_doc",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/doc/edit/",
        doc_views.doc_edit,
        name="table_doc_edit",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/columns/<int:column_pk>/doc/",
        doc_views.doc_display,
        name="column_doc",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/columns/<int:column_pk>/doc/edit/",
        doc_views.doc_edit,
        name="column_doc_edit",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/history/",
        doc_views.doc_history,
        name="doc_history",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/history/<int:revision_pk>/revert/",
        doc_views.doc_revert,
        name="doc_revert",
    ),
    path("connections/<int:pk>/comment-sql/", doc_views.comment_sql_view, name="comment_sql"),
    path("connections/<int:pk>/dbt/sources.yml", doc_views.dbt_export, name="dbt_export"),
    path("connections/<int:pk>/dbt/import/", doc_views.dbt_import, name="dbt_import"),
    path(
        "connections/<int:pk>/dbt/import/apply/",
        doc_views.dbt_import_apply,
        name="dbt_import_apply",
    ),
    path("connections/<int:pk>/coverage/", doc_views.coverage, name="docs_coverage"),
    path("connections/<int:pk>/undocumented/", doc_views.undocumented, name="undocumented"),
    path("connections/<int:pk>/dbt/lineage/", lineage_views.dbt_lineage, name="dbt_lineage"),
    # Change history and watching (catalog/views/changes.py)
    path(
        "connections/<int:pk>/changes/", change_views.connection_changes, name="connection_changes"
    ),
    path(
        "connections/<int:pk>/changes/<int:change_pk>/undo/",
        change_views.undo_rename,
        name="undo_rename",
    ),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/changes/",
        change_views.table_changes,
        name="table_changes",
    ),
    path("connections/<int:pk>/watch/", change_views.connection_watch, name="connection_watch"),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/watch/",
        change_views.table_watch,
        name="table_watch",
    ),
    path("watches/<int:watch_pk>/unwatch/", change_views.unwatch, name="unwatch"),
]
