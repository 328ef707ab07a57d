"""Awkward identifiers survive introspection, storage and the pages, escaped."""

from __future__ import annotations

import pytest
from psycopg import sql

from catalog.models import Column, Table
from catalog.snapshots import take_snapshot

pytestmark = pytest.mark.django_db

NAMES = [
    'say "cheese"',
    "with space",
    "dot.ted",
    "ünïcödé_表",
    "x" * 63,
    "select",
    "<script>alert(1)</script>",
    "<b>\"x\"</b> & 'y'",
]


def test_awkward_names_survive_snapshot_storage_and_pages(
    pg_target, member_client, make_connection
):
    pg_target.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier("Odd Schema")))
    for i, name in enumerate(NAMES):
        pg_target.execute(
            sql.SQL("CREATE TABLE {}.{} ({} int PRIMARY KEY, {} text)").format(
                sql.Identifier("Odd Schema"),
                sql.Identifier(name),
                sql.Identifier(name),
                sql.Identifier(f"c{i}"),
            )
        )
    connection = make_connection(pg_target.dsn, name="odd")

    snapshot = take_snapshot(connection)

    assert snapshot.succeeded, snapshot.error_message
    stored = set(Table.objects.filter(connection=connection).values_list("schema", "name"))
    assert stored == {("Odd Schema", name) for name in NAMES}
    assert set(
        Column.objects.filter(table__connection=connection, position=1).values_list(
            "name", flat=True
        )
    ) == set(NAMES)
    pages = [
        member_client.get(connection.get_absolute_url(), {"page": p}).content.decode() for p in (1,)
    ]
    pages += [
        member_client.get(t.get_absolute_url()).content.decode()
        for t in Table.objects.filter(connection=connection)
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert '<b>"x"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "say &quot;cheese&quot;" in pages[0]
    assert "ünïcödé_表" in pages[0]
    assert "x" * 63 in pages[0]
