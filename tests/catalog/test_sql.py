"""Dialect SQL (pure): quoting, literals, type names, COMMENT SQL, role SQL and key ranges."""

from __future__ import annotations

import sqlite3

import pytest

from catalog.introspection.model import BOOLEAN, JSON, UUID
from catalog.sql import (
    BIGINT,
    DIALECTS,
    MONEY_NUMERIC,
    MYSQL,
    MYSQL_COLUMN_COMMENT_MAX,
    MYSQL_TABLE_COMMENT_MAX,
    NUMERIC,
    POSTGRESQL,
    READ_ONLY_ROLE,
    SQLITE,
    TIMESTAMP_TYPE,
    CommentedColumn,
    CommentedTable,
    dialect,
)

HOSTILE = ['we"ird', "back`tick", "it's", "a.b", "select", "Ünïcödé 表 🎉", "two  spaces", "\\"]

# Quoting --------------------------------------------------------------------------


def test_postgresql_and_sqlite_double_double_quotes_and_keep_backticks():
    for sql in (POSTGRESQL, SQLITE):
        assert sql.quote('we"ird') == '"we""ird"'
        assert sql.quote("back`tick") == '"back`tick"'
        assert sql.quote('""') == '""""""'


def test_mysql_doubles_backticks_and_keeps_double_quotes():
    assert MYSQL.quote("back`tick") == "`back``tick`"
    assert MYSQL.quote('we"ird') == '`we"ird`'
    assert MYSQL.quote("``") == "``````"


def test_every_name_is_quoted_whatever_its_case_or_spelling():
    assert POSTGRESQL.quote("Orders") == '"Orders"'
    assert POSTGRESQL.quote("select") == '"select"'
    assert MYSQL.quote("Ünïcödé 表 🎉") == "`Ünïcödé 表 🎉`"
    assert POSTGRESQL.quote("") == '""'


@pytest.mark.parametrize("sql", [POSTGRESQL, MYSQL, SQLITE], ids=lambda d: d.name)
def test_quoting_refuses_nul(sql):
    with pytest.raises(ValueError, match="NUL"):
        sql.quote("a\x00b")


def test_qualified_names_quote_schema_and_name_apart():
    assert POSTGRESQL.qualified('Sales "EU"', "a.b") == '"Sales ""EU"""."a.b"'
    assert MYSQL.qualified("shop", "or`ders") == "`shop`.`or``ders`"


@pytest.mark.parametrize("name", HOSTILE)
def test_sqlite_reads_back_every_hostile_name_it_was_given(name):
    conn = sqlite3.connect(":memory:")
    table, column = SQLITE.quote(name), SQLITE.quote(name + "_c")
    conn.execute(f"CREATE TABLE {table} ({column} TEXT)")
    conn.execute(f"INSERT INTO {table} ({column}) VALUES ({SQLITE.literal(name)})")
    assert conn.execute(f"SELECT {column} FROM {table}").fetchall() == [(name,)]
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [(name,)]


# Literals -------------------------------------------------------------------------


def test_postgresql_literals_use_e_strings_only_for_backslashes():
    assert POSTGRESQL.literal("it's") == "'it''s'"
    assert POSTGRESQL.literal("a\\b") == "E'a\\\\b'"
    assert POSTGRESQL.literal("a\\'b") == "E'a\\\\''b'"
    assert POSTGRESQL.literal("line\nnext ü") == "'line\nnext ü'"
    assert POSTGRESQL.literal("") == "''"


def test_postgresql_and_sqlite_literals_refuse_nul():
    for sql in (POSTGRESQL, SQLITE):
        with pytest.raises(ValueError, match="NUL"):
            sql.literal("a\x00b")
    with pytest.raises(ValueError, match="NUL"):
        POSTGRESQL.literal("a\\\x00")


def test_mysql_literals_escape_backslashes_and_control_characters():
    assert MYSQL.literal("it's") == "'it''s'"
    assert MYSQL.literal("a\\b") == "'a\\\\b'"
    assert MYSQL.literal("line\r\nnext\x00ü") == "'line\\r\\nnext\\0ü'"
    assert MYSQL.literal("^Z\x1a") == "'^Z\\Z'"
    assert MYSQL.literal('back`tick "q"') == "'back`tick \"q\"'"


