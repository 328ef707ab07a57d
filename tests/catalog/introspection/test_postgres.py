"""PostgreSQL introspection against real databases: the corpus schemas and scratch databases."""

from __future__ import annotations

import threading
import time
from collections import Counter

import psycopg
import pytest

from catalog.introspection import IntrospectionError, introspect, postgres, probe
from catalog.introspection.dsn import parse_dsn
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel, from_document, to_document
from tests.fixtures.postgres_targets import PgTarget, dsn_for

CORPORA = [
    "pagila",
    "chinook_pg",
    "northwind",
    "adventureworks",
    "openstreetmap",
    "gisia",
    "musicbrainz",
]

# Independent counts, written against information_schema and the pg_* views rather than the
# pg_class/pg_constraint joins the introspection uses. Partitions (children of a partitioned
# table) are not tables of the model, so every count leaves them out.
_PARTITIONS = """
    SELECT i.inhrelid FROM pg_inherits i JOIN pg_partitioned_table p ON p.partrelid = i.inhparent
"""
_USER = "{s} NOT IN ('pg_catalog', 'information_schema') AND {s} NOT LIKE 'pg\\_toast%'"
EXPECTED_KINDS_SQL = f"""
SELECT 'table', count(*) FROM pg_tables t
 WHERE {_USER.format(s="t.schemaname")}
   AND format('%I.%I', t.schemaname, t.tablename)::regclass NOT IN ({_PARTITIONS})
   AND format('%I.%I', t.schemaname, t.tablename)::regclass
       NOT IN (SELECT partrelid FROM pg_partitioned_table)
UNION ALL
SELECT 'partitioned', count(*) FROM pg_partitioned_table p
 WHERE p.partrelid NOT IN ({_PARTITIONS})
   AND p.partrelid::regclass::text NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'view', count(*) FROM pg_views v WHERE {_USER.format(s="v.schemaname")}
UNION ALL
SELECT 'materialized_view', count(*) FROM pg_matviews v WHERE {_USER.format(s="v.schemaname")}
UNION ALL
SELECT 'foreign', count(*) FROM information_schema.foreign_tables
"""
EXPECTED_COLUMNS_SQL = f"""
SELECT (SELECT count(*) FROM information_schema.columns c
         WHERE {_USER.format(s="c.table_schema")}
           AND format('%I.%I', c.table_schema, c.table_name)::regclass NOT IN ({_PARTITIONS}))
     + (SELECT count(*) FROM pg_matviews v
          JOIN pg_attribute a ON a.attrelid = format('%I.%I', v.schemaname, v.matviewname)::regclass
         WHERE a.attnum > 0 AND NOT a.attisdropped AND {_USER.format(s="v.schemaname")})
"""
EXPECTED_PRIMARY_KEYS_SQL = f"""
SELECT count(*) FROM information_schema.table_constraints tc
 WHERE tc.constraint_type = 'PRIMARY KEY' AND {_USER.format(s="tc.table_schema")}
   AND format('%I.%I', tc.table_schema, tc.table_name)::regclass NOT IN ({_PARTITIONS})
"""
# FKs declared on tables, by name (a FK to a partitioned table repeats its name once per
# partition), plus FKs declared only on partitions, once per parent and definition.
EXPECTED_FOREIGN_KEYS_SQL = f"""
SELECT (SELECT count(DISTINCT (tc.table_schema, tc.table_name, tc.constraint_name))
          FROM information_schema.table_constraints tc
         WHERE tc.constraint_type = 'FOREIGN KEY' AND {_USER.format(s="tc.table_schema")}
           AND format('%I.%I', tc.table_schema, tc.table_name)::regclass NOT IN ({_PARTITIONS}))
     + (SELECT count(DISTINCT (i.inhparent, pg_get_constraintdef(c.oid)))
          FROM pg_constraint c JOIN pg_inherits i ON i.inhrelid = c.conrelid
         WHERE c.contype = 'f' AND c.conparentid = 0
           AND pg_get_constraintdef(c.oid) NOT IN (
               SELECT pg_get_constraintdef(pc.oid) FROM pg_constraint pc
                WHERE pc.conrelid = i.inhparent AND pc.contype = 'f'))
"""


