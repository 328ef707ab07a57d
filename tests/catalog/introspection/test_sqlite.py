"""SQLite introspection against real database files built here.

Expected figures come from the statement form of the PRAGMAs, run table by table, not from
the table-valued functions the module joins in one SELECT per kind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from catalog.introspection import model as m
from catalog.introspection import sqlite
from catalog.introspection.dsn import Target
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits

LIMITS = Limits(connect_timeout=5, statement_timeout=30, lock_timeout=1)

# A small shop, written the way SQLite applications write their schemas.
SHOP_DDL = """
CREATE TABLE customer (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL UNIQUE,
    name TEXT NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    born DATE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (length(email) > 3)
);
CREATE TABLE product (
    sku TEXT NOT NULL PRIMARY KEY,
    title NVARCHAR(120) NOT NULL,
    price NUMERIC(10, 2) NOT NULL CONSTRAINT price_positive CHECK (price >= 0),
    weight_kg REAL,
    photo BLOB,
    attributes JSON,
    vat NUMERIC GENERATED ALWAYS AS (price * 0.2) VIRTUAL,
    gross DECIMAL(10, 2) AS (round(price * 1.2, 2)) STORED
) WITHOUT ROWID;
CREATE TABLE "order" (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    placed_at TIMESTAMP NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'new',
    note
);
CREATE TABLE order_line (
    order_id INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    sku TEXT NOT NULL,
    quantity INT NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, line_no),
    FOREIGN KEY (order_id) REFERENCES "order" (id) ON DELETE CASCADE,
    CONSTRAINT fk_line_product FOREIGN KEY (sku) REFERENCES product ON DELETE RESTRICT,
    UNIQUE (order_id, sku)
);
CREATE TABLE shipment (
    id INTEGER PRIMARY KEY,
    order_id INTEGER,
    line_no INTEGER,
    shipped_on DATE,
    FOREIGN KEY (order_id, line_no) REFERENCES order_line (order_id, line_no)
        ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX ix_order_customer ON "order" (customer_id, placed_at DESC);
CREATE INDEX ix_order_open ON "order" (placed_at) WHERE status <> 'done';
CREATE UNIQUE INDEX ux_customer_email_lower ON customer (lower(email));
CREATE VIEW open_orders AS
    SELECT o.id, c.email FROM "order" o JOIN customer c ON c.id = o.customer_id
    WHERE o.status <> 'done';
CREATE TRIGGER order_line_touch AFTER INSERT ON order_line BEGIN
    UPDATE "order" SET status = 'new' WHERE id = NEW.order_id;
END;
"""


def build(path: Path, ddl: str) -> Path:
    with sqlite3.connect(path) as conn:
        conn.executescript(ddl)
    conn.close()
    return path


def introspect(path: Path, limits: Limits = LIMITS) -> m.SchemaModel:
    return sqlite.introspect(Target(dialect="sqlite", database=str(path)), limits=limits)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build(tmp_path / "shop.db", SHOP_DDL)


# Independent answers, one statement PRAGMA per table ----------------------


def independent(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    try:
        objects = conn.execute("SELECT name, type FROM sqlite_master ORDER BY name").fetchall()
        relations = {
            n: t for n, t in objects if t in ("table", "view") and not n.startswith("sqlite_")
        }
        quoted = {n: '"' + n.replace('"', '""') + '"' for n in relations}
        columns, pks, fks, indexes = {}, {}, set(), set()
        for name in relations:
            info = conn.execute(f"PRAGMA table_xinfo({quoted[name]})").fetchall()
            columns[name] = [(r[1], r[2], not r[3]) for r in info if r[6] != 1]
            key = tuple(r[1] for r in sorted(info, key=lambda r: r[5]) if r[5])
            if key and relations[name] == "table":
                pks[name] = key
            by_id: dict[int, list] = {}
            for row in conn.execute(f"PRAGMA foreign_key_list({quoted[name]})"):
                by_id.setdefault(row[0], []).append(row)
            for parts in by_id.values():
                fks.add(
                    (
                        name,
                        parts[0][2],
                        tuple(p[3] for p in parts),
                        parts[0][6],
                        parts[0][5],
                    )
                )
            for _, index, unique, origin, partial in conn.execute(
                f"PRAGMA index_list({quoted[name]})"
            ):
                index_q = '"' + index.replace('"', '""') + '"'
                cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({index_q})"))
                indexes.add((name, index, bool(unique), origin, bool(partial), cols))
        triggers = {n for n, t in objects if t == "trigger"}
        return {
            "kinds": relations,
            "columns": columns,
            "pks": pks,
            "fks": fks,
            "indexes": indexes,
            "triggers": triggers,
        }
    finally:
        conn.close()


def test_shop_matches_statement_pragmas(shop: Path):
    model = introspect(shop)
    expected = independent(shop)
    assert {t.name: t.kind for t in model.tables} == expected["kinds"]
    # The rowid is never NULL, whatever PRAGMA table_xinfo says of its declaration.
    rowids = {("customer", "id"), ("order", "id"), ("shipment", "id")}
    assert {
        t.name: [(c.name, c.data_type, c.nullable) for c in t.columns] for t in model.tables
    } == {
        name: [(c, typ, nullable and (name, c) not in rowids) for c, typ, nullable in cols]
        for name, cols in expected["columns"].items()
    }
    assert {t.name: t.primary_key.columns for t in model.tables if t.primary_key} == expected["pks"]
    assert {
        (t.name, fk.ref_table, fk.columns, fk.on_delete, fk.on_update)
        for t in model.tables
        for fk in t.foreign_keys
    } == expected["fks"]
    assert {(t.name, i.name, i.unique, i.partial) for t in model.tables for i in t.indexes} == {
        (t, name, unique, partial) for t, name, unique, _, partial, _ in expected["indexes"]
    }
    assert {trigger for t in model.tables for trigger in t.triggers} == expected["triggers"]
    assert {t.schema for t in model.tables} == {"main"}
    assert model.dialect == "sqlite" and model.server_version.startswith("SQLite 3.")


def test_shop_counts(shop: Path):
    model = introspect(shop)
    base = [t for t in model.tables if t.is_base_table]
    assert (len(base), len(model.tables) - len(base)) == (5, 1)
    assert sum(len(t.columns) for t in base) == 6 + 8 + 5 + 4 + 4
    assert sum(len(t.foreign_keys) for t in base) == 4
    # 3 created, 2 for UNIQUE constraints, 2 for non-rowid primary keys.
    assert sum(len(t.indexes) for t in base) == 7


def test_reads_keys_identity_and_without_rowid(shop: Path):
    model = introspect(shop)
    customer, product = model.table("main", "customer"), model.table("main", "product")
    order, line = model.table("main", "order"), model.table("main", "order_line")
    assert customer.column("id").identity == "autoincrement"
    assert order.column("id").identity == "rowid"
    assert line.primary_key == m.PrimaryKey(name=None, columns=("order_id", "line_no"))
    assert next(i for i in line.indexes if i.primary).columns == ("order_id", "line_no")
    assert product.primary_key.columns == ("sku",)
    assert product.column("sku").identity is None and not product.column("sku").nullable
    assert line.unique_constraints == (m.UniqueConstraint(None, ("order_id", "sku")),)
    assert customer.unique_constraints == (m.UniqueConstraint(None, ("email",)),)


def test_reads_foreign_keys_including_implicit_and_composite_targets(shop: Path):
    model = introspect(shop)
    line = model.table("main", "order_line")
    to_product = next(fk for fk in line.foreign_keys if fk.ref_table == "product")
    # REFERENCES product, with no column list, points at product's primary key.
    assert (to_product.ref_columns, to_product.on_delete) == (("sku",), "RESTRICT")
    shipment = model.table("main", "shipment").foreign_keys[0]
    assert shipment == m.ForeignKey(
        name=None,
        columns=("order_id", "line_no"),
        ref_schema="main",
        ref_table="order_line",
        ref_columns=("order_id", "line_no"),
        on_delete="SET NULL",
        on_update="CASCADE",
    )


def test_reads_partial_and_expression_indexes(shop: Path):
    model = introspect(shop)
    order = {i.name: i for i in model.table("main", "order").indexes}
    assert order["ix_order_open"].predicate == "status <> 'done'"
    assert order["ix_order_customer"].columns == ("customer_id", "placed_at")
    assert not order["ix_order_customer"].partial
    customer = {i.name: i for i in model.table("main", "customer").indexes}
    assert customer["ux_customer_email_lower"].columns == ("lower(email)",)
    assert customer["ux_customer_email_lower"].unique


def test_reads_types_defaults_generated_columns_and_checks(shop: Path):
    model = introspect(shop)
    customer, product = model.table("main", "customer"), model.table("main", "product")
    families = {c.name: c.type_family for c in customer.columns + product.columns}
    assert families == {
        "id": m.INTEGER,
        "email": m.TEXT,
        "name": m.TEXT,
        "is_active": m.BOOLEAN,
        "born": m.DATE,
        "created_at": m.TIMESTAMP,
        "sku": m.TEXT,
        "title": m.TEXT,
        "price": m.DECIMAL,
        "weight_kg": m.FLOAT,
        "photo": m.BINARY,
        "attributes": m.JSON,
        "vat": m.DECIMAL,
        "gross": m.DECIMAL,
    }
    assert model.table("main", "order").column("note").type_family == m.OTHER
    assert customer.column("email").max_length == 200
    assert product.column("title").max_length == 120
    assert customer.column("created_at").default == "CURRENT_TIMESTAMP"
    assert model.table("main", "order").column("status").default == "'new'"
    assert product.column("vat").generated == "price * 0.2"
    assert product.column("gross").generated == "round(price * 1.2, 2)"
    assert product.column("price").generated is None
    assert product.checks == (m.CheckConstraint("price_positive", "price >= 0"),)
    assert customer.checks == (m.CheckConstraint(None, "length(email) > 3"),)


def test_reads_views_and_triggers(shop: Path):
    model = introspect(shop)
    view = model.table("main", "open_orders")
    assert view.kind == m.VIEW and view.primary_key is None
    assert [c.name for c in view.columns] == ["id", "email"]
    assert view.view_definition.startswith('SELECT o.id, c.email FROM "order" o')
    assert model.table("main", "order_line").triggers == ("order_line_touch",)


def test_row_estimates_come_from_analyze(shop: Path):
    with sqlite3.connect(shop) as conn:
        conn.executemany(
            "INSERT INTO product (sku, title, price) VALUES (?, 't', 1)",
            [(f"sku-{n}",) for n in range(40)],
        )
        conn.execute("ANALYZE")
    conn.close()
    model = introspect(shop)
    assert model.table("main", "product").row_estimate == 40
    assert model.table("main", "sqlite_stat1") is None


def test_view_over_a_dropped_table_keeps_the_rest_readable(tmp_path: Path):
    path = build(
        tmp_path / "broken.db",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);"
        "CREATE TABLE gone (id INTEGER);"
        "CREATE VIEW v AS SELECT id FROM gone;"
        "DROP TABLE gone;",
    )
    model = introspect(path)
    assert [c.name for c in model.table("main", "a").columns] == ["id", "x"]
    assert model.table("main", "v").columns == ()


# Odd names -----------------------------------------------------------------

ODD_TABLE = "we\"ird 'na.me <b>&amp;</b>"
ODD_COLUMN = 'col `x` "y" [z]'
UNICODE_COLUMN = "Ünïcødé 表"


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def test_odd_identifiers_survive(tmp_path: Path):
    path = build(
        tmp_path / "odd.db",
        f"CREATE TABLE {q(ODD_TABLE)} ({q(ODD_COLUMN)} INTEGER PRIMARY KEY,"
        f" {q(UNICODE_COLUMN)} VARCHAR(10) CONSTRAINT {q('chk ' + UNICODE_COLUMN)}"
        f" CHECK ({q(UNICODE_COLUMN)} <> 'a,b'), \"select\" TEXT,"
        f" {q('gen)')} TEXT AS (upper({q(UNICODE_COLUMN)})));"
        f"CREATE TABLE child (id INTEGER PRIMARY KEY,"
        f" parent INTEGER REFERENCES {q(ODD_TABLE)} ({q(ODD_COLUMN)}));"
        f'CREATE INDEX {q("ix " + ODD_TABLE)} ON {q(ODD_TABLE)} ({q(UNICODE_COLUMN)}, "select");',
    )
    model = introspect(path)
    odd = model.table("main", ODD_TABLE)
    assert [c.name for c in odd.columns] == [ODD_COLUMN, UNICODE_COLUMN, "select", "gen)"]
    assert odd.primary_key.columns == (ODD_COLUMN,)
    assert odd.checks == (
        m.CheckConstraint("chk " + UNICODE_COLUMN, f"{q(UNICODE_COLUMN)} <> 'a,b'"),
    )
    assert odd.column("gen)").generated == f"upper({q(UNICODE_COLUMN)})"
    assert odd.indexes[0].name == "ix " + ODD_TABLE
    assert odd.indexes[0].columns == (UNICODE_COLUMN, "select")
    fk = model.table("main", "child").foreign_keys[0]
    assert (fk.ref_table, fk.ref_columns) == (ODD_TABLE, (ODD_COLUMN,))


# Read-only, and failures ---------------------------------------------------


def test_file_is_opened_read_only(shop: Path):
    target = Target(dialect="sqlite", database=str(shop))
    with (
        pytest.raises(IntrospectionError) as caught,
        sqlite.read_only_session(target, LIMITS) as read,
    ):
        read("INSERT INTO customer (email, name) VALUES ('a@b.c', 'x')")
    assert "readonly" in caught.value.message
    with sqlite3.connect(shop) as conn:
        assert conn.execute("SELECT count(*) FROM customer").fetchone() == (0,)
    conn.close()


def test_missing_file_is_an_error_and_is_never_created(tmp_path: Path):
    missing = tmp_path / "nope.db"
    with pytest.raises(IntrospectionError) as caught:
        introspect(missing)
    assert caught.value.message == (
        f"No readable SQLite database at {missing} (missing, not a file, or not SQLite)."
    )
    assert not missing.exists()
    with pytest.raises(IntrospectionError):
        sqlite.probe(Target(dialect="sqlite", database=str(missing)), limits=LIMITS)
    assert not missing.exists()


def test_missing_directory_and_non_sqlite_files_read_alike(tmp_path: Path):
    # A member must not learn which files exist on SchemaJoy's host.
    path = tmp_path / "notes.db"
    path.write_text("not a database, just some text " * 100)
    messages = set()
    for candidate in (path, tmp_path, tmp_path / "missing.db"):
        with pytest.raises(IntrospectionError) as caught:
            introspect(candidate)
        assert not caught.value.transient
        messages.add(caught.value.message.replace(str(candidate), "PATH"))
    assert messages == {"No readable SQLite database at PATH (missing, not a file, or not SQLite)."}


def test_locked_file_is_a_transient_error(shop: Path):
    writer = sqlite3.connect(shop, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(IntrospectionError) as caught:
            introspect(shop, Limits(connect_timeout=1, statement_timeout=5, lock_timeout=0.2))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert caught.value.transient and "locked" in caught.value.message


def test_statement_timeout_interrupts_a_long_statement(shop: Path):
    target = Target(dialect="sqlite", database=str(shop))
    limits = Limits(connect_timeout=1, statement_timeout=0.05, lock_timeout=1)
    with (
        pytest.raises(IntrospectionError) as caught,
        sqlite.read_only_session(target, limits) as read,
    ):
        read(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)"
            " SELECT count(*) FROM n"
        )
    assert caught.value.transient and "statement timeout" in caught.value.message


def test_probe_reports_the_version_and_no_write_privileges(shop: Path):
    version, privileges = sqlite.probe(Target(dialect="sqlite", database=str(shop)), limits=LIMITS)
    assert version == f"SQLite {sqlite3.sqlite_version}" and privileges == []


def test_read_only_role_sql_explains_there_is_no_role(shop: Path):
    text = sqlite.read_only_role_sql(Target(dialect="sqlite", database=str(shop)))
    assert "mode=ro" in text and str(shop) in text
    assert all(line.startswith("--") for line in text.splitlines())


# Pure helpers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "family"),
    [
        ("INTEGER", m.INTEGER),
        ("BIGINT UNSIGNED", m.INTEGER),
        ("NVARCHAR(70)", m.TEXT),
        ("CLOB", m.TEXT),
        ("DOUBLE PRECISION", m.FLOAT),
        ("FLOAT", m.FLOAT),
        ("NUMERIC(10,2)", m.DECIMAL),
        ("DECIMAL", m.DECIMAL),
        ("BOOLEAN", m.BOOLEAN),
        ("DATE", m.DATE),
        ("DATETIME", m.TIMESTAMP),
        ("TIMESTAMP WITH TIME ZONE", m.TIMESTAMPTZ),
        ("TIME", m.TIME),
        ("BLOB", m.BINARY),
        ("", m.OTHER),
        ("MONEYBAGS", m.OTHER),
    ],
)
def test_type_family_follows_affinity_rules(declared: str, family: str):
    assert sqlite.type_family(declared) == family


def test_parses_create_index_parts_and_predicate():
    parsed = sqlite.parse_create_index(
        'CREATE INDEX "i" ON t (a COLLATE NOCASE, "b c" DESC, (x + 1), coalesce(y, \',\'))'
        " WHERE a IS NOT NULL AND b > 0;"
    )
    assert parsed.parts == ("a", "b c", "(x + 1)", "coalesce(y, ',')")
    assert parsed.predicate == "a IS NOT NULL AND b > 0"


def test_parses_view_body_after_column_list():
    assert sqlite.parse_view_body("CREATE VIEW v (a, b) AS SELECT 1, 2") == "SELECT 1, 2"