def test_sqlite_literals_double_quotes_and_leave_backslashes():
    assert SQLITE.literal("it's \\ ok") == "'it''s \\ ok'"


def test_mysql_grant_database_escapes_like_wildcards_and_backticks():
    assert MYSQL.grant_database("shop_v1%`x") == "`shop\\_v1\\%``x`"
    assert MYSQL.grant_database("a\\b") == "`a\\\\b`"


# Type names and facts -------------------------------------------------------------


def test_type_names_per_dialect():
    assert POSTGRESQL.type_name(TIMESTAMP_TYPE) == "timestamptz"
    assert POSTGRESQL.type_name(JSON) == "jsonb"
    assert POSTGRESQL.type_name(MONEY_NUMERIC) == "numeric(19,4)"
    assert MYSQL.type_name(TIMESTAMP_TYPE) == "DATETIME(6)"
    assert MYSQL.type_name(NUMERIC) is None and MYSQL.type_name(UUID) is None
    assert SQLITE.type_name(BIGINT) == "INTEGER"
    assert SQLITE.type_name(BOOLEAN) == "BOOLEAN"
    assert SQLITE.type_name(UUID) is None and SQLITE.type_name(JSON) is None


def test_dialects_are_found_by_name_and_unknown_names_refused():
    assert DIALECTS == {"postgresql": POSTGRESQL, "mysql": MYSQL, "sqlite": SQLITE}
    assert dialect("mysql") is MYSQL
    with pytest.raises(ValueError, match="oracle"):
        dialect("oracle")


# COMMENT SQL ----------------------------------------------------------------------

ORDERS = CommentedTable(
    schema='Sales "EU"',
    name="orders",
    text="Checkouts",
    columns=(CommentedColumn(name="it's", text="a \\ path", data_type="text"),),
)


def test_postgresql_comment_sql_quotes_names_and_texts():
    view = CommentedTable(schema="public", name="recent", kind="materialized_view", text="x")
    sql = POSTGRESQL.comment_sql([ORDERS, view])
    assert sql.startswith("-- Documentation from SchemaJoy")
    assert 'COMMENT ON TABLE "Sales ""EU"""."orders" IS \'Checkouts\';' in sql
    assert 'COMMENT ON COLUMN "Sales ""EU"""."orders"."it\'s" IS E\'a \\\\ path\';' in sql
    assert 'COMMENT ON MATERIALIZED VIEW "public"."recent" IS \'x\';' in sql


def test_comment_sql_says_when_there_is_nothing_to_write():
    for sql in DIALECTS.values():
        text = sql.comment_sql([CommentedTable(schema="s", name="t")])
        assert text.endswith("\n\n-- Nothing to write: the comments match.\n")


def test_mysql_comment_sql_restates_columns_and_cuts_long_texts():
    table = CommentedTable(
        schema="shop",
        name="or`ders",
        text="t" * (MYSQL_TABLE_COMMENT_MAX + 1),
        columns=(
            CommentedColumn(
                name="id",
                text="Key",
                data_type="bigint",
                nullable=False,
                identity="auto_increment",
            ),
            CommentedColumn(
                name="status", text="s" * 2000, data_type="text", default="'new'", nullable=True
            ),
            CommentedColumn(name="total", text="Sum", data_type="int", generated="a + b"),
        ),
    )
    sql = MYSQL.comment_sql([table])
    assert (
        "ALTER TABLE `shop`.`or``ders`\n  MODIFY COLUMN `id` bigint NOT NULL AUTO_INCREMENT" in sql
    )
    assert f"MODIFY COLUMN `status` text NULL DEFAULT 'new' COMMENT '{'s' * 1024}'," in sql
    assert f"-- status: description cut to {MYSQL_COLUMN_COMMENT_MAX}." in sql
    assert f"COMMENT = '{'t' * MYSQL_TABLE_COMMENT_MAX}';" in sql
    assert "-- total is a generated column" in sql and "`total`" not in sql