def scalar(dsn: str, query: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(query).fetchone()[0]


def model_of(dsn: str, **limits: float) -> SchemaModel:
    return introspect(dsn, limits=Limits(**limits))


@pytest.mark.parametrize("corpus", CORPORA)
def test_counts_match_independent_catalog_queries(pg_corpus, corpus: str) -> None:
    dsn = pg_corpus(corpus)
    model = model_of(dsn)
    with psycopg.connect(dsn) as conn:
        expected_kinds = {kind: n for kind, n in conn.execute(EXPECTED_KINDS_SQL) if n}
    assert dict(Counter(t.kind for t in model.tables)) == expected_kinds
    assert model.column_count == scalar(dsn, EXPECTED_COLUMNS_SQL)
    assert sum(1 for t in model.tables if t.primary_key) == scalar(dsn, EXPECTED_PRIMARY_KEYS_SQL)
    assert sum(len(t.foreign_keys) for t in model.tables) == scalar(dsn, EXPECTED_FOREIGN_KEYS_SQL)
    assert [t.key for t in model.tables] == sorted(t.key for t in model.tables)
    assert model.dialect == "postgresql" and model.server_version


def test_pagila_composite_key_partitions_and_views(pg_corpus) -> None:
    model = model_of(pg_corpus("pagila"))
    assert model.table("public", "film_actor").primary_key.columns == ("actor_id", "film_id")

    payment = model.table("public", "payment")
    assert payment.kind == "partitioned"
    assert payment.partitions == tuple(f"payment_p2022_0{m}" for m in range(1, 8))
    assert model.table("public", "payment_p2022_01") is None
    # Pagila declares these FKs on each of the 7 partitions: they fold into one each.
    assert sorted((fk.columns, fk.ref_table) for fk in payment.foreign_keys) == [
        (("customer_id",), "customer"),
        (("rental_id",), "rental"),
        (("staff_id",), "staff"),
    ]
    assert payment.primary_key.columns == ("payment_date", "payment_id")
    assert [i.name for i in payment.indexes] == ["payment_pkey"]

    film = model.table("public", "film")
    assert film.column("rating").type_family == "enum"
    assert film.column("special_features").type_family == "array"
    assert "film_fulltext_trigger" in film.triggers
    matview = model.table("public", "rental_by_category")
    assert matview.kind == "materialized_view" and "sum(p.amount)" in matview.view_definition
    view = model.table("public", "actor_info")
    assert view.kind == "view" and view.view_definition.lstrip().startswith("SELECT")


def test_model_survives_a_document_round_trip(pg_corpus) -> None:
    model = model_of(pg_corpus("pagila"))
    again = from_document(to_document(model))
    assert again == model and hash(again.tables) == hash(model.tables)


def test_chinook_and_northwind_keys(pg_corpus) -> None:
    chinook = model_of(pg_corpus("chinook_pg"))
    track = chinook.table("public", "track")
    assert {fk.ref_table for fk in track.foreign_keys} == {"album", "genre", "media_type"}
    assert track.column("name").max_length == 200
    northwind = model_of(pg_corpus("northwind"))
    details = northwind.table("public", "order_details")
    assert details.primary_key.columns == ("order_id", "product_id")
    assert (
        northwind.table("public", "orders").row_estimate is None
        or northwind.table("public", "orders").row_estimate >= 0
    )


def test_adventureworks_comments_schemas_and_composite_foreign_key(pg_corpus) -> None:
    model = model_of(pg_corpus("adventureworks"))
    department = model.table("humanresources", "department")
    assert department.comment == (
        "Lookup table containing the departments within the Adventure Works Cycles company."
    )
    assert department.column("departmentid").comment == "Primary key for Department records."
    assert {"humanresources", "person", "production", "purchasing", "sales"} <= set(model.schemas)
    detail = model.table("sales", "salesorderdetail")
    composite = next(fk for fk in detail.foreign_keys if len(fk.columns) == 2)
    assert composite.name == "FK_SalesOrderDetail_SpecialOfferProduct_SpecialOfferIDProductID"
    assert composite.columns == ("specialofferid", "productid")
    assert (composite.ref_schema, composite.ref_table) == ("sales", "specialofferproduct")
    assert composite.ref_columns == ("specialofferid", "productid")


def test_openstreetmap_composite_foreign_key_keeps_column_order(pg_corpus) -> None:
    model = model_of(pg_corpus("openstreetmap"))
    node_tags = model.table("public", "node_tags")
    fk = next(fk for fk in node_tags.foreign_keys if fk.name == "node_tags_id_fkey")
    assert fk.columns == ("node_id", "version") and fk.ref_columns == ("node_id", "version")
    assert model.table("public", "moderation_zones").column("zone").type_family == "binary"


def test_gisia_partitioned_tables_keep_parent_foreign_keys_once(pg_corpus) -> None:
    model = model_of(pg_corpus("gisia"))
    for name, partitions in [
        ("activities", ("epic_activities", "issue_activities", "merge_request_activities")),
        ("notes", ("epic_notes", "issue_notes", "merge_request_notes")),
    ]:
        table = model.table("public", name)
        assert table.kind == "partitioned"
        assert table.partitions == partitions
        assert all(model.table("public", p) is None for p in partitions)
        # Partitioned indexes appear once, on the parent, never the partitions' copies.
        index_names = [i.name for i in table.indexes]
        assert index_names and len(index_names) == len(set(index_names))
        assert not any(n.startswith(partitions) for n in index_names)
    # Each partition carries a copy of these four FKs under the same name.
    notes = model.table("public", "notes")
    assert sorted((fk.name, fk.ref_table) for fk in notes.foreign_keys) == [
        ("fk_rails_36c9deba43", "users"),
        ("fk_rails_6e1963e950", "users"),
        ("fk_rails_76db6d50c6", "namespaces"),
        ("fk_rails_8027c2404e", "users"),
    ]


def test_musicbrainz_schemas_and_sizes(pg_corpus) -> None:
    model = model_of(pg_corpus("musicbrainz"))
    assert {"musicbrainz", "cover_art_archive", "statistics", "dbmirror2"} <= set(model.schemas)
    artist = model.table("musicbrainz", "artist")
    assert artist.primary_key.columns == ("id",)
    assert artist.column("gid").type_family == "uuid"
    assert artist.triggers


# Scratch databases ----------------------------------------------------------------


def test_identifiers_survive_exactly(pg_target: PgTarget) -> None:
    long_name = "t" * 63
    schema = 'odd "schema".x'
    names = ['quote"d', "with space", "dot.ted", "ünïcødé_表", long_name, "select", '<b>"x"</b>']
    ddl = [f'CREATE SCHEMA "{schema.replace(chr(34), chr(34) * 2)}"']
    for name in names:
        q = '"' + name.replace('"', '""') + '"'
        ddl.append(
            f'CREATE TABLE "odd ""schema"".x".{q} ({q} integer PRIMARY KEY, "Mixed Case" text)'
        )
        ddl.append(f"""COMMENT ON TABLE "odd ""schema"".x".{q} IS '<b>"x"</b> & co'""")
    pg_target.execute(";".join(ddl))
    model = model_of(pg_target.dsn)
    assert model.schemas == (schema,)
    assert sorted(t.name for t in model.tables) == sorted(names)
    for name in names:
        table = model.table(schema, name)
        assert [c.name for c in table.columns] == [name, "Mixed Case"]
        assert table.primary_key.columns == (name,)
        assert table.comment == '<b>"x"</b> & co'


def _catalog_query_count(dsn: str) -> int:
    """How many statements fetch_catalog runs on this database."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        count = 0
        execute = conn.execute

        def counting(*args, **kwargs):
            nonlocal count
            count += 1
            return execute(*args, **kwargs)

        conn.execute = counting  # type: ignore[method-assign]
        postgres.fetch_catalog(conn)
    return count


def test_enum_types_and_their_labels_are_read_in_one_query(pg_target: PgTarget) -> None:
    pg_target.execute(
        """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s fine');
        CREATE TABLE person (id int PRIMARY KEY, mood mood, moods mood[]);
        """
    )
    one_enum = _catalog_query_count(pg_target.dsn)
    pg_target.execute(
        """
        CREATE SCHEMA "Odd Schema";
        CREATE TYPE "Odd Schema"."Status" AS ENUM ('new', 'paid');
        CREATE TYPE empty AS ENUM ();
        CREATE TYPE later AS ENUM ('b', 'c');
        ALTER TYPE later ADD VALUE 'a' BEFORE 'b';
        CREATE TABLE "Odd Schema".orders (id int PRIMARY KEY, status "Odd Schema"."Status");
        """
    )
    assert _catalog_query_count(pg_target.dsn) == one_enum  # not one query per type
    model = model_of(pg_target.dsn)
    assert [(e.schema, e.name, e.data_type, e.labels) for e in model.enum_types] == [
        ("Odd Schema", "Status", '"Odd Schema"."Status"', ("new", "paid")),
        ("public", "empty", "empty", ()),
        ("public", "later", "later", ("a", "b", "c")),  # in their sort order
        ("public", "mood", "mood", ("sad", "ok", "it's fine")),
    ]
    # Each column's type finds its labels as the column prints it.
    status = model.table("Odd Schema", "orders").column("status")
    assert model.enum_labels(status.data_type) == ("new", "paid")
    person = model.table("public", "person")
    assert model.enum_labels(person.column("moods").data_type) == ("sad", "ok", "it's fine")
    assert from_document(to_document(model)) == model


def test_renamed_table_and_column_keep_their_idents(pg_target: PgTarget) -> None:
    pg_target.execute("CREATE TABLE orders (id integer PRIMARY KEY, note text, total numeric)")
    before = model_of(pg_target.dsn).table("public", "orders")
    pg_target.execute(
        "ALTER TABLE orders RENAME TO purchases; ALTER TABLE purchases RENAME note TO remark;"
        "ALTER TABLE purchases DROP COLUMN total; ALTER TABLE purchases ADD COLUMN total numeric"
    )
    after = model_of(pg_target.dsn).table("public", "purchases")
    assert after.ident == before.ident
    assert after.column("remark").ident == before.column("note").ident == "2"
    # A dropped and re-added column is a new column, with a new identity.
    assert after.column("total").ident != before.column("total").ident


def test_columns_types_defaults_identity_and_generated(pg_target: PgTarget) -> None:
    pg_target.execute(
        """
        CREATE EXTENSION citext;
        CREATE TYPE mood AS ENUM ('ok', 'sad');
        CREATE DOMAIN short_code AS varchar(12);
        CREATE DOMAIN shorter_code AS short_code;
        CREATE DOMAIN amounts AS numeric(10, 2)[];
        CREATE TABLE things (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            n2 smallint GENERATED BY DEFAULT AS IDENTITY,
            price numeric(8, 2) NOT NULL DEFAULT 0,
            ratio real, big double precision, cash money,
            name varchar(80), letter char(3), body text, email citext,
            flag boolean, born date, seen timestamp, seen_tz timestamptz,
            at time, at_tz timetz, span interval, uid uuid, doc json, docb jsonb, raw bytea,
            feeling mood, labels text[], code short_code, code2 shorter_code, many amounts,
            spot point,
            doubled integer GENERATED ALWAYS AS (n2 * 2) STORED
        );
        COMMENT ON COLUMN things.price IS 'In euros';
        """
    )
    table = model_of(pg_target.dsn).table("public", "things")
    families = {c.name: c.type_family for c in table.columns}
    assert families == {
        "id": "integer", "n2": "integer", "price": "decimal", "ratio": "float", "big": "float",
        "cash": "money", "name": "text", "letter": "text", "body": "text", "email": "text",
        "flag": "boolean", "born": "date", "seen": "timestamp", "seen_tz": "timestamptz",
        "at": "time", "at_tz": "timetz", "span": "interval", "uid": "uuid", "doc": "json",
        "docb": "json", "raw": "binary", "feeling": "enum", "labels": "array", "code": "text",
        "code2": "text", "many": "array", "spot": "other", "doubled": "integer",
    }  # fmt: skip
    col = table.column
    assert (col("id").identity, col("n2").identity, col("price").identity) == (
        "always",
        "by default",
        None,
    )
    assert col("price").data_type == "numeric(8,2)" and col("price").default == "0"
    assert not col("price").nullable and col("ratio").nullable
    assert col("price").comment == "In euros"
    assert col("doubled").generated == "(n2 * 2)" and col("doubled").default is None
    assert (col("name").max_length, col("letter").max_length, col("body").max_length) == (
        80,
        3,
        None,
    )
    assert (col("code").max_length, col("code2").max_length) == (12, 12)
    assert [c.ident for c in table.columns] == [str(n) for n in range(1, len(table.columns) + 1)]


def test_constraints_indexes_triggers_and_row_estimates(pg_target: PgTarget) -> None:
    pg_target.execute(
        """
        CREATE TABLE customers (id integer PRIMARY KEY, email text UNIQUE,
                                region text, code text, CONSTRAINT region_code UNIQUE (region, code));
        CREATE TABLE orders (
            id integer PRIMARY KEY,
            customer_id integer REFERENCES customers ON DELETE CASCADE ON UPDATE SET NULL,
            region text, code text, qty integer CHECK (qty > 0), deleted_at timestamptz,
            FOREIGN KEY (code, region) REFERENCES customers (code, region) ON DELETE SET NULL
        );
        ALTER TABLE customers ADD CONSTRAINT code_region UNIQUE (code, region);
        CREATE INDEX orders_live ON orders (customer_id, qty) WHERE deleted_at IS NULL;
        CREATE INDEX orders_lower ON orders USING hash (lower(code));
        CREATE INDEX orders_mixed ON orders (region, (qty * 2), customer_id);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE TRIGGER b_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE TRIGGER a_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch();
        INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 500) g;
        ANALYZE customers;
        """
    )
    model = model_of(pg_target.dsn)
    orders, customers = model.table("public", "orders"), model.table("public", "customers")
    assert customers.row_estimate == 500 and orders.row_estimate is None
    assert [u.columns for u in customers.unique_constraints] == [
        ("code", "region"), ("email",), ("region", "code")
    ]  # fmt: skip
    single, composite = sorted(orders.foreign_keys, key=lambda fk: len(fk.columns))
    assert (single.on_delete, single.on_update, single.ref_columns) == (
        "CASCADE",
        "SET NULL",
        ("id",),
    )
    assert composite.columns == ("code", "region") and composite.ref_columns == ("code", "region")
    assert (composite.on_delete, composite.on_update) == ("SET NULL", "NO ACTION")
    assert [c.expression for c in orders.checks] == ["qty > 0"]
    indexes = {i.name: i for i in orders.indexes}
    assert indexes["orders_live"].predicate == "deleted_at IS NULL"
    assert indexes["orders_live"].columns == ("customer_id", "qty")
    assert indexes["orders_lower"].method == "hash"
    assert indexes["orders_lower"].columns == ("lower(code)",)
    assert indexes["orders_mixed"].columns == ("region", "(qty * 2)", "customer_id")
    assert indexes["orders_pkey"].primary and indexes["orders_pkey"].unique
    assert orders.triggers == ("a_touch", "b_touch")


def test_nested_partitions_fold_into_the_root_and_foreign_keys_to_them_appear_once(
    pg_target: PgTarget,
) -> None:
    pg_target.execute(
        """
        CREATE TABLE events (id integer, at date, kind text, PRIMARY KEY (id, at))
            PARTITION BY RANGE (at);
        CREATE TABLE events_2024 PARTITION OF events
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (id);
        CREATE TABLE events_2024_a PARTITION OF events_2024 FOR VALUES FROM (0) TO (20);
        CREATE TABLE events_2024_b PARTITION OF events_2024 FOR VALUES FROM (20) TO (100);
        CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE notes (id integer PRIMARY KEY, event_id integer, event_at date,
                            FOREIGN KEY (event_id, event_at) REFERENCES events);
        INSERT INTO events SELECT g, '2024-03-01', 'a' FROM generate_series(1, 30) g;
        INSERT INTO events SELECT g, '2025-03-01', 'x' FROM generate_series(1, 12) g;
        ANALYZE;
        """
    )
    model = model_of(pg_target.dsn)
    assert [t.name for t in model.tables] == ["events", "notes"]
    events = model.table("public", "events")
    assert events.partitions == ("events_2024", "events_2024_a", "events_2024_b", "events_2025")
    assert events.row_estimate == 42
    (fk,) = model.table("public", "notes").foreign_keys
    assert (fk.ref_table, fk.ref_columns) == ("events", ("id", "at"))


# Failures ---------------------------------------------------------------------------


def test_unreachable_port_is_a_transient_error_without_the_password() -> None:
    with pytest.raises(IntrospectionError) as caught:
        introspect("postgresql://someone:s3cr3t-pw@127.0.0.1:5999/db")
    assert caught.value.message == (
        "Could not reach a PostgreSQL server at 127.0.0.1:5999 within 10 s "
        "(refused, no answer, or unknown host)."
    )
    assert caught.value.transient
    assert "s3cr3t-pw" not in str(caught.value) and caught.value.__cause__ is None


# The local server trusts 127.0.0.1, so a wrong password cannot be refused here: an unknown
# role and an unknown database stand in for the non-transient authentication failures.
def test_unknown_role_is_a_permanent_error_without_the_password(pg_target: PgTarget) -> None:
    with pytest.raises(IntrospectionError) as caught:
        introspect(pg_target.dsn_as("nobody_here", password="s3cr3t-pw"))
    assert caught.value.message == "The server has no role named 'nobody_here'."
    assert not caught.value.transient and "s3cr3t-pw" not in str(caught.value)


def test_unknown_database_is_a_permanent_error() -> None:
    with pytest.raises(IntrospectionError) as caught:
        introspect(dsn_for("sjt_no_such_database"))
    assert caught.value.message == "The server has no database named 'sjt_no_such_database'."
    assert not caught.value.transient


def test_wrong_password_message_names_the_role_not_the_password() -> None:
    target = parse_dsn("postgresql://app:s3cr3t-pw@db.example:5432/shop")
    error = psycopg.OperationalError(
        'connection failed: FATAL:  password authentication failed for user "app"'
    )
    translated = postgres.translate_error(error, target=target, limits=Limits())
    assert translated.message == "The server rejected the password for role 'app'."
    assert not translated.transient


def test_too_old_server_is_refused_with_the_supported_versions() -> None:
    with pytest.raises(IntrospectionError, match="supports PostgreSQL 12 and newer"):
        postgres.check_server_version(110022, "11.22")
    postgres.check_server_version(120000, "12.0")


def hold_catalog_lock(dsn: str) -> psycopg.Connection:
    """Another session holding ACCESS EXCLUSIVE on a catalog our queries read."""
    holder = psycopg.connect(dsn)
    holder.execute("LOCK TABLE pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE")
    return holder


def test_statement_timeout_is_transient_and_names_the_limit(pg_target: PgTarget) -> None:
    holder = hold_catalog_lock(pg_target.dsn)
    try:
        with pytest.raises(IntrospectionError) as caught:
            model_of(pg_target.dsn, statement_timeout=0.3, lock_timeout=30)
    finally:
        holder.close()
    assert "statement timeout (0.3 s)" in caught.value.message
    assert caught.value.transient


def test_lock_timeout_is_transient_and_names_the_limit(pg_target: PgTarget) -> None:
    holder = hold_catalog_lock(pg_target.dsn)
    try:
        with pytest.raises(IntrospectionError) as caught:
            model_of(pg_target.dsn, statement_timeout=30, lock_timeout=0.2)
    finally:
        holder.close()
    assert "lock timeout (0.2 s)" in caught.value.message
    assert caught.value.transient


def test_connection_lost_mid_way_is_transient(pg_target: PgTarget) -> None:
    holder = hold_catalog_lock(pg_target.dsn)

    def terminate_when_waiting() -> None:
        for _ in range(100):
            rows = pg_target.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'schemajoy' "
                "AND wait_event_type = 'Lock'"
            )
            if rows:
                return
            time.sleep(0.05)

    killer = threading.Thread(target=terminate_when_waiting)
    killer.start()
    try:
        with pytest.raises(IntrospectionError) as caught:
            model_of(pg_target.dsn, statement_timeout=30, lock_timeout=30)
    finally:
        killer.join()
        holder.close()
    assert "was lost" in caught.value.message and caught.value.transient


def test_role_without_connect_privilege_is_told_so(pg_target: PgTarget) -> None:
    role = pg_target.create_role("noconnect")
    pg_target.execute(f'REVOKE CONNECT ON DATABASE "{pg_target.database}" FROM PUBLIC')
    with pytest.raises(IntrospectionError) as caught:
        introspect(pg_target.dsn_as(role))
    assert caught.value.message == (
        f"Role '{role}' may not connect to database '{pg_target.database}' (it lacks CONNECT)."
    )
    assert not caught.value.transient


def test_role_denied_a_catalog_table_is_told_which(pg_target: PgTarget) -> None:
    role = pg_target.create_role("nocatalog")
    pg_target.execute("REVOKE SELECT ON pg_catalog.pg_description FROM PUBLIC")
    with pytest.raises(IntrospectionError) as caught:
        introspect(pg_target.dsn_as(role))
    assert "permission denied for table pg_description" in caught.value.message
    assert not caught.value.transient


def test_role_that_cannot_read_the_tables_still_introspects(pg_target: PgTarget) -> None:
    pg_target.execute(
        "CREATE TABLE secret (id integer PRIMARY KEY); REVOKE ALL ON secret FROM PUBLIC"
    )
    role = pg_target.create_role("catalogonly")
    model = introspect(pg_target.dsn_as(role))
    assert model.table("public", "secret").primary_key.columns == ("id",)


def test_session_is_read_only_with_timeouts_and_application_name(pg_target: PgTarget) -> None:
    target = parse_dsn(pg_target.dsn)
    limits = Limits(statement_timeout=7, lock_timeout=2)
    with psycopg.connect(**postgres.connect_kwargs(target, limits), autocommit=True) as conn:
        settings = conn.execute(
            "SELECT current_setting('default_transaction_read_only'),"
            " current_setting('statement_timeout'), current_setting('lock_timeout'),"
            " current_setting('application_name')"
        ).fetchone()
        assert settings == ("on", "7s", "2s", "schemajoy")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE sneaky (id integer)")
    assert pg_target.execute("SELECT to_regclass('sneaky')") == [(None,)]


# probe() and the read-only role ---------------------------------------------------


def test_probe_reports_superuser(pg_target: PgTarget) -> None:
    result = probe(pg_target.dsn)
    assert result.write_privileges == ("superuser",) and result.can_write
    assert result.server_version.split(".")[0].isdigit()


def test_probe_reports_nothing_for_a_select_only_role(pg_target: PgTarget) -> None:
    pg_target.execute("CREATE TABLE orders (id integer); CREATE TABLE items (id integer)")
    role = pg_target.create_role("reader")
    pg_target.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    assert probe(pg_target.dsn_as(role)).write_privileges == ()


def test_probe_reports_table_and_schema_write_privileges(pg_target: PgTarget) -> None:
    pg_target.execute(
        "CREATE TABLE orders (id integer); CREATE TABLE items (id integer);"
        "CREATE TABLE notes (id integer)"
    )
    role = pg_target.create_role("writer")
    pg_target.execute(
        f'GRANT INSERT, UPDATE, DELETE ON orders, items TO "{role}";'
        f'GRANT TRUNCATE ON notes TO "{role}"; GRANT CREATE ON SCHEMA public TO "{role}"'
    )
    assert probe(pg_target.dsn_as(role)).write_privileges == (
        "CREATE on schema public",
        "INSERT, UPDATE, DELETE on 2 tables (e.g. public.items)",
        "TRUNCATE on 1 table (e.g. public.notes)",
    )


def test_read_only_role_sql_runs_and_yields_a_read_only_role(pg_target: PgTarget) -> None:
    pg_target.execute('CREATE SCHEMA "Sales ""EU"""; CREATE TABLE "Sales ""EU""".deals (id int)')
    text = postgres.read_only_role_sql(parse_dsn(pg_target.dsn))
    assert 'GRANT USAGE ON SCHEMA "Sales ""EU""", "public" TO "schemajoy_ro";' in text
    assert f'GRANT CONNECT ON DATABASE "{pg_target.database}" TO "schemajoy_ro";' in text
    role = pg_target.create_role("ro")
    pg_target.execute(f'DROP ROLE "{role}"')
    pg_target.execute(text.replace('"schemajoy_ro"', f'"{role}"'))
    assert probe(pg_target.dsn_as(role)).write_privileges == ()
    model = introspect(pg_target.dsn_as(role))
    assert model.table('Sales "EU"', "deals") is not None


def test_describes_write_privileges_grouped_by_privilege_set() -> None:
    rows = [("public", f"t{i}", True, True, True, False) for i in range(12)]
    rows += [("app", "log", False, False, False, True), ("app", "ro", False, False, False, False)]
    assert postgres.describe_write_privileges(
        create_on_database=True, schemas_with_create=["app"], table_privileges=rows
    ) == [
        "CREATE on the database",
        "CREATE on schema app",
        "INSERT, UPDATE, DELETE on 12 tables (e.g. public.t0)",
        "TRUNCATE on 1 table (e.g. app.log)",
    ]


def test_a_server_that_accepts_and_never_answers_times_out_within_the_connect_timeout(
    silent_listener,
):
    dsn = f"postgresql://app:pw@127.0.0.1:{silent_listener.port}/shop"
    started = time.monotonic()
    with pytest.raises(IntrospectionError) as caught:
        model_of(dsn, connect_timeout=2)
    assert time.monotonic() - started < 2 + 3
    assert caught.value.transient
    assert "within 2 s (refused, no answer, or unknown host)" in caught.value.message
