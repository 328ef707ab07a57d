"""The bundled demo target: every version applies, and every intended flaw is really there.

Facts are read back with PRAGMAs written here, not through SchemaJoy's introspection,
so a flaw that silently went missing from the SQL files fails a test.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest

from catalog.demo import (
    DEMO_SQL_DIR,
    DEMO_VERSIONS,
    DemoBuildError,
    DemoVersion,
    applied_version,
    apply_demo_version,
    build_demo_target,
    discover_versions,
)

BASE = Path(__file__).resolve().parents[2]

FINAL_TABLES = {
    "auth_user",
    "django_migrations",
    "customers",
    "addresses",
    "categories",
    "products",
    "orders",
    "order_items",
    "payments",
    "order_events",
    "shipments",
    "reviews",
}
FINAL_VIEWS = {"order_totals"}

# Row counts after all versions, derived in the SQL files' comments: 274 orders were
# paid (300 minus 15 pending and 11 cancelled); 313 parcels are those 274 plus a second
# one for the 39 of them whose id is a multiple of 7.
FINAL_ROW_COUNTS = {
    "auth_user": 42,
    "django_migrations": 11,
    "customers": 120,
    "addresses": 150,
    "categories": 8,
    "products": 60,
    "orders": 300,
    "order_items": 750,
    "payments": 274,
    "order_events": 870,
    "shipments": 313,
    "reviews": 90,
}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "shop.sqlite3"
    build_demo_target(path)
    return path


@pytest.fixture
def db(demo_path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{demo_path}?mode=ro", uri=True)) as conn:
        yield conn


def open_db(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def relations(conn: sqlite3.Connection, kind: str) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite%'", (kind,)
    )
    return {name for (name,) in rows}


def columns(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, bool, int]]:
    """name -> (declared type, NOT NULL, position in the primary key or 0)."""
    rows = conn.execute('SELECT name, type, "notnull", pk FROM pragma_table_info(?)', (table,))
    return {name: (type_, bool(notnull), pk) for name, type_, notnull, pk in rows}


def primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    cols = columns(conn, table)
    return [name for name, (_, _, pk) in sorted(cols.items(), key=lambda c: c[1][2]) if pk]


def foreign_keys(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, str, str]]:
    """from column -> (referenced table, referenced column, ON DELETE)."""
    rows = conn.execute(
        'SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?)', (table,)
    )
    return {src: (ref, to, on_delete) for src, ref, to, on_delete in rows}


def indexes(conn: sqlite3.Connection, table: str) -> dict[str, tuple[bool, list[str]]]:
    """index name -> (unique, columns)."""
    result = {}
    for name, unique in conn.execute(
        'SELECT name, "unique" FROM pragma_index_list(?)', (table,)
    ).fetchall():
        cols = [c for (c,) in conn.execute("SELECT name FROM pragma_index_info(?)", (name,))]
        result[name] = (bool(unique), cols)
    return result


def values(conn: sqlite3.Connection, sql: str) -> list[object]:
    return [value for (value,) in conn.execute(sql)]


def table_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every relation's definition and rows, in a stable order."""
    with open_db(path) as conn:
        contents: dict[str, list[tuple[object, ...]]] = {
            "sqlite_master": conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            ).fetchall()
        }
        for name in relations(conn, "table") | relations(conn, "view"):
            contents[name] = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2, 3').fetchall()
    return contents


# The versions --------------------------------------------------------------


def test_versions_are_numbered_files_applied_in_order() -> None:
    assert [v.number for v in DEMO_VERSIONS] == [1, 2, 3, 4, 5]
    assert DEMO_VERSIONS[0].name == "initial"
    assert [v.sql_path.name for v in DEMO_VERSIONS] == sorted(
        p.name for p in DEMO_SQL_DIR.glob("*.sql")
    )


def test_every_version_starts_with_a_comment_saying_what_changed() -> None:
    for version in DEMO_VERSIONS:
        assert version.sql.startswith("-- ")
        assert len(version.summary) > 20, version.sql_path.name


def test_discovery_refuses_a_gap_in_the_numbering(tmp_path: Path) -> None:
    (tmp_path / "001_initial.sql").write_text("-- first\nCREATE TABLE a (id INTEGER);\n")
    (tmp_path / "003_later.sql").write_text("-- third\nCREATE TABLE b (id INTEGER);\n")
    with pytest.raises(ValueError, match="numbered 1..n"):
        discover_versions(tmp_path)


