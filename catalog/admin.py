from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.connections import delete_connection, probe_connection
from catalog.forms import ConnectionForm
from catalog.models import (
    Announcement,
    Column,
    Connection,
    SchemaChange,
    SchemaDocument,
    Snapshot,
    Table,
    Team,
    Watch,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    search_fields = ["name"]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = [
        "name",
        "team",
        "dialect",
        "dsn_redacted",
        "last_status",
        "last_snapshot_at",
        "enabled",
    ]
    list_filter = ["team", "dialect", "last_status", "enabled"]
    search_fields = ["name"]
    readonly_fields = [
        "dialect",
        "dsn_redacted",
        "last_status",
        "last_error",
        "last_snapshot_at",
        "server_version",
        "write_privileges",
        "probed_at",
    ]
    actions = ["test_connection"]

    def get_fields(  # type: ignore[override]
        self, request: HttpRequest, obj: Connection | None = None
    ) -> list[str]:
        return [
            "name",
            "team",
            "dsn",
            "schedule_interval",
            "sampling_enabled",
            "enabled",
            "changes_window_days",
            *self.readonly_fields,
        ]

    def save_model(
        self, request: HttpRequest, obj: Connection, form: ConnectionForm, change: bool
    ) -> None:
        form.save()  # saves only the edited fields (see ConnectionForm.save)

    def delete_model(self, request: HttpRequest, obj: Connection) -> None:
        delete_connection(obj)  # with the schema documents no other snapshot shares

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Connection]) -> None:
        for connection in queryset:
            delete_connection(connection)

    @admin.action(description="Test connection (read-only probe)")
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Connection]) -> None:
        for connection in queryset:
            result = probe_connection(connection)
            if "error" in result:
                self.message_user(request, f"{connection.name}: {result['error']}", messages.ERROR)
                continue
            probe = result["probe"]
            if probe.can_write:
                self.message_user(
                    request,
                    f"{connection.name}: connected ({probe.server_version}), but the role can write: "
                    + "; ".join(probe.write_privileges)
                    + ". Use a read-only role.",
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    f"{connection.name}: connected ({probe.server_version}); "
                    "the role is read-only.",
                    messages.SUCCESS,
                )


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "connection",
        "started_at",
        "status",
        "table_count",
        "column_count",
        "duration",
        "changed",
    ]
    list_filter = ["status", "connection"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["connection", "schema", "name", "kind", "dropped_in"]
    list_filter = ["connection", "kind"]
    search_fields = ["name", "description"]
    readonly_fields = [
        "connection",
        "schema",
        "name",
        "kind",
        "ident",
        "comment",
        "row_estimate",
        "column_count",
        "structure",
        "first_seen",
        "last_seen",
        "dropped_in",
    ]


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["table", "name", "data_type", "dropped_in"]
    search_fields = ["name", "description"]
    list_select_related = ["table"]
    readonly_fields = [
        "table",
        "name",
        "position",
        "ident",
        "data_type",
        "type_family",
        "nullable",
        "default",
        "identity",
        "generated",
        "comment",
        "first_seen",
        "last_seen",
        "dropped_in",
    ]


admin.site.register(SchemaDocument)
admin.site.site_header = "SchemaJoy administration"


@admin.register(SchemaChange)
class SchemaChangeAdmin(admin.ModelAdmin):
    """The history is what snapshots saw: read-only here (undo a guessed rename on its page)."""

    list_display = ["detected_at", "connection", "kind", "object", "breaking", "announcement"]
    list_filter = ["breaking", "kind", "connection"]
    search_fields = ["object"]
    list_select_related = ["connection", "announcement"]
    readonly_fields = [f.name for f in SchemaChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["created_at", "connection", "kind", "object", "created_by", "matched_at"]
    list_filter = ["connection", "kind"]
    search_fields = ["object", "message"]
    readonly_fields = [f.name for f in Announcement._meta.fields if f.name != "message"]


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["user", "connection", "table", "column", "created_at"]
    list_select_related = ["user", "connection", "table", "column"]
    raw_id_fields = ["table", "column"]
