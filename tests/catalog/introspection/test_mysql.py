"""MySQL/MariaDB introspection against a real MariaDB: corpus schemas, odd names, failures.

Expected figures come from queries written here, differently from the module's (server-side
joins, GROUP_CONCAT, SHOW statements), and from the corpus folders' SOURCE.md load checks.
"""

from __future__ import annotations

import time

import pymysql
import pytest

from catalog.introspection import model as m
from catalog.introspection import mysql
from catalog.introspection.dsn import Target, parse_dsn
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.sql import READ_ONLY_ROLE
from tests.fixtures.mysql_targets import MysqlTarget, admin_execute, dsn_for, quote_ident

LIMITS = Limits(connect_timeout=5, statement_timeout=30, lock_timeout=5)

# From each corpus folder's SOURCE.md ("Counts after load"); columns of base tables only.
DOCUMENTED = {
    "chinook_mysql": {"tables": 11, "views": 0, "columns": 64, "fks": 11, "indexes": 22},
    "sakila_mysql": {"tables": 16, "views": 7, "columns": 89, "fks": 22, "indexes": 41},
}


def introspect(dsn: str, limits: Limits = LIMITS) -> m.SchemaModel:
    return mysql.introspect(parse_dsn(dsn), limits=limits)


@pytest.fixture(scope="module")
def corpus_models(mysql_corpus) -> dict[str, tuple[str, m.SchemaModel]]:
    return {name: (dsn, introspect(dsn)) for name in DOCUMENTED for dsn in [mysql_corpus(name)]}


@pytest.fixture(scope="module")
def sakila(corpus_models) -> m.SchemaModel:
    return corpus_models["sakila_mysql"][1]


# Independent answers -------------------------------------------------------


def independent_kinds(database: str) -> dict[str, str]:
    rows = admin_execute(f"SHOW FULL TABLES FROM {quote_ident(database)}")
    return {name: kind for name, kind in rows}


def independent_column_count(database: str) -> int:
    rows = admin_execute(
        """
        SELECT COUNT(*) FROM information_schema.TABLES t
        JOIN information_schema.COLUMNS c
          ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
        WHERE t.TABLE_SCHEMA = %s AND t.TABLE_TYPE = 'BASE TABLE'
        """,
        (database,),
    )
    return rows[0][0]


def independent_primary_keys(database: str) -> dict[str, tuple[str, ...]]:
    rows = admin_execute(
        """
        SELECT TABLE_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR '\t')
        FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = %s AND INDEX_NAME = 'PRIMARY'
        GROUP BY TABLE_NAME
        """,
        (database,),
    )
    return {table: tuple(cols.split("\t")) for table, cols in rows}


def independent_foreign_keys(database: str) -> set[tuple]:
    rows = admin_execute(
        """
        SELECT rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE,
               rc.UPDATE_RULE,
               GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR '\t'),
               GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR '\t')
        FROM information_schema.REFERENTIAL_CONSTRAINTS rc
        JOIN information_schema.KEY_COLUMN_USAGE k
          ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME
         AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME
        WHERE rc.CONSTRAINT_SCHEMA = %s AND k.TABLE_SCHEMA = %s
        GROUP BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE,
                 rc.UPDATE_RULE
        """,
        (database, database),
    )
    return {
        (t, name, ref, on_delete, on_update, tuple(cols.split("\t")), tuple(refs.split("\t")))
        for t, name, ref, on_delete, on_update, cols, refs in rows
    }


def independent_indexes(database: str) -> set[tuple]:
    rows = admin_execute(
        """
        SELECT TABLE_NAME, INDEX_NAME, MIN(NON_UNIQUE) = 0, LOWER(MIN(INDEX_TYPE)),
               GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR '\t')
        FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s
        GROUP BY TABLE_NAME, INDEX_NAME
        """,
        (database,),
    )
    return {
        (t, name, bool(u), method, tuple(cols.split("\t"))) for t, name, u, method, cols in rows
    }


def show_columns(database: str, table: str) -> list[tuple[str, str, bool]]:
    rows = admin_execute(f"SHOW FULL COLUMNS FROM {quote_ident(database)}.{quote_ident(table)}")
    return [(r[0], r[1], r[3] == "YES") for r in rows]


