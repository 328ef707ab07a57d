"""The Changes tab, a table's history, the breaking-changes feed, watching, undoing a rename."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import (
    Announcement,
    Column,
    Connection,
    SchemaChange,
    Snapshot,
    Table,
    Watch,
)

pytestmark = pytest.mark.django_db


def make_snapshot(connection: Connection, *, days_ago: float = 0) -> Snapshot:
    at = timezone.now() - timedelta(days=days_ago)
    return Snapshot.objects.create(
        connection=connection,
        started_at=at,
        finished_at=at,
        status=Snapshot.Status.SUCCEEDED,
        fingerprint=f"{connection.pk:04d}{days_ago:060.3f}",
    )


def add_change(snapshot: Snapshot, kind: str, obj: str, *, breaking: bool, **extra) -> SchemaChange:
    table = extra.pop("table", ".".join(obj.split(".")[:2]))
    return SchemaChange.objects.create(
        connection=snapshot.connection,
        snapshot=snapshot,
        detected_at=snapshot.finished_at,
        kind=kind,
        object=obj,
        table=table,
        schema=table.split(".")[0],
        breaking=breaking,
        reason=extra.pop("reason", f"{kind} reason"),
        **extra,
    )


@pytest.fixture
def history(make_connection) -> Connection:
    connection = make_connection()
    old = make_snapshot(connection, days_ago=10)
    new = make_snapshot(connection, days_ago=1)
    Table.objects.create(
        connection=connection, schema="main", name="products", kind="table", first_seen=old
    )
    add_change(old, "column_added", "main.orders.note", breaking=False, after="TEXT", position=1)
    add_change(old, "column_dropped", "main.orders.shipped_at", breaking=True, before="DATE")
    add_change(
        new,
        "column_renamed",
        "main.products.synopsis",
        breaking=True,
        before="description",
        after="synopsis",
        probable=True,
    )
    add_change(new, "index_added", "main.audit", breaking=False, after="(at)", position=1)
    return connection


def changes_url(connection: Connection, **params: str) -> str:
    url = reverse("catalog:connection_changes", args=[connection.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_changes_tab_lists_changes_per_snapshot_newest_first_breaking_marked(
    member_client, history
):
    response = member_client.get(changes_url(history))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Changes · shop" in html
    order = [
        html.index(obj)
        for obj in (
            "main.products.synopsis",
            "main.audit",
            "main.orders.shipped_at",
            "main.orders.note",
        )
    ]
    assert order == sorted(order)
    assert html.count('class="badge danger">breaking<') == 2
    assert "probable rename" in html
    # A change links to its live table's page.
    products = Table.objects.get(name="products")
    assert f'href="{products.get_absolute_url()}"' in html


def test_changes_tab_filters_breaking_kind_schema_table_and_dates(member_client, history):
    def objects(**params: str) -> list[str]:
        response = member_client.get(changes_url(history, **params), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        return [
            o
            for o in (
                "main.products.synopsis",
                "main.audit",
                "main.orders.shipped_at",
                "main.orders.note",
            )
            if o in html
        ]

    assert objects(breaking="on") == ["main.products.synopsis", "main.orders.shipped_at"]
    assert objects(kind="column_added") == ["main.orders.note"]
    assert objects(table="main.orders") == ["main.orders.shipped_at", "main.orders.note"]
    assert objects(table="products") == ["main.products.synopsis"]
    assert objects(schema="other") == []
    since = (timezone.now() - timedelta(days=3)).date().isoformat()
    assert objects(since=since) == ["main.products.synopsis", "main.audit"]
    until = (timezone.now() - timedelta(days=5)).date().isoformat()
    assert objects(until=until) == ["main.orders.shipped_at", "main.orders.note"]


def test_the_htmx_request_gets_only_the_fragment(member_client, history):
    response = member_client.get(changes_url(history, breaking="on"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="changes">')
    assert "<html" not in html


def test_a_bad_date_range_says_so_and_lists_everything(member_client, history):
    response = member_client.get(changes_url(history, since="2026-12-10", until="2026-12-01"))
    html = response.content.decode()
    assert "The start date is after the end date." in html
    assert "main.orders.note" in html


def test_changes_tab_paginates(member_client, make_connection):
    connection = make_connection(name="big")
    snapshot = make_snapshot(connection)
    for i in range(60):
        add_change(snapshot, "column_added", f"main.t.c{i:02d}", breaking=False, position=i)
    first = member_client.get(changes_url(connection)).content.decode()
    assert "page 1 of 2 (60 changes)" in first
    assert "main.t.c00" in first and "main.t.c59" not in first
    second = member_client.get(changes_url(connection, page="2"), HTTP_HX_REQUEST="true")
    assert "main.t.c59" in second.content.decode()


def test_changes_tab_issues_a_constant_number_of_queries(member_client, make_connection):
    def count(n: int) -> int:
        connection = make_connection(name=f"c{n}")
        for s in range(3):
            snapshot = make_snapshot(connection, days_ago=s)
            for i in range(n):
                Table.objects.get_or_create(
                    connection=connection,
                    schema="main",
                    name=f"t{i}",
                    defaults={"kind": "table", "first_seen": snapshot},
                )
                add_change(snapshot, "column_dropped", f"main.t{i}.c{s}", breaking=True)
        with CaptureQueriesContext(db_connection) as ctx:
            assert member_client.get(changes_url(connection)).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(12)


def test_table_history_follows_the_table_across_its_renames(member_client, make_connection):
    connection = make_connection()
    one, two = make_snapshot(connection, days_ago=20), make_snapshot(connection, days_ago=2)
    table = Table.objects.create(
        connection=connection, schema="main", name="customers", kind="table", first_seen=one
    )
    add_change(one, "column_dropped", "main.clients.fax", breaking=True)
    add_change(
        two,
        "table_renamed",
        "main.customers",
        breaking=True,
        before="main.clients",
        after="main.customers",
    )
    Announcement.objects.create(
        connection=connection, kind="column_renamed", object="x", table="x", message="m"
    )
    renamed = add_change(
        two,
        "column_renamed",
        "main.customers.synopsis",
        breaking=True,
        before="description",
        after="synopsis",
        announcement=Announcement.objects.get(),
    )
    add_change(two, "column_added", "main.other.x", breaking=False)

    url = reverse("catalog:table_changes", args=[connection.pk, table.pk])
    html = member_client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert "<code>description</code> renamed to <code>synopsis</code> on" in html
    assert (
        f'{renamed.detected_at:%-d %b %Y}</time>, <strong class="bad">breaking</strong>, '
        '<span title="m">announced</span>'
    ) in html
    assert "main.clients.fax" in html  # under its old name
    assert "main.other.x" not in html
    page = member_client.get(table.get_absolute_url()).content.decode()
    assert url in page  # the table page loads it


def test_feed_of_breaking_changes_on_the_connection_list_and_the_team_page(member_client, history):
    listing = member_client.get(reverse("catalog:connection_list")).content.decode()
    assert "Recent breaking changes" in listing
    assert "main.products.synopsis" in listing and "main.orders.shipped_at" in listing
    assert "main.orders.note" not in listing  # not breaking
    team_page = member_client.get(reverse("scoring:team_detail", args=[history.team.slug]))
    assert "main.products.synopsis" in team_page.content.decode()


def test_watch_and_unwatch_a_connection(member_client, member, history):
    url = reverse("catalog:connection_watch", args=[history.pk])
    assert "Watch</button>" in member_client.get(url).content.decode()
    response = member_client.post(url, {"action": "watch"}, HTTP_HX_REQUEST="true")
    assert "Unwatch shop" in response.content.decode()
    member_client.post(url, {"action": "watch"})  # twice: still one
    assert Watch.objects.filter(user=member, connection=history, table=None).count() == 1
    assert member_client.post(url, {"action": "unwatch"}).status_code == 302
    assert not Watch.objects.exists()


def test_watch_a_table_and_a_column_and_list_them_on_the_account_page(
    member_client, member, history
):
    snapshot = Snapshot.objects.filter(connection=history).first()
    products = Table.objects.get(name="products")
    column = Column.objects.create(
        table=products,
        name="price",
        position=1,
        data_type="REAL",
        type_family="float",
        first_seen=snapshot,
    )
    url = reverse("catalog:table_watch", args=[history.pk, products.pk])
    member_client.post(url, {"action": "watch"})
    response = member_client.post(
        url, {"action": "watch", "column": column.pk}, HTTP_HX_REQUEST="true"
    )
    assert "Unwatch table" in response.content.decode()
    assert "Watching columns" in response.content.decode()

    account = member_client.get(reverse("account")).content.decode()
    assert "main.products</code></a>" in account
    assert "main.products.price</code></a>" in account
    watch = Watch.objects.get(column=column)
    member_client.post(reverse("catalog:unwatch", args=[watch.pk]))
    assert Watch.objects.filter(user=member).count() == 1


def test_nobody_unwatches_someone_elses_watch(outsider_client, member, history):
    watch = Watch.objects.create(user=member, connection=history)
    outsider_client.post(reverse("catalog:unwatch", args=[watch.pk]))
    assert Watch.objects.filter(pk=watch.pk).exists()


def test_watching_requires_login(client, history):
    response = client.post(reverse("catalog:connection_watch", args=[history.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Watch.objects.exists()


def test_only_the_team_undoes_a_probable_rename(outsider_client, history):
    change = SchemaChange.objects.get(kind="column_renamed")
    url = reverse("catalog:undo_rename", args=[history.pk, change.pk])
    assert outsider_client.post(url).status_code == 403
    assert SchemaChange.objects.filter(pk=change.pk).exists()


def test_a_connection_sets_its_own_changes_window_or_takes_the_teams(
    member_client, team, make_connection
):
    connection = make_connection()
    url = reverse("catalog:connection_edit", args=[connection.pk])
    data = {"name": "shop", "team": team.pk, "dsn": "", "schedule_interval": "3600"}
    member_client.post(url, {**data, "changes_window_days": "30"})
    connection.refresh_from_db()
    assert connection.changes_window == timedelta(days=30)

    response = member_client.post(url, {**data, "changes_window_days": "0"})
    assert "A window of 1 to 3,660 days" in response.content.decode()

    member_client.post(url, {**data, "changes_window_days": ""})
    connection.refresh_from_db()
    team.changes_window_days = 14
    team.save()
    assert connection.changes_window == timedelta(days=14)