@pytest.mark.parametrize("upto", [v.number for v in DEMO_VERSIONS])
def test_every_version_applies_cleanly_on_a_fresh_file(tmp_path: Path, upto: int) -> None:
    path = tmp_path / "shop.sqlite3"
    build_demo_target(path, upto=upto)
    assert applied_version(path) == upto
    with open_db(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every view still reads after the version (a rebuilt table can orphan one).
        for view in relations(conn, "view"):
            conn.execute(f'SELECT count(*) FROM "{view}"').fetchone()
        migrations = values(conn, "SELECT name FROM django_migrations WHERE app = 'shop'")
    assert len(migrations) == upto
    assert not list(tmp_path.glob("*.building"))


def test_applying_versions_one_at_a_time_gives_the_same_database_as_one_build(
    tmp_path: Path, demo_path: Path
) -> None:
    # The demo command's path: build version 1, snapshot, apply 2, snapshot, ...
    path = tmp_path / "stepwise.sqlite3"
    build_demo_target(path, upto=1)
    for version in DEMO_VERSIONS[1:]:
        apply_demo_version(path, version)
        assert applied_version(path) == version.number
    assert table_contents(path) == table_contents(demo_path)


def test_building_twice_gives_identical_contents_in_every_table(
    tmp_path: Path, demo_path: Path
) -> None:
    again = tmp_path / "again.sqlite3"
    build_demo_target(again)
    first, second = table_contents(demo_path), table_contents(again)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_rebuilding_over_an_existing_file_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    build_demo_target(path)
    build_demo_target(path, upto=2)
    assert applied_version(path) == 2
    with open_db(path) as conn:
        assert "reviews" not in relations(conn, "table")


def test_applying_a_version_twice_or_out_of_order_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    build_demo_target(path, upto=2)
    with pytest.raises(DemoBuildError, match="at demo version 2"):
        apply_demo_version(path, DEMO_VERSIONS[1])
    with pytest.raises(DemoBuildError, match="cannot apply version 4"):
        apply_demo_version(path, DEMO_VERSIONS[3])
    assert applied_version(path) == 2


def test_a_failing_version_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    build_demo_target(path, upto=1)
    before = table_contents(path)
    broken_sql = tmp_path / "002_broken.sql"
    broken_sql.write_text(
        "-- a release that fails halfway\n"
        "CREATE TABLE coupons (id INTEGER PRIMARY KEY);\n"
        "ALTER TABLE customers DROP COLUMN no_such_column;\n"
    )
    broken = DemoVersion(number=2, name="broken", summary="fails", sql_path=broken_sql)
    with pytest.raises(DemoBuildError, match=r"demo version 2 \(broken\) failed"):
        apply_demo_version(path, broken)
    assert applied_version(path) == 1
    assert table_contents(path) == before


def test_a_version_that_breaks_a_foreign_key_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    build_demo_target(path, upto=1)
    orphaning_sql = tmp_path / "002_orphans.sql"
    orphaning_sql.write_text(
        "-- deletes a customer who has orders\nDELETE FROM customers WHERE id = 1;\n"
    )
    orphaning = DemoVersion(number=2, name="orphans", summary="orphans", sql_path=orphaning_sql)
    with pytest.raises(DemoBuildError, match="broken foreign keys"):
        apply_demo_version(path, orphaning)
    with open_db(path) as conn:
        assert values(conn, "SELECT count(*) FROM customers") == [120]


def test_applying_to_a_missing_file_does_not_create_one(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite3"
    with pytest.raises(DemoBuildError, match="no demo database"):
        apply_demo_version(path, DEMO_VERSIONS[0])
    assert not path.exists()


# The final schema and its data ------------------------------------------------


def test_the_final_version_has_twelve_tables_and_one_view(db: sqlite3.Connection) -> None:
    assert relations(db, "table") == FINAL_TABLES
    assert relations(db, "view") == FINAL_VIEWS


def test_row_counts_are_as_seeded(db: sqlite3.Connection) -> None:
    counts = {t: values(db, f'SELECT count(*) FROM "{t}"')[0] for t in FINAL_TABLES}
    assert counts == FINAL_ROW_COUNTS
    assert values(db, "SELECT count(*) FROM order_totals") == [300]


def test_foreign_keys_check_clean(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_order_events_log_has_no_primary_key_and_no_unique_substitute(
    db: sqlite3.Connection,
) -> None:
    assert primary_key(db, "order_events") == []
    assert not any(unique for unique, _ in indexes(db, "order_events").values())


def test_shipments_have_a_unique_not_null_tracking_number_instead_of_a_key(
    db: sqlite3.Connection,
) -> None:
    assert primary_key(db, "shipments") == []
    unique_columns = [cols for unique, cols in indexes(db, "shipments").values() if unique]
    assert unique_columns == [["tracking_number"]]
    assert columns(db, "shipments")["tracking_number"][1] is True


def test_payments_id_is_the_providers_id_not_the_primary_key(db: sqlite3.Connection) -> None:
    assert primary_key(db, "payments") == ["payment_id"]
    declared, _, pk = columns(db, "payments")["id"]
    assert (declared, pk) == ("VARCHAR(40)", 0)
    assert all(str(v).startswith("pi_") for v in values(db, "SELECT id FROM payments"))


def test_shipped_at_is_declared_date_and_holds_only_days(db: sqlite3.Connection) -> None:
    assert columns(db, "shipments")["shipped_at"][0] == "DATE"
    assert values(db, "SELECT count(*) FROM shipments WHERE length(shipped_at) <> 10") == [0]


def test_reviews_customer_id_is_text_without_a_foreign_key_while_customers_id_is_integer(
    db: sqlite3.Connection,
) -> None:
    assert columns(db, "reviews")["customer_id"][0] == "VARCHAR(20)"
    assert "customer_id" not in foreign_keys(db, "reviews")
    assert columns(db, "customers")["id"][0] == "INTEGER"
    for table in ("addresses", "orders"):
        assert columns(db, table)["customer_id"][0] == "INTEGER"
        assert foreign_keys(db, table)["customer_id"][:2] == ("customers", "id")
    # Every text id names a real customer: the join works, after a cast.
    orphans = "SELECT count(*) FROM reviews WHERE CAST(customer_id AS INTEGER) NOT IN (SELECT id FROM customers)"
    assert values(db, orphans) == [0]
    assert values(db, "SELECT DISTINCT typeof(customer_id) FROM reviews") == ["text"]


def test_orders_mix_camel_case_and_snake_case_columns(db: sqlite3.Connection) -> None:
    names = set(columns(db, "orders"))
    assert {"orderTotal", "createdAt"} <= names
    assert {"customer_id", "shipping_address_id", "updated_at", "deleted_at"} <= names
    assert "created_at" not in names


def test_some_tables_have_no_updated_at(db: sqlite3.Connection) -> None:
    without = {t for t in FINAL_TABLES if "updated_at" not in columns(db, t)}
    assert {"order_items", "payments", "order_events"} <= without


def test_money_is_stored_as_float_in_products_and_payments(db: sqlite3.Connection) -> None:
    assert columns(db, "products")["price"][0] == "REAL"
    assert columns(db, "payments")["amount"][0] == "REAL"
    assert columns(db, "orders")["orderTotal"][0] == "REAL"


def test_stock_quantities_are_integers_kept_in_text(db: sqlite3.Connection) -> None:
    assert columns(db, "products")["stock_qty"][0] == "VARCHAR(10)"
    stored = values(db, "SELECT stock_qty FROM products WHERE stock_qty IS NOT NULL")
    assert {type(v) for v in stored} == {str}
    assert all(str(int(v)) == v for v in stored)  # every value parses, none has a leading zero
    assert len(stored) >= 50 and len(set(stored)) >= 5  # enough for the sampling rules


def test_marketing_opt_in_keeps_booleans_in_text_with_mixed_spellings(
    db: sqlite3.Connection,
) -> None:
    assert columns(db, "customers")["marketing_opt_in"][0] == "VARCHAR(5)"
    stored = values(db, "SELECT marketing_opt_in FROM customers WHERE marketing_opt_in IS NOT NULL")
    assert set(stored) == {"yes", "no", "Y", "N", "true", "false"}
    assert len(stored) >= 50


def test_zip_codes_keep_their_leading_zeros_as_text(db: sqlite3.Connection) -> None:
    assert columns(db, "addresses")["zip_code"][0] == "VARCHAR(10)"
    zips = values(db, "SELECT zip_code FROM addresses")
    assert {type(z) for z in zips} == {str}
    assert all(len(z) == 5 and z.isdigit() for z in zips)
    assert sum(z.startswith("0") for z in zips) >= 50


def test_order_event_payloads_are_json_in_text(db: sqlite3.Connection) -> None:
    payloads = values(db, "SELECT payload FROM order_events WHERE payload IS NOT NULL")
    assert len(payloads) >= 50
    assert all(isinstance(json.loads(p), dict) for p in payloads)


def test_soft_delete_markers_mix_conventions(db: sqlite3.Connection) -> None:
    with_deleted_at = {t for t in FINAL_TABLES if "deleted_at" in columns(db, t)}
    with_is_deleted = {t for t in FINAL_TABLES if "is_deleted" in columns(db, t)}
    assert with_deleted_at == {"customers", "orders", "reviews"}
    assert with_is_deleted == {"products"}
    assert columns(db, "products")["is_deleted"][:2] == ("BOOLEAN", True)
    assert columns(db, "customers")["deleted_at"][:2] == ("TIMESTAMP", False)
    assert values(db, "SELECT count(*) FROM customers WHERE deleted_at IS NOT NULL") == [7]


def test_deleting_a_customer_cascades_to_their_addresses(db: sqlite3.Connection) -> None:
    assert foreign_keys(db, "addresses")["customer_id"] == ("customers", "id", "CASCADE")
    assert foreign_keys(db, "order_items")["order_id"] == ("orders", "id", "CASCADE")


def test_framework_bookkeeping_tables_look_like_djangos(db: sqlite3.Connection) -> None:
    assert set(columns(db, "django_migrations")) == {"id", "app", "name", "applied"}
    assert columns(db, "auth_user")["date_joined"][0] == "datetime"
    assert foreign_keys(db, "customers")["user_id"] == ("auth_user", "id", "SET NULL")


def test_order_totals_view_sums_the_order_lines(db: sqlite3.Connection) -> None:
    mismatched = """
        SELECT count(*) FROM order_totals AS t JOIN orders AS o ON o.id = t.order_id
        WHERE abs(t.items_total - o."orderTotal") > 0.005
    """
    assert values(db, mismatched) == [0]
    assert values(db, "SELECT sum(item_count) FROM order_totals") == [750]


def test_updated_at_never_precedes_created_at(db: sqlite3.Connection) -> None:
    for table in ("customers", "addresses", "products", "shipments", "reviews", "categories"):
        sql = f"SELECT count(*) FROM {table} WHERE updated_at < created_at"
        assert values(db, sql) == [0], table
    assert values(db, 'SELECT count(*) FROM orders WHERE updated_at < "createdAt"') == [0]


# The history ---------------------------------------------------------------


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """One file per version, built as the demo command builds them."""
    root = tmp_path_factory.mktemp("history")
    paths = {}
    for version in DEMO_VERSIONS:
        paths[version.number] = root / f"v{version.number}.sqlite3"
        build_demo_target(paths[version.number], upto=version.number)
    return paths


def test_version_2_adds_shipments_and_a_customer_column(versions: dict[int, Path]) -> None:
    with open_db(versions[1]) as v1, open_db(versions[2]) as v2:
        assert relations(v2, "table") - relations(v1, "table") == {"shipments"}
        assert set(columns(v2, "customers")) - set(columns(v1, "customers")) == {"marketing_opt_in"}


def test_version_3_drops_orders_shipped_at_and_renames_desc_keeping_its_text(
    versions: dict[int, Path],
) -> None:
    with open_db(versions[2]) as v2, open_db(versions[3]) as v3:
        assert "shipped_at" in columns(v2, "orders")
        assert "shipped_at" not in columns(v3, "orders")
        assert "desc" in columns(v2, "products") and "description" not in columns(v2, "products")
        assert "description" in columns(v3, "products") and "desc" not in columns(v3, "products")
        before = values(v2, 'SELECT "desc" FROM products ORDER BY id')
        after = values(v3, "SELECT description FROM products ORDER BY id")
    assert after == before
    assert sum(v is not None for v in after) == 54


def test_version_4_retypes_unit_price_and_keeps_rows_keys_and_indexes(
    versions: dict[int, Path],
) -> None:
    with open_db(versions[3]) as v3, open_db(versions[4]) as v4:
        assert columns(v3, "order_items")["unit_price"][0] == "REAL"
        assert columns(v4, "order_items")["unit_price"][0] == "DECIMAL(10, 2)"
        rows = "SELECT id, order_id, product_id, quantity, unit_price FROM order_items ORDER BY id"
        assert v4.execute(rows).fetchall() == v3.execute(rows).fetchall()
        assert foreign_keys(v4, "order_items") == foreign_keys(v3, "order_items")
        assert indexes(v4, "order_items") == indexes(v3, "order_items")
        assert relations(v4, "table") == relations(v3, "table")
        assert "order_items_new" not in relations(v4, "table")
        new_indexes = set(indexes(v4, "orders")) - set(indexes(v3, "orders"))
    assert new_indexes == {"orders_customer_id_idx"}


def test_version_5_adds_category_timestamps_and_text_keyed_reviews(
    versions: dict[int, Path],
) -> None:
    with open_db(versions[4]) as v4, open_db(versions[5]) as v5:
        assert "created_at" not in columns(v4, "categories")
        assert columns(v5, "categories")["created_at"] == ("TIMESTAMP", False, 0)
        assert columns(v5, "categories")["updated_at"] == ("TIMESTAMP", False, 0)
        assert values(v5, "SELECT count(*) FROM categories WHERE created_at IS NULL") == [0]
        assert relations(v5, "table") - relations(v4, "table") == {"reviews"}


# Through SchemaJoy's own introspection ------------------------------------------


def test_sqlite_introspection_reads_the_demo(demo_path: Path) -> None:
    if not (BASE / "catalog" / "introspection" / "sqlite.py").exists():
        pytest.skip("catalog/introspection/sqlite.py is not written yet")
    from catalog.introspection import model as m
    from catalog.introspection.dsn import Target
    from catalog.introspection.limits import Limits
    from catalog.introspection.sqlite import introspect

    schema = introspect(Target(dialect="sqlite", database=str(demo_path)), limits=Limits())

    assert len(schema.tables) == len(FINAL_TABLES) + len(FINAL_VIEWS)
    assert {t.name for t in schema.tables if t.is_base_table} == FINAL_TABLES
    assert {t.name for t in schema.tables if t.is_view} == FINAL_VIEWS
    assert {t.schema for t in schema.tables} == {"main"}

    def table(name: str) -> m.Table:
        found = schema.table("main", name)
        assert found is not None, name
        return found

    def family(table_name: str, column_name: str) -> str:
        column = table(table_name).column(column_name)
        assert column is not None, f"{table_name}.{column_name}"
        return column.type_family

    assert table("order_events").primary_key is None
    assert table("shipments").primary_key is None
    assert table("payments").primary_key == m.PrimaryKey(name=None, columns=("payment_id",))
    assert family("shipments", "shipped_at") == m.DATE
    assert family("reviews", "customer_id") == m.TEXT
    assert family("customers", "id") == m.INTEGER
    assert family("products", "price") == m.FLOAT
    assert family("order_items", "unit_price") == m.DECIMAL
    cascade = [fk for fk in table("addresses").foreign_keys if fk.columns == ("customer_id",)]
    assert [fk.on_delete for fk in cascade] == ["CASCADE"]


# The demo's change history (Django: the demo command snapshots every version) ---------


@pytest.mark.django_db
def test_the_demo_history_shows_its_drop_rename_and_retype_as_breaking_changes(
    tmp_path: Path, settings, client
) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.urls import reverse

    from catalog.models import Connection, SchemaChange

    settings.VAR_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    connection = Connection.objects.get(name="demo_shop")
    breaking = set(
        SchemaChange.objects.filter(connection=connection, breaking=True).values_list(
            "kind", "object", "before", "after"
        )
    )
    assert ("column_dropped", "main.orders.shipped_at", "DATE", "") in breaking
    assert ("column_renamed", "main.products.description", "desc", "description") in breaking
    assert ("type_changed", "main.order_items.unit_price", "REAL", "DECIMAL(10, 2)") in breaking
    assert SchemaChange.objects.get(kind="column_renamed").probable
    # Version 1 is the baseline: no change is recorded against nothing.
    first = connection.snapshots.order_by("started_at").first()
    assert not SchemaChange.objects.filter(snapshot=first).exists()

    client.force_login(User.objects.get(username="demo"))
    html = client.get(
        reverse("catalog:connection_changes", args=[connection.pk]) + "?breaking=on"
    ).content.decode()
    for obj in (
        "main.orders.shipped_at",
        "main.products.description",
        "main.order_items.unit_price",
    ):
        assert obj in html
