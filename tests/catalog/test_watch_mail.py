"""Watchers' e-mails through a real SMTP server (aiosmtpd), and undoing a probable rename."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.models import Column, Connection, SchemaChange, Table, Watch
from catalog.snapshots import take_snapshot

pytestmark = pytest.mark.django_db

SHOP = """
CREATE TABLE orders (id INTEGER PRIMARY KEY, shipped_at DATE, note TEXT, total REAL NOT NULL);
CREATE TABLE products (id INTEGER PRIMARY KEY, "desc" TEXT, price REAL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT);
"""


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    connection = make_connection(sqlite_target(SHOP), sampling_enabled=False)
    assert take_snapshot(connection).succeeded
    return connection


def user(name: str) -> User:
    return User.objects.create_user(name, email=f"{name}@example.com", password="x" * 12)


def snapshot_committed(connection, capture):
    with capture(execute=True):
        snapshot = take_snapshot(connection)
    assert snapshot.succeeded, snapshot.error_message
    return snapshot


def test_each_watcher_gets_one_email_per_snapshot_listing_their_breaking_changes(
    shop, smtp_server, django_capture_on_commit_callbacks, settings, sqlite_target
):
    connection = shop
    settings.SITE_URL = "https://schemajoy.example.com"
    orders = Table.objects.get(connection=connection, name="orders")
    ana, bo, cy = user("ana"), user("bo"), user("cy")
    user("dee")  # watches nothing
    Watch.objects.create(user=ana, connection=connection)  # everything
    Watch.objects.create(user=bo, connection=connection, table=orders)
    Watch.objects.create(
        user=bo,
        connection=connection,
        table=orders,
        column=Column.objects.get(table=orders, name="shipped_at"),
    )
    Watch.objects.create(
        user=cy, connection=connection, table=Table.objects.get(connection=connection, name="audit")
    )

    sqlite_target(
        "ALTER TABLE orders DROP COLUMN shipped_at; ALTER TABLE orders DROP COLUMN note;"
        'ALTER TABLE products RENAME COLUMN "desc" TO description;'
        "ALTER TABLE audit ADD COLUMN who TEXT;",
    )
    snapshot_committed(connection, django_capture_on_commit_callbacks)

    messages = smtp_server.wait_for(2)
    assert sorted(tuple(m.rcpt_tos) for m in messages) == [
        ("ana@example.com",),
        ("bo@example.com",),
    ]
    by = {m.rcpt_tos[0]: m for m in messages}
    assert (
        by["ana@example.com"]["Subject"] == "[SchemaJoy] shop: 3 breaking changes to what you watch"
    )
    body = by["ana@example.com"].body
    for obj in ("main.orders.shipped_at", "main.orders.note", "main.products.description"):
        assert obj in body
    assert "main.audit.who" not in body  # not breaking
    products = Table.objects.get(connection=connection, name="products")
    assert f"https://schemajoy.example.com{products.get_absolute_url()}" in body
    assert "https://schemajoy.example.com/account/" in body
    bo_body = by["bo@example.com"].body
    assert "main.orders.shipped_at" in bo_body and "main.orders.note" in bo_body
    assert "main.products.description" not in bo_body
    assert by["bo@example.com"]["Subject"].startswith("[SchemaJoy] shop: 2 breaking changes")

    # A later snapshot with only an unwatched, non-breaking change sends nothing more.
    smtp_server.clear()
    sqlite_target("ALTER TABLE audit ADD COLUMN why TEXT;")
    snapshot_committed(connection, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []


def test_undoing_a_probable_rename_records_a_drop_and_an_add_and_docs_go_back(
    shop, member_client, django_capture_on_commit_callbacks, sqlite_target
):
    from scoring.models import Finding, Waiver
    from scoring.runs import score_snapshot

    connection = shop
    products = Table.objects.get(connection=connection, name="products")
    Column.objects.filter(table=products, name="desc").update(description="Shown to buyers")
    sqlite_target('ALTER TABLE products RENAME COLUMN "desc" TO description;')
    waiver = Waiver.objects.create(
        connection=connection, rule="doc-column-missing", pattern="main.products.desc", reason="-"
    )
    score_snapshot(take_snapshot(connection))
    waiver.refresh_from_db()
    assert waiver.pattern == "main.products.description"  # it followed the guess
    change = SchemaChange.objects.get(kind="column_renamed")
    assert change.probable
    assert Column.objects.get(table=products, name="description").description == "Shown to buyers"
    unannounced = Finding.objects.filter(rule="chg-unannounced-breaking", resolved_at__isnull=True)
    assert list(unannounced.values_list("object", flat=True)) == ["main.products.description"]

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("catalog:undo_rename", args=[connection.pk, change.pk])
        )

    assert response.status_code == 302
    assert list(
        SchemaChange.objects.filter(connection=connection).values_list("kind", "object", "breaking")
    ) == [
        ("column_dropped", "main.products.desc", True),
        ("column_added", "main.products.description", False),
    ]
    old = Column.objects.get(table=products, name="desc")
    new = Column.objects.get(table=products, name="description")
    assert old.description == "Shown to buyers" and old.dropped_in_id == change.snapshot_id
    assert new.description == "" and new.dropped_in_id is None
    waiver.refresh_from_db()
    assert waiver.pattern == "main.products.desc"  # and came back with the docs
    # Rescored: the breaking change is now the drop of desc.
    assert list(unannounced.values_list("object", flat=True)) == ["main.products.desc"]
    # The next snapshot sees the same schema: nothing new to record, the catalog stays.
    assert take_snapshot(connection).succeeded
    assert SchemaChange.objects.count() == 2


def test_an_announcement_emails_the_watchers_of_what_it_names_and_the_team_recipients(
    shop, smtp_server, django_capture_on_commit_callbacks, member
):
    from catalog import diff
    from catalog.changes import announce

    connection = shop
    connection.team.digest_recipients = "data-team@example.com"
    connection.team.save()
    orders = Table.objects.get(connection=connection, name="orders")
    products = Table.objects.get(connection=connection, name="products")
    ana, bo = user("ana"), user("bo")
    Watch.objects.create(user=ana, connection=connection, table=orders)
    Watch.objects.create(user=bo, connection=connection, table=products)
    drop = diff.Change(
        diff.COLUMN_DROPPED,
        "main.orders.shipped_at",
        "main.orders",
        breaking=True,
        reason="column dropped: every query that selects it fails",
    )

    with django_capture_on_commit_callbacks(execute=True):
        announce(connection, [drop], message="We drop orders.shipped_at on 12 Dec", author=member)

    messages = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in messages) == ["ana@example.com", "data-team@example.com"]
    body = messages[0].body
    assert "We drop orders.shipped_at on 12 Dec" in body
    assert "column_dropped main.orders.shipped_at (breaking)" in body
    assert "alice announced a change to shop" in body
