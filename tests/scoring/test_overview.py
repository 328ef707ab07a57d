"""The overview home page: a person's teams, failing snapshots and documentation worklist."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Connection, Table, Team
from tests.scoring.test_views import scored_connection

pytestmark = pytest.mark.django_db


def test_the_home_page_is_the_overview_of_the_persons_teams(
    member_client, make_connection, sqlite_target
):
    shop = scored_connection(make_connection, sqlite_target)
    other = Team.objects.create(name="Billing", slug="billing")
    scored_connection(make_connection, sqlite_target, name="billing", team=other)
    Connection.objects.filter(pk=shop.pk).update(
        last_status=Connection.Status.FAILED, last_error="could not connect to server"
    )
    Table.objects.filter(connection=shop, name="t0001").update(description="Documented.")

    response = member_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Overview</h1>" in html
    assert "Shop backend" in html and "Billing" not in html  # only their teams
    assert 'id="breaking-changes"' in html
    failing = html[html.index('id="failing"') : html.index('id="worklist"')]
    assert "shop" in failing and "could not connect to server" in failing
    worklist = html[html.index('id="worklist"') :]
    assert "main.t0000" in worklist and "main.t0001" not in worklist
    # The connection list is one click away.
    assert f'href="{reverse("catalog:connection_list")}"' in html


def test_signing_in_lands_on_the_overview(client, member):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )
    assert response["Location"] == reverse("overview") == "/"


def test_the_overview_issues_the_same_queries_for_one_or_many_connections(
    member_client, make_connection, sqlite_target
):
    def count() -> int:
        member_client.get("/")
        with CaptureQueriesContext(db_connection) as ctx:
            assert member_client.get("/").status_code == 200
        return len(ctx.captured_queries)

    scored_connection(make_connection, sqlite_target, name="a")
    one = count()
    for n in range(3):
        scored_connection(make_connection, sqlite_target, name=f"b{n}", tables=20)
        team2 = Team.objects.create(name=f"T{n}", slug=f"t{n}")
        team2.members.add(User.objects.get(username="alice"))
        scored_connection(make_connection, sqlite_target, name=f"c{n}", team=team2)
    assert count() == one
