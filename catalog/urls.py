from __future__ import annotations

from django.urls import path

from catalog.views import connections as views
from catalog.views import diagrams as diagram_views

app_name = "catalog"

urlpatterns = [
    path("", views.connection_list, name="connection_list"),
    path("connections/new/", views.connection_create, name="connection_create"),
    path("connections/<int:pk>/", views.connection_detail, name="connection_detail"),
    path("connections/<int:pk>/edit/", views.connection_edit, name="connection_edit"),
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
]
