"""The findings pages read findings alone: no snapshot row joined per finding.

Joining each finding's opening and resolving snapshots (never shown) made the findings page
of a 5,000-table schema take 408 ms instead of 109 (bench/README.md, Load).
"""

from __future__ import annotations

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Table
from catalog.snapshots import take_snapshot
from scoring.runs import score_snapshot

pytestmark = pytest.mark.django_db

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, signed_up DATE);
CREATE TABLE audit_log (message TEXT, logged_at TEXT);
"""


def finding_queries(client, url: str, **extra) -> list[str]:
    with CaptureQueriesContext(db_connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "scoring_finding" in q["sql"]]


def test_findings_pages_join_no_snapshot(member_client, make_connection, sqlite_target):
    connection = make_connection(sqlite_target(SCHEMA, name="shop.db"), name="shop")
    score_snapshot(take_snapshot(connection))
    table = Table.objects.get(connection=connection, name="customers")
    pages = [
        (reverse("scoring:findings", args=[connection.pk]), {}),
        (reverse("scoring:findings", args=[connection.pk]) + "?status=all", {}),
        (
            reverse("scoring:table_findings", args=[connection.pk, table.pk]),
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    for url, extra in pages:
        html = member_client.get(url, **extra).content.decode()
        assert "main.customers.signed_up" in html  # the page lists findings
        queries = finding_queries(member_client, url, **extra)
        assert queries, url
        assert not [q for q in queries if "catalog_snapshot" in q], url