# Corpus schemas ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_corpus_counts_match_documented_figures(corpus_models, name):
    _, model = corpus_models[name]
    base = [t for t in model.tables if t.kind == m.TABLE]
    assert {
        "tables": len(base),
        "views": sum(t.kind == m.VIEW for t in model.tables),
        "columns": sum(len(t.columns) for t in base),
        "fks": sum(len(t.foreign_keys) for t in model.tables),
        "indexes": sum(len(t.indexes) for t in model.tables),
    } == DOCUMENTED[name]


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_corpus_tables_and_kinds_match_show_full_tables(corpus_models, name):
    dsn, model = corpus_models[name]
    expected = {
        n: (m.TABLE if kind == "BASE TABLE" else m.VIEW)
        for n, kind in independent_kinds(parse_dsn(dsn).database).items()
    }
    assert {t.name: t.kind for t in model.tables} == expected
    assert {t.schema for t in model.tables} == {parse_dsn(dsn).database}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_corpus_columns_match_show_columns_in_order(corpus_models, name):
    dsn, model = corpus_models[name]
    database = parse_dsn(dsn).database
    base = [t for t in model.tables if t.kind == m.TABLE]
    assert sum(len(t.columns) for t in base) == independent_column_count(database)
    for table in model.tables:
        assert [(c.name, c.data_type, c.nullable) for c in table.columns] == show_columns(
            database, table.name
        ), table.name
        assert all(c.ident is None for c in table.columns)
        assert table.ident is None


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_corpus_primary_keys_match(corpus_models, name):
    dsn, model = corpus_models[name]
    found = {t.name: t.primary_key.columns for t in model.tables if t.primary_key}
    assert found == independent_primary_keys(parse_dsn(dsn).database)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_corpus_foreign_keys_match_in_column_order(corpus_models, name):
    dsn, model = corpus_models[name]
    database = parse_dsn(dsn).database
    found = {
        (t.name, fk.name, fk.ref_table, fk.on_delete, fk.on_update, fk.columns, fk.ref_columns)
        for t in model.tables
        for fk in t.foreign_keys
    }
    assert found == independent_foreign_keys(database)
    assert {fk.ref_schema for t in model.tables for fk in t.foreign_keys} == {database}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_corpus_indexes_match(corpus_models, name):
    dsn, model = corpus_models[name]
    found = {
        (t.name, i.name, i.unique, i.method, i.columns) for t in model.tables for i in t.indexes
    }
    assert found == independent_indexes(parse_dsn(dsn).database)


def test_reads_composite_primary_key_of_sakila_film_actor(sakila):
    table = sakila.table(sakila.database, "film_actor")
    assert table.primary_key == m.PrimaryKey(name="PRIMARY", columns=("actor_id", "film_id"))
    primary = next(i for i in table.indexes if i.primary)
    assert primary.columns == ("actor_id", "film_id") and primary.unique


def test_reads_views_with_definitions_and_no_row_estimate(sakila):
    views = {t.name: t for t in sakila.tables if t.is_view}
    assert set(views) == {
        "actor_info",
        "customer_list",
        "film_list",
        "nicer_but_slower_film_list",
        "sales_by_film_category",
        "sales_by_store",
        "staff_list",
    }
    staff_list = views["staff_list"]
    assert staff_list.view_definition.lower().startswith("select")
    assert [c.name for c in staff_list.columns][:3] == ["ID", "name", "address"]
    assert all(v.row_estimate is None and v.comment is None for v in views.values())


