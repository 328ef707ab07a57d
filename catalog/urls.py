from __future__ import annotations

from django.urls import path

from catalog.views import connections as views

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
]
