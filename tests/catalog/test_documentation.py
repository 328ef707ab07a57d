"""Documentation service: precedence, optimistic concurrency, revisions, coverage, COMMENT SQL."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from catalog.documentation import (
    COMMENT,
    DBT,
    SCHEMAJOY,
    DocConflict,
    comment_sql,
    docs_coverage,
    docs_coverage_by_schema,
    effective_description,
    revert,
    set_column_doc,
    set_table_doc,
)
from catalog.models import Column, Connection, DocRevision, Table
from catalog.snapshots import take_snapshot
from tests.catalog.docs_catalog import make_catalog, shop_model

TRICKY = 'It\'s a "quote", a \\ backslash,\nnew line — ünïcödé 🎉; DROP TABLE x; --'


# Precedence (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "comment", "dbt", "expected"),
    [
        ("ours", "db", "dbt", ("ours", SCHEMAJOY)),
        ("", "db", "dbt", ("db", COMMENT)),
        ("  \n", "db", "dbt", ("db", COMMENT)),
        ("", " ", "dbt", ("dbt", DBT)),
        ("", "", "", ("", "")),
    ],
)
def test_effective_description_prefers_schemajoy_then_comment_then_dbt(
    description, comment, dbt, expected
):
    obj = Column(description=description, comment=comment, dbt_description=dbt)

    assert effective_description(obj) == expected


# Editing --------------------------------------------------------------------------


@pytest.fixture
def shop(team) -> Connection:
    return make_catalog(team, shop_model())


@pytest.fixture
def bob(team) -> User:
    user = User.objects.create_user("bob", password="x")
    team.members.add(user)
    return user


@pytest.mark.django_db
def test_saving_a_description_bumps_the_version_and_records_a_revision(shop, member):
    orders = Table.objects.get(connection=shop, name="orders")

    revision = set_table_doc(orders, "One row per checkout\r\n", user=member, base_version=0)

    orders.refresh_from_db()
    assert (orders.description, orders.description_version) == ("One row per checkout", 1)
    assert orders.description_updated_by == member
    assert (revision.before, revision.after, revision.author, revision.source) == (
        "",
        "One row per checkout",
        member,
        DocRevision.Source.WEB,
    )
    assert revision.column_id is None


@pytest.mark.django_db
def test_a_second_editor_on_a_stale_version_gets_a_conflict_with_the_first_ones_text(
    shop, member, bob
):
    email = Column.objects.get(table__connection=shop, name="email")
    set_column_doc(email, "Where receipts go", user=member, base_version=0)

    stale = Column.objects.get(pk=email.pk)
    stale.description_version = 0  # bob loaded the form before alice saved
    with pytest.raises(DocConflict) as caught:
        set_column_doc(stale, "Login name", user=bob, base_version=0)

    conflict = caught.value
    assert (conflict.text, conflict.author, conflict.version) == ("Where receipts go", member, 1)
    assert conflict.updated_at is not None
    email.refresh_from_db()
    assert email.description == "Where receipts go"
    assert DocRevision.objects.filter(column=email).count() == 1

    # Having seen it, bob saves on top of the current version on purpose.
    set_column_doc(email, "Login name", user=bob, base_version=conflict.version)
    email.refresh_from_db()
    assert (email.description, email.description_version) == ("Login name", 2)


@pytest.mark.django_db
def test_saving_the_same_text_records_nothing(shop, member):
    orders = Table.objects.get(connection=shop, name="orders")
    set_table_doc(orders, "Checkouts", user=member, base_version=0)

    assert set_table_doc(orders, "Checkouts  ", user=member, base_version=1) is None
    assert DocRevision.objects.count() == 1


@pytest.mark.django_db
def test_revert_puts_back_the_previous_text_as_a_new_revision(shop, member, bob):
    email = Column.objects.get(table__connection=shop, name="email")
    set_column_doc(email, "First", user=member, base_version=0)
    second = set_column_doc(email, "Second, wrong", user=bob, base_version=1)

    undo = revert(second, user=member)

    email.refresh_from_db()
    assert (email.description, email.description_version) == ("First", 3)
    assert (undo.source, undo.before, undo.after, undo.author) == (
        DocRevision.Source.REVERT,
        "Second, wrong",
        "First",
        member,
    )
    assert list(
        DocRevision.objects.filter(column=email).order_by("pk").values_list("after", flat=True)
    ) == ["First", "Second, wrong", "First"]


@pytest.mark.django_db
def test_reverting_a_dbt_revision_restores_the_dbt_text_only(shop, member):
    from catalog.dbt import apply_dbt_import, plan_dbt_import

    orders = Table.objects.get(connection=shop, name="orders")
    set_table_doc(orders, "Ours", user=member, base_version=0)
    sources = "version: 2\nsources:\n  - name: public\n    tables:\n      - name: orders\n        description: From dbt\n"
    apply_dbt_import(plan_dbt_import(shop, [("sources.yml", sources)]), user=member)
    imported = DocRevision.objects.get(source=DocRevision.Source.DBT)

    revert(imported, user=member)

    orders.refresh_from_db()
    assert (orders.description, orders.dbt_description) == ("Ours", "")


@pytest.mark.django_db
def test_a_documented_column_keeps_its_description_when_its_table_is_dropped_and_recreated(
    pg_target, member, make_connection
):
    ddl = "CREATE TABLE orders (id bigint PRIMARY KEY, shipped_at date)"
    pg_target.execute(ddl)
    connection = make_connection(pg_target.dsn, name="pg")
    assert take_snapshot(connection).succeeded
    shipped = Column.objects.get(table__connection=connection, name="shipped_at")
    set_column_doc(shipped, "When it *left* the warehouse", user=member, base_version=0)

    pg_target.execute("DROP TABLE orders")
    assert take_snapshot(connection).succeeded
    assert Table.objects.get(connection=connection, name="orders").dropped_in_id is not None

    pg_target.execute(ddl)  # a new oid: same name, new identity
    assert take_snapshot(connection).succeeded

    orders = Table.objects.get(connection=connection, name="orders")
    shipped = Column.objects.get(table=orders, name="shipped_at")
    assert orders.dropped_in_id is None and shipped.dropped_in_id is None
    assert shipped.description == "When it *left* the warehouse"
    assert effective_description(shipped).source == SCHEMAJOY


# Coverage ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_coverage_counts_any_non_blank_text_and_ignores_dropped_objects(team, member):
    from tests.builders import col, model, table

    connection = make_catalog(
        team,
        model(
            table("a", col("id", pk=True, comment="key"), col("x"), schema="one", comment="A"),
            table("b", col("id", pk=True), col("y"), schema="one"),
            table("c", col("id", pk=True), schema="two"),
        ),
    )
    Column.objects.filter(name="y").update(dbt_description="from dbt")
    Column.objects.filter(name="x").update(description="   ")  # blank counts as none
    Table.objects.filter(name="c").update(description="C")
    dropped = Table.objects.get(name="b")
    Column.objects.filter(table=dropped, name="id").update(
        description="gone", dropped_in=dropped.first_seen
    )

    total = docs_coverage([connection.pk])
    per_schema = docs_coverage_by_schema(Table.objects.filter(connection=connection))

    assert (total.documented_tables, total.tables) == (2, 3)
    assert (total.documented_columns, total.columns) == (2, 4)
    assert round(total.column_percent) == 50
    assert per_schema["one"].documented_tables == 1 and per_schema["one"].columns == 3
    assert (per_schema["two"].documented_tables, per_schema["two"].documented_columns) == (1, 0)
    assert docs_coverage(Table.objects.filter(schema="two")).tables == 1


@pytest.mark.django_db
def test_comment_sql_writes_only_descriptions_that_differ_from_the_comments(team, member):
    connection = make_catalog(team, shop_model())
    orders = Table.objects.get(name="orders")
    set_table_doc(orders, "Checkouts", user=member, base_version=0)
    Column.objects.filter(name="status").update(dbt_description="new, paid or shipped")
    email = Column.objects.get(name="email")  # documented by its comment only: nothing to write

    sql = comment_sql(connection)

    assert 'COMMENT ON TABLE "public"."orders" IS \'Checkouts\';' in sql
    assert 'COMMENT ON COLUMN "public"."orders"."status" IS \'new, paid or shipped\';' in sql
    assert email.comment and "email" not in sql.split("\n\n", 1)[1]
    assert "customers" not in sql.split("\n\n", 1)[1]


@pytest.mark.django_db
def test_mysql_comment_sql_restates_each_column_definition(team, member):
    connection = make_catalog(team, shop_model("mysql"))
    status = Column.objects.get(name="status")
    set_column_doc(status, TRICKY, user=member, base_version=0)
    set_column_doc(
        Column.objects.get(name="customer_id", table__name="orders"),
        "Buyer",
        user=member,
        base_version=0,
    )

    sql = comment_sql(connection)

    assert "ALTER TABLE `shop`.`orders`\n" in sql
    assert "MODIFY COLUMN `customer_id` bigint NOT NULL COMMENT 'Buyer'," in sql
    assert (
        "MODIFY COLUMN `status` text NULL DEFAULT 'new' COMMENT 'It''s a \"quote\", a \\\\ "
        "backslash,\\nnew line — ünïcödé 🎉; DROP TABLE x; --';" in sql
    )
    assert "-- orders: MySQL/MariaDB store comments in utf8mb3" in sql


@pytest.mark.django_db
def test_sqlite_gets_a_comment_block_and_a_pointer_to_dbt(team, member):
    connection = make_catalog(team, shop_model("sqlite"))
    set_table_doc(
        Table.objects.get(name="orders"), "Line one\nLine two", user=member, base_version=0
    )

    sql = comment_sql(connection)

    assert "SQLite has no COMMENT statement" in sql and "dbt" in sql
    assert "-- orders: Line one\n-- Line two" in sql
    assert not re.search(r"^(COMMENT|ALTER)", sql, re.MULTILINE)


# COMMENT SQL against real databases ---------------------------------------------------

AWKWARD_PG = '''
CREATE SCHEMA "Sales ""Dept""";
CREATE TABLE "Sales ""Dept""".orders (id bigint PRIMARY KEY, "it's" text, note text);
CREATE VIEW "Sales ""Dept""".recent AS SELECT id FROM "Sales ""Dept""".orders;
COMMENT ON COLUMN "Sales ""Dept""".orders.note IS 'already in the database';
'''


@pytest.mark.django_db
def test_generated_postgresql_sql_runs_and_sets_the_comments(pg_target, member, make_connection):
    pg_target.execute(AWKWARD_PG)
    connection = make_connection(pg_target.dsn, name="pg")
    assert take_snapshot(connection).succeeded
    texts = {
        ("orders", None): TRICKY,
        ("orders", "it's"): "Apostrophe's column \\n is not a newline",
        ("recent", None): "Latest orders (a view)",
        ("recent", "id"): "Order id",
    }
    for (table_name, column_name), text in texts.items():
        table = Table.objects.get(connection=connection, name=table_name)
        if column_name:
            set_column_doc(table.columns.get(name=column_name), text, user=member, base_version=0)
        else:
            set_table_doc(table, text, user=member, base_version=0)

    pg_target.execute(comment_sql(connection))
    assert take_snapshot(connection).succeeded

    for (table_name, column_name), text in texts.items():
        table = Table.objects.get(connection=connection, name=table_name)
        obj = table.columns.get(name=column_name) if column_name else table
        assert obj.comment == text
    note = Column.objects.get(table__connection=connection, name="note")
    assert note.comment == "already in the database"
    assert "Nothing to write" in comment_sql(connection)


AWKWARD_MYSQL = [
    "CREATE TABLE `or``ders` (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,"
    " status varchar(20) NOT NULL DEFAULT 'new', note text, amount decimal(10,2) DEFAULT 0.00,"
    " `it's` int NULL)",
]


@pytest.mark.django_db
def test_generated_mariadb_sql_runs_sets_the_comments_and_keeps_the_columns(
    mysql_target, member, make_connection
):
    for statement in AWKWARD_MYSQL:
        mysql_target.execute(statement)
    connection = make_connection(mysql_target.dsn, name="my")
    assert take_snapshot(connection).succeeded
    before = {
        c.name: (c.data_type, c.nullable, c.default, c.identity)
        for c in Column.objects.filter(table__connection=connection)
    }
    table = Table.objects.get(connection=connection, name="or`ders")
    tricky = TRICKY.replace(" 🎉", "")  # comments are utf8mb3 there: see the emoji test
    texts = {None: tricky, "status": "new | paid\r\nshipped", "it's": "a \\ b ' c", "amount": "€"}
    for column_name, text in texts.items():
        if column_name:
            set_column_doc(table.columns.get(name=column_name), text, user=member, base_version=0)
        else:
            set_table_doc(table, text, user=member, base_version=0)

    sql = comment_sql(connection)
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    for statement in filter(None, (s.strip() for s in body.split(";\n"))):
        mysql_target.execute(statement.rstrip(";"))
    assert take_snapshot(connection).succeeded

    table.refresh_from_db()
    assert table.comment == tricky
    for column_name, text in texts.items():
        if column_name:
            assert table.columns.get(name=column_name).comment == text.replace("\r\n", "\n")
    after = {
        c.name: (c.data_type, c.nullable, c.default, c.identity)
        for c in Column.objects.filter(table__connection=connection)
    }
    assert after == before
