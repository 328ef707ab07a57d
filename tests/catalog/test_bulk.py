from __future__ import annotations

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.bulk import update_objects
from catalog.models import Snapshot, Table

pytestmark = pytest.mark.django_db


def test_update_objects_writes_text_json_foreign_keys_and_nulls_in_one_statement(make_connection):
    connection = make_connection("sqlite:///unused.db", name="bulk")
    first, later = (
        Snapshot.objects.create(connection=connection, started_at=timezone.now()) for _ in range(2)
    )
    tables = [
        Table.objects.create(
            connection=connection, schema="public", name=f"t{i}", kind="table", first_seen=first
        )
        for i in range(3)
    ]
    a, b, untouched = tables
    a.name, a.structure, a.row_estimate, a.dropped_in = 'we"ird é', {"pk": ["id"]}, 10**12, later
    b.structure, b.row_estimate, b.comment = {}, None, "it's"
    with CaptureQueriesContext(db_connection) as ctx:
        update_objects([a, b], ["name", "structure", "row_estimate", "dropped_in", "comment"])
    assert len(ctx.captured_queries) == 1
    got = {t.pk: t for t in Table.objects.filter(connection=connection)}
    assert (got[a.pk].name, got[a.pk].structure, got[a.pk].row_estimate) == (
        'we"ird é',
        {"pk": ["id"]},
        10**12,
    )
    assert got[a.pk].dropped_in_id == later.pk
    assert (got[b.pk].structure, got[b.pk].row_estimate, got[b.pk].comment) == ({}, None, "it's")
    assert (got[untouched.pk].name, got[untouched.pk].dropped_in_id) == ("t2", None)
    update_objects([], ["name"])  # nothing to do, no query
