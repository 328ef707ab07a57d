"""Trigram indexes for catalog search (catalog/search.py), on PostgreSQL only.

Each index covers exactly an expression search_catalog() filters on, so that
LIKE '%TERM%' reads the index: the name (Django's icontains compiles to
UPPER(name::text) LIKE UPPER(...)) and the whole searchable text (SearchText).
SQLite, the embedded default, gets nothing: both operations check the vendor.
"""

from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

NAME = "UPPER(name::text)"
SEARCH_TEXT = "UPPER(name || ' ' || description || ' ' || comment || ' ' || dbt_description)"
INDEXES = {
    "catalog_table_name_trgm": ("catalog_table", NAME),
    "catalog_table_search_trgm": ("catalog_table", SEARCH_TEXT),
    "catalog_column_name_trgm": ("catalog_column", NAME),
    "catalog_column_search_trgm": ("catalog_column", SEARCH_TEXT),
}


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_last_seen_set_when_dropped")]

    operations = [
        # A no-op on other databases (CreateExtension checks the vendor itself).
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
