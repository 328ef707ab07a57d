"""Changes recorded at snapshot time: real ALTERs between two snapshots of real databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import diff
from catalog.changes import announce
from catalog.models import Announcement, Column, Connection, SchemaChange, Table
from catalog.snapshots import take_snapshot

pytestmark = pytest.mark.django_db


def recorded(connection: Connection) -> list[tuple[str, str, str, str, bool]]:
    return [
        (c.kind, c.object, c.before, c.after, c.breaking)
        for c in SchemaChange.objects.filter(connection=connection).order_by("position")
    ]


def snapshot_ok(connection: Connection):
    snapshot = take_snapshot(connection)
    assert snapshot.succeeded, snapshot.error_message
    return snapshot


PG_SHOP = """
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL);
CREATE TABLE rental (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers(id),
    description text,
    return_date timestamptz,
    amount numeric(10,2)
);
"""


def test_postgresql_alters_between_two_snapshots_are_recorded_exactly(pg_target, make_connection):
    pg_target.execute(PG_SHOP)
    connection = make_connection(pg_target.dsn, sampling_enabled=False)
    first = snapshot_ok(connection)
    assert not SchemaChange.objects.exists()  # the first snapshot is the baseline

    pg_target.execute(
        """
        ALTER TABLE rental RENAME COLUMN description TO synopsis;
        ALTER TABLE rental DROP COLUMN return_date;
        ALTER TABLE rental ALTER COLUMN amount TYPE numeric(8,2);
        ALTER TABLE customers ALTER COLUMN email TYPE text;
        ALTER TABLE customers ADD COLUMN name text;
        ALTER TABLE customers RENAME TO client;
        CREATE INDEX rental_customer_idx ON rental (customer_id);
        """
    )
    second = snapshot_ok(connection)

    assert recorded(connection) == [
        ("table_renamed", "public.client", "public.customers", "public.client", True),
        ("type_changed", "public.rental.amount", "numeric(10,2)", "numeric(8,2)", True),
        ("column_dropped", "public.rental.return_date", "timestamp with time zone", "", True),
        ("column_renamed", "public.rental.synopsis", "description", "synopsis", True),
        ("type_changed", "public.client.email", "character varying(255)", "text", False),
        ("column_added", "public.client.name", "", "text", False),
        ("index_added", "public.rental", "", "(customer_id)", False),
    ]
    change = SchemaChange.objects.get(kind="column_renamed")
    assert change.snapshot == second and change.snapshot != first
    assert not change.probable
    assert change.detected_at == second.finished_at
    assert change.table == "public.rental" and change.schema == "public"


def test_postgresql_unchanged_schema_records_nothing(pg_target, make_connection):
    pg_target.execute(PG_SHOP)
    connection = make_connection(pg_target.dsn, sampling_enabled=False)
    snapshot_ok(connection)
    pg_target.execute("INSERT INTO customers (email) VALUES ('a@example.com')")
    snapshot_ok(connection)
    assert not SchemaChange.objects.exists()


def test_postgresql_table_dropped_and_recreated_identically_records_nothing(
    pg_target, make_connection
):
    pg_target.execute(PG_SHOP)
    connection = make_connection(pg_target.dsn, sampling_enabled=False)
    snapshot_ok(connection)
    pg_target.execute("DROP TABLE rental;" + PG_SHOP.split(";", 1)[1])
    snapshot_ok(connection)
    assert recorded(connection) == []


MARIADB_SHOP = """
CREATE TABLE products (
    id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `desc` varchar(255) NOT NULL,
    status enum('draft','live','retired') NOT NULL,
    in_stock tinyint(1) NOT NULL,
    note varchar(100)
);
"""


def test_mariadb_alters_and_a_probable_rename_are_recorded_exactly(mysql_target, make_connection):
    for statement in MARIADB_SHOP.strip().split(";"):
        if statement.strip():
            mysql_target.execute(statement)
    connection = make_connection(mysql_target.dsn, sampling_enabled=False)
    snapshot_ok(connection)
    products = Table.objects.get(connection=connection, name="products")
    Column.objects.filter(table=products, name="desc").update(description="What the buyer reads")

    for statement in (
        "ALTER TABLE products CHANGE `desc` description varchar(255) NOT NULL",
        "ALTER TABLE products MODIFY status enum('draft','live') NOT NULL",
        "ALTER TABLE products MODIFY in_stock int(11) NOT NULL",
        "ALTER TABLE products MODIFY note varchar(50)",
    ):
        mysql_target.execute(statement)
    snapshot_ok(connection)

    db = mysql_target.database
    assert recorded(connection) == [
        ("column_renamed", f"{db}.products.description", "desc", "description", True),
        ("type_changed", f"{db}.products.note", "varchar(100)", "varchar(50)", True),
        (
            "enum_values_changed",
            f"{db}.products.status",
            "draft, live, retired",
            "draft, live",
            True,
        ),
        ("type_changed", f"{db}.products.in_stock", "tinyint(1)", "int(11)", False),
    ]
    assert SchemaChange.objects.get(kind="column_renamed").probable
    # The documentation followed the probable rename in the live catalog.
    column = Column.objects.get(table=products, name="description")
    assert column.description == "What the buyer reads" and column.dropped_in_id is None
    assert not Column.objects.filter(table=products, name="desc").exists()


def test_sqlite_file_alters_are_recorded_exactly(make_connection, sqlite_target):
    dsn = sqlite_target(
        """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, shipped_at DATE, total REAL NOT NULL);
        CREATE TABLE products (id INTEGER PRIMARY KEY, "desc" TEXT, price REAL);
        CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        """,
    )
    connection = make_connection(dsn, sampling_enabled=False)
    snapshot_ok(connection)

    sqlite_target(
        """
        ALTER TABLE products RENAME COLUMN "desc" TO description;
        ALTER TABLE orders DROP COLUMN shipped_at;
        ALTER TABLE clients RENAME TO customers;
        CREATE INDEX orders_total_idx ON orders (total);
        """,
    )
    snapshot_ok(connection)

    assert recorded(connection) == [
        ("table_renamed", "main.customers", "main.clients", "main.customers", True),
        ("column_dropped", "main.orders.shipped_at", "DATE", "", True),
        ("column_renamed", "main.products.description", "desc", "description", True),
        ("index_added", "main.orders", "", "(total)", False),
    ]
    assert all(c.probable for c in SchemaChange.objects.filter(kind__in=diff.RENAME_KINDS))
    # The live catalog followed the guessed table rename: one row, now named customers.
    assert list(
        Table.objects.filter(connection=connection, name__in=["clients", "customers"]).values_list(
            "name", "dropped_in"
        )
    ) == [("customers", None)]


def test_an_announced_change_is_marked_announced_when_a_snapshot_sees_it(
    member, make_connection, sqlite_target
):
    dsn = sqlite_target("CREATE TABLE orders (id INTEGER PRIMARY KEY, shipped_at DATE, note TEXT);")
    connection = make_connection(dsn, sampling_enabled=False)
    snapshot_ok(connection)
    drop = diff.Change(
        diff.COLUMN_DROPPED, "main.orders.shipped_at", "main.orders", before="DATE", breaking=True
    )
    other = diff.Change(diff.COLUMN_DROPPED, "main.orders.note", "main.orders", breaking=True)
    [announcement, _] = announce(
        connection, [drop, other], message="Dropping shipped_at Friday", author=member
    )

    sqlite_target("ALTER TABLE orders DROP COLUMN shipped_at;")
    snapshot = snapshot_ok(connection)

    change = SchemaChange.objects.get(kind="column_dropped")
    assert change.announcement == announcement
    announcement.refresh_from_db()
    assert announcement.matched_at == snapshot.finished_at
    assert Announcement.objects.filter(matched_at__isnull=True).count() == 1  # the note one


def test_an_announcement_older_than_the_window_does_not_count(make_connection, sqlite_target):
    dsn = sqlite_target("CREATE TABLE orders (id INTEGER PRIMARY KEY, shipped_at DATE);")
    connection = make_connection(dsn, sampling_enabled=False)
    snapshot_ok(connection)
    drop = diff.Change(diff.COLUMN_DROPPED, "main.orders.shipped_at", "main.orders", breaking=True)
    [announcement] = announce(connection, [drop], message="Soon")
    Announcement.objects.filter(pk=announcement.pk).update(
        created_at=timezone.now() - timedelta(days=91)
    )

    sqlite_target("ALTER TABLE orders DROP COLUMN shipped_at;")
    snapshot_ok(connection)

    assert SchemaChange.objects.get().announcement is None


PG_ENUMS = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE size AS ENUM ('s', 'm', 'l');
CREATE SCHEMA sales;
CREATE TYPE sales.status AS ENUM ('new', 'paid', 'void');
CREATE TYPE unused AS ENUM ('a');
CREATE TABLE person (
    id int PRIMARY KEY, mood mood, moods mood[], status sales.status, size size
);
CREATE TABLE plain (id int PRIMARY KEY, label text);
"""