def test_reads_auto_increment_and_type_families_of_sakila(sakila):
    actor = sakila.table(sakila.database, "actor")
    assert actor.column("actor_id").identity == "auto_increment"
    assert actor.column("first_name").identity is None
    families = {
        (t, c): sakila.table(sakila.database, t).column(c).type_family
        for t, c in [
            ("customer", "active"),  # BOOLEAN is tinyint(1)
            ("customer", "create_date"),  # DATETIME
            ("customer", "last_update"),  # TIMESTAMP, kept in UTC
            ("film", "rating"),  # ENUM
            ("film", "special_features"),  # SET
            ("film", "rental_rate"),  # DECIMAL(4,2)
            ("film", "release_year"),  # YEAR
            ("film", "description"),  # TEXT
            ("staff", "picture"),  # BLOB
            ("film_text", "film_id"),  # INT
        ]
    }
    assert families == {
        ("customer", "active"): m.BOOLEAN,
        ("customer", "create_date"): m.TIMESTAMP,
        ("customer", "last_update"): m.TIMESTAMPTZ,
        ("film", "rating"): m.ENUM,
        ("film", "special_features"): m.ENUM,
        ("film", "rental_rate"): m.DECIMAL,
        ("film", "release_year"): m.INTEGER,
        ("film", "description"): m.TEXT,
        ("staff", "picture"): m.BINARY,
        ("film_text", "film_id"): m.INTEGER,
    }
    film = sakila.table(sakila.database, "film")
    assert film.column("title").max_length == 255
    assert film.column("rating").default == "'G'"
    assert film.column("original_language_id").default is None


def test_reads_foreign_key_rules_of_sakila(sakila):
    payment = sakila.table(sakila.database, "payment")
    rules = {fk.name: (fk.on_delete, fk.on_update) for fk in payment.foreign_keys}
    assert rules["fk_payment_rental"] == ("SET NULL", "CASCADE")
    assert rules["fk_payment_customer"] == ("RESTRICT", "CASCADE")


def test_reads_unique_fulltext_indexes_and_triggers_of_sakila(sakila):
    store = sakila.table(sakila.database, "store")
    assert m.UniqueConstraint("idx_unique_manager", ("manager_staff_id",)) in (
        store.unique_constraints
    )
    film_text = sakila.table(sakila.database, "film_text")
    fulltext = next(i for i in film_text.indexes if i.name == "idx_title_description")
    assert (fulltext.method, fulltext.columns) == ("fulltext", ("title", "description"))
    assert sakila.table(sakila.database, "film").triggers == ("del_film", "ins_film", "upd_film")


def test_chinook_row_estimates_are_near_the_row_counts(corpus_models):
    _, model = corpus_models["chinook_mysql"]
    track = model.table(model.database, "Track")
    # InnoDB estimates from sampled pages: 3,503 rows, within a factor of two.
    assert 1750 <= track.row_estimate <= 7000
    assert model.server_version.startswith(("MariaDB ", "MySQL "))


def test_introspects_sakila_in_well_under_a_second(mysql_corpus):
    dsn = mysql_corpus("sakila_mysql")
    started = time.perf_counter()
    introspect(dsn)
    assert time.perf_counter() - started < 1.0


# Odd names, comments, checks -----------------------------------------------

ODD_TABLE = "we\"ird 'na.me <b>&amp;</b>"
ODD_COLUMN = 'col `x` "y"'
UNICODE_COLUMN = "Ünïcødé 表"
LONG_TABLE = "t" * 64
FK_NAME = 'fk.with "dots"'
COMMENT = "a <script>alert('x')</script> \"comment\" ünï\\cødé"


def test_odd_identifiers_and_comments_survive(mysql_target: MysqlTarget):
    q = quote_ident
    mysql_target.execute(
        f"CREATE TABLE {q(ODD_TABLE)} ("
        f" {q(ODD_COLUMN)} INT NOT NULL PRIMARY KEY,"
        f" {q(UNICODE_COLUMN)} VARCHAR(10) COMMENT %s,"
        " `select` INT, `order` INT"
        ") COMMENT = %s",
        (COMMENT, COMMENT),
    )
    mysql_target.execute(
        f"CREATE TABLE {q(LONG_TABLE)} ("
        f" {q('c' * 64)} INT PRIMARY KEY,"
        " `from` INT,"
        f" CONSTRAINT {q(FK_NAME)} FOREIGN KEY (`from`) REFERENCES {q(ODD_TABLE)} ({q(ODD_COLUMN)})"
        " ON DELETE SET NULL,"
        f" INDEX {q('ix ' + UNICODE_COLUMN)} (`from`)"
        ")"
    )
    model = introspect(mysql_target.dsn)
    odd = model.table(mysql_target.database, ODD_TABLE)
    assert odd.comment == COMMENT
    assert [c.name for c in odd.columns] == [ODD_COLUMN, UNICODE_COLUMN, "select", "order"]
    assert odd.column(UNICODE_COLUMN).comment == COMMENT
    assert odd.primary_key.columns == (ODD_COLUMN,)
    long = model.table(mysql_target.database, LONG_TABLE)
    assert long.column("c" * 64) is not None
    assert long.foreign_keys == (
        m.ForeignKey(
            name=FK_NAME,
            columns=("from",),
            ref_schema=mysql_target.database,
            ref_table=ODD_TABLE,
            ref_columns=(ODD_COLUMN,),
            on_delete="SET NULL",
            on_update="RESTRICT",  # MariaDB's spelling of an unspecified rule
        ),
    )
    assert "ix " + UNICODE_COLUMN in {i.name for i in long.indexes}


