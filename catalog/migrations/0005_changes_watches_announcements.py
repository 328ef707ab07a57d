"""Change history: SchemaChange rows per snapshot, announcements, watches, the changes window."""

from __future__ import annotations

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_search_trigram"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="connection",
            name="changes_window_days",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="Overrides the team's changes window (days).", null=True
            ),
        ),
        migrations.AddField(
            model_name="team",
            name="changes_window_days",
            field=models.PositiveSmallIntegerField(
                default=90, help_text="Days of change history the changes theme scores."
            ),
        ),
        migrations.CreateModel(
            name="Announcement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("table_added", "table added"),
                            ("table_dropped", "table dropped"),
                            ("table_renamed", "table renamed"),
                            ("column_added", "column added"),
                            ("column_dropped", "column dropped"),
                            ("column_renamed", "column renamed"),
                            ("type_changed", "type changed"),
                            ("nullability_changed", "nullability changed"),
                            ("default_changed", "default changed"),
                            ("primary_key_changed", "primary key changed"),
                            ("foreign_key_added", "foreign key added"),
                            ("foreign_key_dropped", "foreign key dropped"),
                            ("unique_added", "unique added"),
                            ("unique_dropped", "unique dropped"),
                            ("index_added", "index added"),
                            ("index_dropped", "index dropped"),
                            ("comment_changed", "comment changed"),
                            ("view_changed", "view changed"),
                            ("enum_values_changed", "enum values changed"),
                        ],
                        max_length=30,
                    ),
                ),
                ("object", models.CharField(max_length=800)),
                ("table", models.CharField(max_length=520)),
                ("breaking", models.BooleanField(default=False)),
                ("before", models.TextField(blank=True)),
                ("after", models.TextField(blank=True)),
                ("reason", models.TextField(blank=True)),
                ("message", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("matched_at", models.DateTimeField(blank=True, null=True)),
                (
                    "connection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="announcements",
                        to="catalog.connection",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SchemaChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("detected_at", models.DateTimeField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("table_added", "table added"),
                            ("table_dropped", "table dropped"),
                            ("table_renamed", "table renamed"),
                            ("column_added", "column added"),
                            ("column_dropped", "column dropped"),
                            ("column_renamed", "column renamed"),
                            ("type_changed", "type changed"),
                            ("nullability_changed", "nullability changed"),
                            ("default_changed", "default changed"),
                            ("primary_key_changed", "primary key changed"),
                            ("foreign_key_added", "foreign key added"),
                            ("foreign_key_dropped", "foreign key dropped"),
                            ("unique_added", "unique added"),
                            ("unique_dropped", "unique dropped"),
                            ("index_added", "index added"),
                            ("index_dropped", "index dropped"),
                            ("comment_changed", "comment changed"),
                            ("view_changed", "view changed"),
                            ("enum_values_changed", "enum values changed"),
                        ],
                        max_length=30,
                    ),
                ),
                ("object", models.CharField(max_length=800)),
                ("table", models.CharField(max_length=520)),
                ("schema", models.CharField(max_length=255)),
                ("before", models.TextField(blank=True)),
                ("after", models.TextField(blank=True)),
                ("breaking", models.BooleanField(default=False)),
                ("reason", models.TextField(blank=True)),
                ("probable", models.BooleanField(default=False)),
                ("transition", models.BooleanField(default=False)),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "announcement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="changes",
                        to="catalog.announcement",
                    ),
                ),
                (
                    "connection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="catalog.connection",
                    ),
                ),
                (
                    "snapshot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="catalog.snapshot",
                    ),
                ),
            ],
            options={
                "ordering": ["-detected_at", "-snapshot_id", "position"],
            },
        ),
        migrations.CreateModel(
            name="Watch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "column",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="watches",
                        to="catalog.column",
                    ),
                ),
                (
                    "connection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="watches",
                        to="catalog.connection",
                    ),
                ),
                (
                    "table",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="watches",
                        to="catalog.table",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="watches",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="announcement",
            index=models.Index(fields=["connection", "kind", "object"], name="announcement_match"),
        ),
        migrations.AddIndex(
            model_name="announcement",
            index=models.Index(fields=["connection", "-created_at"], name="announcement_recent"),
        ),
        migrations.AddIndex(
            model_name="schemachange",
            index=models.Index(fields=["connection", "-detected_at"], name="change_history"),
        ),
        migrations.AddIndex(
            model_name="schemachange",
            index=models.Index(
                fields=["connection", "breaking", "-detected_at"], name="change_breaking"
            ),
        ),
        migrations.AddIndex(
            model_name="schemachange",
            index=models.Index(fields=["connection", "table", "-detected_at"], name="change_table"),
        ),
        migrations.AddIndex(
            model_name="schemachange",
            index=models.Index(fields=["connection", "kind", "object"], name="change_kind_object"),
        ),
        migrations.AddIndex(
            model_name="schemachange",
            index=models.Index(
                condition=models.Q(("breaking", True)),
                fields=["-detected_at"],
                name="change_breaking_feed",
            ),
        ),
        migrations.AddIndex(
            model_name="watch",
            index=models.Index(fields=["connection"], name="watch_connection"),
        ),
        migrations.AddConstraint(
            model_name="watch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("column__isnull", True), ("table__isnull", True)),
                fields=("user", "connection"),
                name="watch_one_per_connection",
            ),
        ),
        migrations.AddConstraint(
            model_name="watch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("column__isnull", True), ("table__isnull", False)),
                fields=("user", "table"),
                name="watch_one_per_table",
            ),
        ),
        migrations.AddConstraint(
            model_name="watch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("column__isnull", False)),
                fields=("user", "column"),
                name="watch_one_per_column",
            ),
        ),
        migrations.AddConstraint(
            model_name="watch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("column__isnull", True), ("table__isnull", False), _connector="OR"
                ),
                name="watch_column_has_table",
            ),
        ),
    ]