def test_mysql_comment_sql_leaves_views_alone_and_warns_about_emoji():
    view = CommentedTable(schema="shop", name="v", kind="view", text="A view")
    emoji = CommentedTable(schema="shop", name="t", text="Party 🎉")
    sql = MYSQL.comment_sql([view, emoji])
    assert "-- v is a view: MySQL views take no comment." in sql
    assert "ALTER TABLE `shop`.`v`" not in sql
    assert "-- t: MySQL/MariaDB store comments in utf8mb3" in sql


def test_sqlite_comment_sql_is_a_comment_block_only():
    sql = SQLITE.comment_sql(
        [
            CommentedTable(
                schema="main",
                name="orders",
                text="Line one\n\nLine two",
                columns=(CommentedColumn(name="id", text="Key"),),
            )
        ]
    )
    assert "-- orders: Line one\n--\n-- Line two\n-- orders.id: Key" in sql
    assert all(line.startswith("--") for line in sql.splitlines() if line)


# Role SQL -------------------------------------------------------------------------


def test_postgresql_role_sql_quotes_schemas_and_database_and_defaults_to_public():
    sql = POSTGRESQL.role_sql(database='shop"db', schemas=['Sales "EU"', "public"])
    assert f'CREATE ROLE "{READ_ONLY_ROLE}" LOGIN PASSWORD' in sql
    assert 'GRANT CONNECT ON DATABASE "shop""db" TO "schemajoy_ro";' in sql
    assert 'GRANT USAGE ON SCHEMA "Sales ""EU""", "public" TO "schemajoy_ro";' in sql
    assert 'GRANT USAGE ON SCHEMA "public" TO' in POSTGRESQL.role_sql(database="d")


def test_mysql_role_sql_grants_select_on_the_escaped_database():
    sql = MYSQL.role_sql(database="shop_v1%`x")
    assert "CREATE USER 'schemajoy_ro'@'%' IDENTIFIED BY" in sql
    assert "ON `shop\\_v1\\%``x`.* TO 'schemajoy_ro'@'%'" in sql


def test_sqlite_role_sql_is_only_advice():
    sql = SQLITE.role_sql(database="/data/shop.db")
    assert "/data/shop.db" in sql and "mode=ro" in sql
    assert all(line.startswith("--") for line in sql.splitlines())


# Key ranges -----------------------------------------------------------------------


def test_key_ranges_are_disjoint_and_split_the_rows():
    sql = MYSQL.key_ranges("SELECT a FROM t", "`k`", starts=[10, 50, 90], rows=100)
    assert sql == (
        "(SELECT a FROM t WHERE `k` >= 10 AND `k` < 50 ORDER BY `k` LIMIT 34) UNION ALL "
        "(SELECT a FROM t WHERE `k` >= 50 AND `k` < 90 ORDER BY `k` LIMIT 34) UNION ALL "
        "(SELECT a FROM t WHERE `k` >= 90 ORDER BY `k` LIMIT 34)"
    )


def test_key_ranges_without_starts_read_a_plain_limit():
    for sql in DIALECTS.values():
        assert (
            sql.key_ranges("SELECT a FROM t", "k", starts=[], rows=7) == "SELECT a FROM t LIMIT 7"
        )


def test_sqlite_key_ranges_wrap_each_part_and_run():
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE "t""x" (v INTEGER)')
    conn.executemany('INSERT INTO "t""x" (v) VALUES (?)', [(i,) for i in range(1, 101)])
    table = SQLITE.quote('t"x')
    source = f"SELECT v FROM {table}"
    sql = SQLITE.key_ranges(source, "rowid", starts=[5, 60], rows=6)
    assert sql.startswith("SELECT * FROM (SELECT v FROM")
    assert [v for (v,) in conn.execute(sql)] == [5, 6, 7, 60, 61, 62]
    bounds = SQLITE.key_bounds(table, "rowid")
    assert conn.execute(bounds).fetchall() == [(1, 100)]
