"""The same portable DDL yields the same model on PostgreSQL, MariaDB and SQLite.

Compared through `normalise`, where the dialects agree: table names, column names in
order, nullability, type families, varchar widths, primary key columns, foreign key
columns, targets and ON DELETE rules, unique constraint columns, and created indexes.

Known differences, left out of the comparison on purpose:
- MySQL's TIMESTAMP is stored in UTC and converted per session: family TIMESTAMPTZ, where
  PostgreSQL's and SQLite's TIMESTAMP (without time zone) is TIMESTAMP. Folded back, and
  asserted on its own.
- MySQL creates an index for a foreign key no index covers, named after the constraint
  (fk_review_book here); the normaliser drops indexes named like a foreign key on MySQL.
- Indexes behind primary keys and unique constraints: PostgreSQL and MySQL list both;
  SQLite has none for an INTEGER PRIMARY KEY (the rowid) and names the others
  sqlite_autoindex_*. Only created indexes are compared.
- Names of primary keys, unique constraints and foreign keys: SQLite reports none, MySQL
  calls every primary key PRIMARY. Not compared.
- An unspecified ON UPDATE rule reads NO ACTION on PostgreSQL and SQLite, RESTRICT on
  MariaDB (the same behaviour under InnoDB). Not compared.
- Schemas: public, the database name, main. Identity: none declared here; SQLite calls
  an INTEGER PRIMARY KEY the rowid.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from catalog.introspection import model as m
from catalog.introspection import mysql, postgres, sqlite
from catalog.introspection.dsn import Target, parse_dsn
from catalog.introspection.limits import Limits
from tests.fixtures.mysql_targets import (
    admin_execute,
    create_database,
    drop_database,
    dsn_for,
    unique_name,
)

PG_ADMIN_DSN = os.environ.get("SCHEMAJOY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
LIMITS = Limits(connect_timeout=5, statement_timeout=30, lock_timeout=5)

PORTABLE_DDL = """
CREATE TABLE author (
    id INTEGER NOT NULL,
    email VARCHAR(200) NOT NULL,
    name VARCHAR(100) NOT NULL,
    bio TEXT,
    born DATE,
    created_at TIMESTAMP NOT NULL,
    is_active BOOLEAN NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_author_email UNIQUE (email)
);
CREATE TABLE book (
    id INTEGER NOT NULL,
    title VARCHAR(200) NOT NULL,
    price DECIMAL(10, 2),
    published_on DATE,
    PRIMARY KEY (id)
);
CREATE TABLE book_author (
    book_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (book_id, author_id),
    CONSTRAINT fk_book_author_book FOREIGN KEY (book_id) REFERENCES book (id) ON DELETE CASCADE,
    CONSTRAINT fk_book_author_author FOREIGN KEY (author_id) REFERENCES author (id)
        ON DELETE CASCADE,
    CONSTRAINT uq_book_author_order UNIQUE (book_id, sort_order)
);
CREATE TABLE review (
    id INTEGER NOT NULL,
    book_id INTEGER,
    rating INTEGER NOT NULL,
    body TEXT NOT NULL,
    reviewed_at TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT fk_review_book FOREIGN KEY (book_id) REFERENCES book (id) ON DELETE SET NULL
);
CREATE INDEX ix_book_title ON book (title);
CREATE INDEX ix_book_author_author ON book_author (author_id, sort_order);
CREATE INDEX ix_review_rating_time ON review (rating, reviewed_at)
"""


def statements() -> list[str]:
    return [s.strip() for s in PORTABLE_DDL.split(";") if s.strip()]


# One database per dialect --------------------------------------------------


def _pg_dsn(database: str) -> str:
    parts = urlsplit(PG_ADMIN_DSN)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, "", ""))


@pytest.fixture(scope="module")
def pg_model() -> Iterator[m.SchemaModel]:
    database = f"sjt_same_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        with psycopg.connect(_pg_dsn(database), autocommit=True) as conn:
            for statement in statements():
                conn.execute(statement)
        yield postgres.introspect(parse_dsn(_pg_dsn(database)), limits=LIMITS)
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )


@pytest.fixture(scope="module")
def mysql_model() -> Iterator[m.SchemaModel]:
    database = unique_name("same")
    create_database(database)
    try:
        for statement in statements():
            admin_execute(statement, database=database)
        yield mysql.introspect(parse_dsn(dsn_for(database)), limits=LIMITS)
    finally:
        drop_database(database)


@pytest.fixture(scope="module")
def sqlite_model(tmp_path_factory: pytest.TempPathFactory) -> m.SchemaModel:
    path = tmp_path_factory.mktemp("same") / "same.db"
    conn = sqlite3.connect(path)
    with conn:
        for statement in statements():
            conn.execute(statement)
    conn.close()
    return sqlite.introspect(Target(dialect="sqlite", database=str(path)), limits=LIMITS)


@pytest.fixture(scope="module")
def models(pg_model, mysql_model, sqlite_model) -> dict[str, m.SchemaModel]:
    return {"postgresql": pg_model, "mysql": mysql_model, "sqlite": sqlite_model}


# Normalising ---------------------------------------------------------------


def normalise(model: m.SchemaModel) -> dict[str, dict[str, Any]]:
    """What every dialect should agree on, table by table (see the module docstring)."""
    tables = {}
    for table in model.tables:
        uniques = {u.columns for u in table.unique_constraints}
        fk_names = {fk.name for fk in table.foreign_keys}
        tables[table.name] = {
            "kind": table.kind,
            "columns": [
                (c.name, c.nullable, _family(model, c.type_family), c.max_length)
                for c in table.columns
            ],
            "primary_key": table.primary_key.columns if table.primary_key else None,
            "foreign_keys": sorted(
                (fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete)
                for fk in table.foreign_keys
            ),
            "unique_constraints": sorted(uniques),
            "indexes": sorted(
                (i.name, i.columns, i.unique, i.partial)
                for i in table.indexes
                if not i.primary
                and not (i.unique and i.columns in uniques)
                and not (model.dialect == "mysql" and i.name in fk_names)
            ),
        }
    return tables


def _family(model: m.SchemaModel, family: str) -> str:
    if model.dialect == "mysql" and family == m.TIMESTAMPTZ:
        return m.TIMESTAMP
    return family


# The comparison ------------------------------------------------------------


def test_every_dialect_yields_the_same_normalised_model(models):
    normalised = {dialect: normalise(model) for dialect, model in models.items()}
    assert normalised["mysql"] == normalised["postgresql"]
    assert normalised["sqlite"] == normalised["postgresql"]


def test_the_normalised_model_is_the_portable_ddl(models):
    tables = normalise(models["postgresql"])
    assert sorted(tables) == ["author", "book", "book_author", "review"]
    assert tables["author"]["columns"] == [
        ("id", False, m.INTEGER, None),
        ("email", False, m.TEXT, 200),
        ("name", False, m.TEXT, 100),
        ("bio", True, m.TEXT, None),
        ("born", True, m.DATE, None),
        ("created_at", False, m.TIMESTAMP, None),
        ("is_active", False, m.BOOLEAN, None),
    ]
    assert tables["book"]["columns"][2] == ("price", True, m.DECIMAL, None)
    assert tables["book_author"]["primary_key"] == ("book_id", "author_id")
    assert tables["book_author"]["foreign_keys"] == [
        (("author_id",), "author", ("id",), "CASCADE"),
        (("book_id",), "book", ("id",), "CASCADE"),
    ]
    assert tables["review"]["foreign_keys"] == [(("book_id",), "book", ("id",), "SET NULL")]
    assert tables["author"]["unique_constraints"] == [("email",)]
    assert tables["book_author"]["unique_constraints"] == [("book_id", "sort_order")]
    assert tables["book"]["indexes"] == [("ix_book_title", ("title",), False, False)]
    assert tables["review"]["indexes"] == [
        ("ix_review_rating_time", ("rating", "reviewed_at"), False, False)
    ]


def test_known_differences_are_what_the_docstring_says(models):
    pg, my, lite = models["postgresql"], models["mysql"], models["sqlite"]

    def column(model: m.SchemaModel, table: str, name: str) -> m.Column:
        found = next(t for t in model.tables if t.name == table).column(name)
        assert found is not None
        return found

    assert column(my, "author", "created_at").type_family == m.TIMESTAMPTZ
    assert column(pg, "author", "created_at").type_family == m.TIMESTAMP
    assert column(lite, "author", "created_at").type_family == m.TIMESTAMP
    review = next(t for t in my.tables if t.name == "review")
    assert ("fk_review_book", ("book_id",)) in {(i.name, i.columns) for i in review.indexes}
    assert {t.schema for t in pg.tables} == {"public"}
    assert {t.schema for t in my.tables} == {my.database}
    assert {t.schema for t in lite.tables} == {"main"}