def test_reads_checks_generated_columns_and_mariadb_json(mysql_target: MysqlTarget):
    mysql_target.execute(
        "CREATE TABLE t ("
        " id INT PRIMARY KEY,"
        " price DECIMAL(8,2) CHECK (price >= 0),"
        " doubled DECIMAL(9,2) AS (price * 2) STORED,"
        " label VARCHAR(20) AS (CONCAT('#', id)) VIRTUAL,"
        " payload JSON,"
        " flag BIT(1),"
        " email VARCHAR(100) UNIQUE CHECK (email LIKE '%@%'),"
        " CONSTRAINT positive_id CHECK (id > 0))"
    )
    table = introspect(mysql_target.dsn).table(mysql_target.database, "t")
    assert table.column("doubled").generated == "`price` * 2"
    assert table.column("label").generated is not None
    assert table.column("price").generated is None
    assert table.column("payload").type_family == m.JSON
    assert table.column("flag").type_family == m.BOOLEAN
    assert {c.name: c.expression for c in table.checks} == {
        "email": "`email` like '%@%'",
        "positive_id": "`id` > 0",
        "price": "`price` >= 0",
    }
    # The column's UNIQUE key shares the name of its CHECK: both are kept.
    assert table.unique_constraints == (m.UniqueConstraint("email", ("email",)),)


def test_tinyint_1_is_a_small_integer_when_a_default_or_check_says_so(mysql_target: MysqlTarget):
    mysql_target.execute(
        "CREATE TABLE t ("
        " id INT PRIMARY KEY,"
        " active TINYINT(1) NOT NULL DEFAULT 1,"
        " deleted TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,"
        " state TINYINT(1) NOT NULL DEFAULT 2,"
        " level TINYINT(1) NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 3),"
        " is_ok TINYINT(1) CHECK (is_ok IN (0, 1)))"
    )
    table = introspect(mysql_target.dsn).table(mysql_target.database, "t")
    families = {c.name: c.type_family for c in table.columns if c.name != "id"}
    assert families == {
        "active": m.BOOLEAN,
        "deleted": m.BOOLEAN,
        "state": m.INTEGER,
        "level": m.INTEGER,
        "is_ok": m.BOOLEAN,
    }


def test_empty_database_readable_by_the_user_gives_an_empty_model(mysql_target: MysqlTarget):
    model = introspect(mysql_target.dsn)
    assert model.tables == () and model.dialect == "mysql"
    assert model.database == mysql_target.database


# Read-only session ---------------------------------------------------------


def test_session_is_read_only_with_timeouts(mysql_target: MysqlTarget):
    mysql_target.execute("CREATE TABLE t (id INT PRIMARY KEY)")
    limits = Limits(connect_timeout=5, statement_timeout=7.5, lock_timeout=3)
    with (
        mysql.read_only_session(parse_dsn(mysql_target.dsn), limits) as (conn, server),
        conn.cursor() as cur,
    ):
        cur.execute("SELECT @@max_statement_time, @@lock_wait_timeout, @@tx_read_only")
        assert cur.fetchone() == (7.5, 3, 1)
        with pytest.raises(pymysql.MySQLError) as write:
            cur.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(pymysql.MySQLError):
            cur.execute("CREATE TABLE t2 (id INT)")
    assert write.value.args[0] == 1792  # Cannot execute statement in a READ ONLY transaction
    assert server.is_mariadb
    assert mysql_target.execute("SELECT COUNT(*) FROM t") == [(0,)]