def test_postgresql_enum_labels_changed_between_two_snapshots(pg_target, make_connection):
    """ADD VALUE, RENAME VALUE and a type dropped and re-created under its name: the labels
    live on the enum type, not on the column, and each column of the type reports them."""
    pg_target.execute(PG_ENUMS)
    connection = make_connection(pg_target.dsn, sampling_enabled=False)
    snapshot_ok(connection)

    pg_target.execute("ALTER TYPE mood ADD VALUE 'ecstatic'")
    pg_target.execute(
        """
        ALTER TYPE sales.status RENAME VALUE 'void' TO 'cancelled';
        ALTER TYPE unused ADD VALUE 'b';
        ALTER TYPE size RENAME TO size_old;
        CREATE TYPE size AS ENUM ('s', 'm');
        ALTER TABLE person ALTER COLUMN size TYPE size USING size::text::size;
        DROP TYPE size_old;
        """
    )
    snapshot_ok(connection)

    assert recorded(connection) == [
        ("enum_values_changed", "public.person.size", "s, m, l", "s, m", True),
        (
            "enum_values_changed",
            "public.person.status",
            "new, paid, void",
            "new, paid, cancelled",
            True,
        ),
        (
            "enum_values_changed",
            "public.person.mood",
            "sad, ok, happy",
            "sad, ok, happy, ecstatic",
            False,
        ),
        (
            "enum_values_changed",
            "public.person.moods",
            "sad, ok, happy",
            "sad, ok, happy, ecstatic",
            False,
        ),
    ]
    reasons = {
        c.object: c.reason
        for c in SchemaChange.objects.filter(connection=connection, breaking=True)
    }
    assert reasons == {
        "public.person.size": "removes 'l': rows, filters and accepted-values tests using it break",
        "public.person.status": (
            "removes 'void': rows, filters and accepted-values tests using it break"
        ),
    }
