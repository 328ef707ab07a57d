"""Pages through the test client: full pages, htmx fragments, permissions, escaping."""

from __future__ import annotations

import re

import pytest
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Connection, Snapshot, Table, Team
from catalog.snapshots import take_snapshot

pytestmark = pytest.mark.django_db

HOSTILE = "<b>\"x\"</b> & 'y'"


def chain(tables: int = 3) -> str:
    """DDL of tables t0000 <- t0001 <- ... and one with a hostile name."""
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    return "\n".join(
        [
            f"CREATE TABLE t{i:04d} (id INTEGER PRIMARY KEY, name TEXT, parent_id INTEGER "
            f"REFERENCES t{max(i - 1, 0):04d}(id), created_at TIMESTAMP);"
            for i in range(tables)
        ]
        + [f"CREATE TABLE {quoted} ({quoted} TEXT);"]
    )


@pytest.fixture
def shop(make_connection, sqlite_target):
    return make_connection(sqlite_target(chain()))


def test_pages_require_login(shop):
    client = Client()
    for url in [
        reverse("catalog:connection_list"),
        shop.get_absolute_url(),
        reverse("catalog:connection_create"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_connection_list_shows_status_and_never_the_password(member_client, make_connection):
    make_connection("postgresql://app:hunter2@db.internal:5432/shop", name="prod")

    html = member_client.get(reverse("catalog:connection_list")).content.decode()

    assert "prod" in html
    assert "postgresql://app:***@db.internal:5432/shop" in html
    assert "hunter2" not in html
    assert "Not snapshotted yet" in html


def test_member_adds_a_connection_and_the_string_is_never_rendered_back(member_client, team):
    response = member_client.post(
        reverse("catalog:connection_create"),
        {
            "name": "orders",
            "team": team.pk,
            "dsn": "postgresql://u:hunter2@h:5432/d",
            "schedule_interval": "3600",
            "enabled": "on",
        },
    )
    connection = Connection.objects.get(name="orders")
    assert response.status_code == 302
    assert connection.get_dsn() == "postgresql://u:hunter2@h:5432/d"

    edit = member_client.get(
        reverse("catalog:connection_edit", args=[connection.pk])
    ).content.decode()
    assert "hunter2" not in edit
    detail = member_client.get(connection.get_absolute_url()).content.decode()
    assert "hunter2" not in detail


def test_bad_connection_string_is_refused_with_a_reason(member_client, team):
    response = member_client.post(
        reverse("catalog:connection_create"),
        {
            "name": "x",
            "team": team.pk,
            "dsn": "oracle://u:hunter2@h/d",
            "schedule_interval": "3600",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "postgresql://, mysql://" in html
    assert "hunter2" not in html
    assert not Connection.objects.filter(name="x").exists()


def test_editing_without_a_new_string_keeps_the_stored_one(member_client, shop):
    before = shop.get_dsn()
    member_client.post(
        reverse("catalog:connection_edit", args=[shop.pk]),
        {"name": "shop2", "team": shop.team_id, "dsn": "", "schedule_interval": "86400"},
    )
    shop.refresh_from_db()
    assert (shop.name, shop.get_dsn(), shop.schedule_interval.days) == ("shop2", before, 1)


def test_snapshot_now_returns_the_status_fragment_and_runs_the_task(
    member_client, shop, django_capture_on_commit_callbacks
):
    url = reverse("catalog:snapshot_now", args=[shop.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="status"' in html and "<html" not in html
    assert "every 2s" in html  # queued: the fragment polls until it is done
    snapshot = Snapshot.objects.get(connection=shop)
    assert snapshot.succeeded and snapshot.table_count == 4

    status = member_client.get(
        reverse("catalog:snapshot_status", args=[shop.pk]), HTTP_HX_REQUEST="true"
    )
    assert "every 2s" not in status.content.decode()
    assert "OK" in status.content.decode()


def test_snapshot_now_twice_is_refused_while_queued(member_client, shop):
    url = reverse("catalog:snapshot_now", args=[shop.pk])
    member_client.post(url, HTTP_HX_REQUEST="true")  # on_commit never fires: stays queued
    response = member_client.post(url, HTTP_HX_REQUEST="true")
    assert "already queued or running" in response.content.decode()


def test_outsiders_cannot_write(outsider_client, shop):
    for name in ["snapshot_now", "connection_test", "connection_edit"]:
        response = outsider_client.post(reverse(f"catalog:{name}", args=[shop.pk]))
        assert response.status_code == 403, name
    shop.refresh_from_db()
    assert shop.last_status == Connection.Status.NEW
    # ...but may read.
    assert outsider_client.get(shop.get_absolute_url()).status_code == 200


def test_test_connection_reports_the_posture(member_client, shop):
    response = member_client.post(
        reverse("catalog:connection_test", args=[shop.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert '<div id="probe">' in html
    assert "Read-only role" in html  # SQLite is opened with mode=ro
    assert ">Test connection</button>" in html  # and it can be run again


def test_a_refused_form_keeps_the_connection_string_masked_and_uses_it_on_resubmit(
    member_client, team
):
    url = reverse("catalog:connection_create")
    form = {
        "name": "x" * 81,
        "team": team.pk,
        "dsn": "postgresql://u:hunter2@h:5432/d",
        "schedule_interval": "3600",
    }
    response = member_client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 200 and "at most 80 characters" in html
    assert "Connection string kept: <code>postgresql://u:***@h:5432/d</code>" in html
    assert "hunter2" not in html
    token = re.search(r'name="dsn_kept" value="([^"]+)"', html).group(1)

    response = member_client.post(url, {**form, "name": "orders", "dsn": "", "dsn_kept": token})
    assert response.status_code == 302
    assert Connection.objects.get(name="orders").get_dsn() == "postgresql://u:hunter2@h:5432/d"


def test_a_new_connection_needs_a_string_and_a_forged_kept_one_does_not_count(member_client, team):
    response = member_client.post(
        reverse("catalog:connection_create"),
        {
            "name": "y",
            "team": team.pk,
            "dsn": "",
            "dsn_kept": "forged",
            "schedule_interval": "3600",
        },
    )
    assert "Enter the connection string." in response.content.decode()
    assert not Connection.objects.filter(name="y").exists()


def test_table_list_filters_as_an_htmx_fragment(member_client, shop):
    take_snapshot(shop)
    response = member_client.get(shop.get_absolute_url(), {"q": "t0001"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<div id="tables"' in html and "<html" not in html
    assert "main.t0001" in html and "main.t0002" not in html


def test_hostile_identifiers_are_escaped_everywhere(member_client, shop):
    take_snapshot(shop)
    table = Table.objects.get(connection=shop, name=HOSTILE)
    pages = [
        member_client.get(shop.get_absolute_url()).content.decode(),
        member_client.get(table.get_absolute_url()).content.decode(),
    ]
    for html in pages:
        assert "<b>" not in html
        assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; &#x27;y&#x27;" in html


def test_table_page_shows_columns_keys_and_foreign_keys(member_client, shop):
    take_snapshot(shop)
    table = Table.objects.get(connection=shop, name="t0002")
    html = member_client.get(table.get_absolute_url()).content.decode()
    parent = Table.objects.get(connection=shop, name="t0001")
    assert "parent_id" in html and "created_at" in html
    assert 'title="primary key">PK' in html
    assert f'href="{parent.get_absolute_url()}"' in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(db_connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_issue_the_same_number_of_queries_for_10_and_1000_tables(
    member_client, make_connection, sqlite_target
):
    counts = []
    for n in (10, 1000):
        connection = make_connection(sqlite_target(chain(n), name=f"db{n}.db"), name=f"db{n}")
        take_snapshot(connection)
        take_snapshot(connection)  # a history of two
        table = Table.objects.get(connection=connection, name="t0005")
        counts.append(
            (
                count_queries(member_client, connection.get_absolute_url()),
                count_queries(member_client, table.get_absolute_url()),
                count_queries(member_client, reverse("catalog:connection_list")),
            )
        )
    assert counts[0] == counts[1]


def test_a_new_connection_defaults_to_the_only_team_and_asks_when_there_are_several(
    member_client, member, team
):
    url = reverse("catalog:connection_create")
    html = member_client.get(url).content.decode()
    assert f'<option value="{team.pk}" selected>' in html
    other = Team.objects.create(name="Billing", slug="billing")
    other.members.add(member)
    html = member_client.get(url).content.decode()
    assert '<option value="" selected>Choose a team</option>' in html
    assert "selected>Shop backend" not in html