# Failures ------------------------------------------------------------------


def test_unreachable_host_is_a_transient_error():
    target = Target(dialect="mysql", database="x", host="127.0.0.1", port=1, user="root")
    with pytest.raises(IntrospectionError) as caught:
        mysql.introspect(target, limits=Limits(connect_timeout=2))
    assert caught.value.transient
    assert caught.value.message == (
        "Could not reach a MySQL server at 127.0.0.1:1 within 2 s "
        "(refused, no answer, or unknown host)."
    )


def test_wrong_password_is_refused_without_echoing_it(mysql_target: MysqlTarget):
    user = mysql_target.create_user("pw", password="right-Secret-1")
    mysql_target.grant("SELECT", user)
    assert introspect(mysql_target.dsn_as(user, password="right-Secret-1")).tables == ()
    with pytest.raises(IntrospectionError) as caught:
        introspect(mysql_target.dsn_as(user, password="wrong-Secret-2"))
    assert not caught.value.transient
    assert "wrong password" in caught.value.message and user in caught.value.message
    assert "Secret" not in caught.value.message and "Secret" not in str(caught.value)


def test_unknown_database_is_named():
    with pytest.raises(IntrospectionError) as caught:
        introspect(dsn_for("sjt_no_such_database_here"))
    assert "'sjt_no_such_database_here' does not exist" in caught.value.message
    assert not caught.value.transient


def test_user_without_privileges_on_the_database_is_told_so(mysql_target: MysqlTarget):
    user = mysql_target.create_user("none", password="pw-123456")
    with pytest.raises(IntrospectionError) as caught:
        introspect(mysql_target.dsn_as(user, password="pw-123456"))
    assert "has no privileges on database" in caught.value.message
    assert "GRANT SELECT, SHOW VIEW ON" in caught.value.message


def test_no_visible_tables_without_select_says_privileges_may_be_missing(
    mysql_target: MysqlTarget,
):
    mysql_target.execute("CREATE TABLE secret (id INT PRIMARY KEY)")
    user = mysql_target.create_user("blind", password="pw-123456")
    # Enough to USE the database, not to see any table in information_schema.
    mysql_target.grant("CREATE ROUTINE", user)
    with pytest.raises(IntrospectionError) as caught:
        introspect(mysql_target.dsn_as(user, password="pw-123456"))
    assert "No tables are visible" in caught.value.message
    assert "lacks SELECT" in caught.value.message


def test_statement_timeout_is_a_transient_error(mysql_target: MysqlTarget):
    limits = Limits(connect_timeout=5, statement_timeout=0.3, lock_timeout=1)
    with (
        pytest.raises(IntrospectionError) as caught,
        mysql.read_only_session(parse_dsn(mysql_target.dsn), limits) as (conn, _),
        conn.cursor() as cur,
    ):
        cur.execute("SELECT SLEEP(2) FROM information_schema.TABLES LIMIT 2")
    assert caught.value.transient
    assert "0.3 s statement timeout" in caught.value.message


def test_lost_connection_is_a_transient_error(mysql_target: MysqlTarget):
    with (
        pytest.raises(IntrospectionError) as caught,
        mysql.read_only_session(parse_dsn(mysql_target.dsn), LIMITS) as (conn, _),
        conn.cursor() as cur,
    ):
        cur.execute("SELECT CONNECTION_ID()")
        mysql_target.execute(f"KILL {int(cur.fetchone()[0])}")
        cur.execute("SELECT 1")
    assert caught.value.transient
    assert "was lost" in caught.value.message


# Probe and the read-only user ----------------------------------------------


def test_probe_lists_all_privileges_of_root(mysql_target: MysqlTarget):
    version, privileges = mysql.probe(parse_dsn(mysql_target.dsn), limits=LIMITS)
    assert version.startswith("MariaDB 10.")
    assert privileges == ["ALL PRIVILEGES, GRANT OPTION on *.*"]


def test_probe_lists_write_privileges_with_their_scope(mysql_target: MysqlTarget):
    mysql_target.execute("CREATE TABLE orders (id INT PRIMARY KEY, note TEXT)")
    user = mysql_target.create_user("writer", password="pw-123456")
    mysql_target.grant("SELECT, INSERT, DELETE", user)
    on_table = f"{quote_ident(mysql_target.database)}.`orders`"
    mysql_target.grant("SELECT, UPDATE (note)", user, on=on_table)
    _, privileges = mysql.probe(
        parse_dsn(mysql_target.dsn_as(user, password="pw-123456")), limits=LIMITS
    )
    assert sorted(privileges) == sorted(
        [
            f"INSERT, DELETE on {quote_ident(mysql_target.database)}.*",
            f"UPDATE (`note`) on {on_table}",
        ]
    )


def test_read_only_role_sql_creates_a_user_that_reads_but_cannot_write(
    mysql_target: MysqlTarget,
):
    mysql_target.execute("CREATE TABLE t (id INT PRIMARY KEY)")
    mysql_target.execute("CREATE VIEW v AS SELECT id FROM t")
    sql = mysql.read_only_role_sql(parse_dsn(mysql_target.dsn))
    user = mysql_target.create_user("ro")  # registered for clean-up; recreated by the SQL
    admin_execute("DROP USER %s@'%%'", (user,))
    statements = [
        s.strip()
        for s in sql.replace(READ_ONLY_ROLE, user)
        .replace("choose-a-strong-password", "pw-123456")
        .split(";")
        if s.strip() and not s.strip().startswith("--")
    ]
    assert len(statements) == 2
    for statement in statements:
        admin_execute(statement)
    dsn = mysql_target.dsn_as(user, password="pw-123456")
    model = introspect(dsn)
    assert {t.name: t.kind for t in model.tables} == {"t": m.TABLE, "v": m.VIEW}
    assert model.table(mysql_target.database, "v").view_definition
    assert mysql.probe(parse_dsn(dsn), limits=LIMITS)[1] == []


def test_read_only_role_sql_escapes_wildcards_and_backquotes():
    sql = mysql.read_only_role_sql(
        Target(dialect="mysql", database="shop_v1%`x", host="h", port=3306)
    )
    assert "ON `shop\\_v1\\%``x`.* TO 'schemajoy_ro'@'%'" in sql


# Pure helpers --------------------------------------------------------------


def test_parse_grants_splits_privileges_at_top_level_commas():
    grants = mysql.parse_grants(
        [
            "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*ABC'",
            "GRANT SELECT, INSERT (`a`, `b`), SHOW VIEW ON `db`.`t` TO `u`@`%`",
            "GRANT `reader` TO `u`@`%`",
            "GRANT SELECT ON `d b`.* TO `u`@`%` WITH GRANT OPTION",
        ]
    )
    assert [g.privileges for g in grants] == [
        ("USAGE",),
        ("SELECT", "INSERT (`a`, `b`)", "SHOW VIEW"),
        ("SELECT",),
    ]
    assert mysql.describe_write_privileges(grants) == [
        "INSERT (`a`, `b`) on `db`.`t`",
        "GRANT OPTION on `d b`.*",
    ]
    assert not any("*ABC" in line for line in mysql.describe_write_privileges(grants))


def test_server_flavour_and_version_come_from_version_text():
    assert mysql.parse_server("10.11.19-MariaDB-0+deb12u1").label == "MariaDB 10.11.19"
    assert mysql.parse_server("8.0.36").label == "MySQL 8.0.36"
    assert not mysql.parse_server("8.4.2-log").is_mariadb


def test_a_server_that_accepts_and_never_answers_times_out_within_the_connect_timeout(
    silent_listener,
):
    target = Target(
        dialect="mysql", database="x", host="127.0.0.1", port=silent_listener.port, user="root"
    )
    limits = Limits(connect_timeout=1, statement_timeout=60)
    for attempt in (mysql.introspect, mysql.probe):
        started = time.monotonic()
        with pytest.raises(IntrospectionError) as caught:
            attempt(target, limits=limits)
        assert time.monotonic() - started < 1 + 3  # the connect timeout, not the statement's
        assert caught.value.transient
        assert caught.value.message == (
            f"Could not reach a MySQL server at 127.0.0.1:{silent_listener.port} within 1 s "
            "(refused, no answer, or unknown host)."
        )
