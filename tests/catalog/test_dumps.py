"""Schema files: dump_schema writes the canonical document of a real database; reading one
back refuses a wrong shape with a message that says where."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog import introspection
from catalog.dumps import (
    SchemaFileError,
    compact_document,
    model_without_idents,
    read_schema_document,
)
from catalog.introspection.model import TIMESTAMPTZ, Column, EnumType, Table, to_document
from tests.builders import col, model, table

BASE = Path(__file__).resolve().parents[2]


def shop() -> str:
    return to_document(
        model(
            table("customers", col("id", "bigint", pk=True), col("email", "varchar(255)")),
            table("orders", col("id", "bigint", pk=True), col("customer_id", "bigint",
                  fk="customers.id")),
        )
    )  # fmt: skip


def test_a_document_reads_back_as_the_model_it_came_from():
    document = shop()

    assert to_document(read_schema_document(document)) == document


def test_dump_schema_writes_the_document_a_snapshot_would_store(pg_target, tmp_path):
    pg_target.execute(
        "CREATE TABLE film (film_id serial PRIMARY KEY, title varchar(255) NOT NULL);"
        "CREATE VIEW titles AS SELECT title FROM film;"
    )
    out = tmp_path / "schema.json"

    call_command("dump_schema", pg_target.dsn, "-o", str(out))

    written = out.read_text().strip()
    assert written == to_document(introspection.introspect(pg_target.dsn))
    assert {t.name for t in read_schema_document(written).tables} == {"film", "titles"}


def test_dump_schema_fails_with_exit_2_and_a_reason_without_traceback(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "schemajoy_site.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "dump_schema", "postgresql://nobody:s3cret@127.0.0.1:1/x",
         "-o", str(tmp_path / "schema.json")],
        cwd=BASE, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 2
    assert "Cannot read postgresql://nobody:***@127.0.0.1:1/x" in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr
    assert not (tmp_path / "schema.json").exists()


def test_dump_schema_refuses_a_bad_connection_string():
    with pytest.raises(CommandError, match="Connection strings start with") as raised:
        call_command("dump_schema", "oracle://db/x")
    assert raised.value.returncode == 2


def _broken(change) -> str:
    data = orjson.loads(shop())
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "the document: expected an object, not a list"),
        ('{"dialect": "postgresql"}', "missing field 'database'"),
        (_broken(lambda d: d.update(dialect="oracle")), "'dialect' is 'oracle'"),
        (_broken(lambda d: d.update(tables={})), "tables: expected a list, not an object"),
        (_broken(lambda d: d["tables"][0].pop("name")), "tables[0]: missing field 'name'"),
        (
            _broken(lambda d: d["tables"][1]["columns"][0].update(nullable="yes")),
            "tables[1].columns[0].nullable: expected bool, not a string",
        ),
        (
            _broken(lambda d: d["tables"][0]["columns"][0].update(max_length=True)),
            "tables[0].columns[0].max_length: expected int, not a boolean",
        ),
        (
            _broken(lambda d: d["tables"][0]["columns"][0].update(type_family="blob")),
            "unknown type_family 'blob'",
        ),
        (
            _broken(lambda d: d["tables"][0]["primary_key"].update(columns="id")),
            "tables[0].primary_key.columns: expected a list",
        ),
        (_broken(lambda d: d["tables"][0].update(owner="x")), "unexpected field 'owner'"),
        (_broken(lambda d: d["tables"].append(d["tables"][0])), "public.customers appears twice"),
    ],
)
def test_a_wrongly_shaped_document_is_refused_saying_where(text, message):
    with pytest.raises(SchemaFileError) as raised:
        read_schema_document(text)
    assert message in str(raised.value)


def test_a_model_without_idents_drops_oids_and_attnums_and_leaves_the_data_alone():
    data = orjson.loads(
        to_document(model(table("t", col("id", "bigint", pk=True), col("name", "text"))))
    )
    data["tables"][0]["ident"] = "16384"
    data["tables"][0]["columns"][1]["ident"] = "2"

    stripped = model_without_idents(data)

    [t] = stripped.tables
    assert t.ident is None and {c.ident for c in t.columns} == {None}
    assert [c.name for c in t.columns] == ["id", "name"] and t.primary_key.columns == ("id",)
    assert data["tables"][0]["ident"] == "16384"  # the caller's data is untouched


def test_a_document_with_enum_types_reads_back_and_a_bad_one_is_refused_saying_where():
    document = to_document(
        replace(
            read_schema_document(shop()),
            enum_types=(EnumType("public", "mood", "mood", ("sad", "ok")),),
        )
    )
    assert to_document(read_schema_document(document)) == document
    bad = document.replace('"labels":["sad","ok"]', '"labels":["sad",1]')
    with pytest.raises(SchemaFileError, match=r"enum_types\[0\]\.labels\[1\]: expected str"):
        read_schema_document(bad)


def test_compact_document_reads_back_as_the_same_model():
    full = read_schema_document(shop())
    with_more = replace(
        full,
        enum_types=(EnumType("public", "mood", "mood", ("sad",)), EnumType("public", "e", "e")),
        tables=(*full.tables, Table("public", "empty", kind="view")),
    )
    compact = compact_document(with_more)
    assert '"nullable"' not in compact.replace('"nullable":false', "")  # true is the default
    assert "null" not in compact.replace('"nullable":false', "")
    assert to_document(read_schema_document(compact)) == to_document(with_more)
    assert model_without_idents(orjson.loads(compact)) == model_without_idents(
        orjson.loads(to_document(with_more))
    )


def test_a_5000_table_compact_dump_fits_the_release_apis_default_limit():
    """The size claim, on a generated document shaped like a PostgreSQL dump of the synthetic
    5,000-table schema (110,000 columns with attnums, oids, defaults and comments). The real
    one (bench/synthetic.py) measured 27.7 MB canonical, 16.5 MB compact, 0.42 MB gzipped."""
    from bench.scoring import synthetic_model

    limit = 20 * 1024 * 1024  # RELEASE_API_MAX_BODY_BYTES's default (settings.py)
    extra = (
        Column("created_at", "timestamp with time zone", TIMESTAMPTZ, nullable=False,
               default="now()"),
        Column("updated_at", "timestamp with time zone", TIMESTAMPTZ,
               comment="Last change, set by the application."),
    )  # fmt: skip
    generated = synthetic_model(5000)
    generated = replace(
        generated,
        tables=tuple(
            replace(
                t,
                ident=str(16384 + i),
                columns=tuple(
                    replace(c, ident=str(n)) for n, c in enumerate(t.columns + extra, start=1)
                ),
            )
            for i, t in enumerate(generated.tables)
        ),
    )
    assert generated.column_count == 110_000

    canonical = to_document(generated).encode()
    compact = compact_document(generated).encode()
    assert len(canonical) > limit  # why --compact exists
    assert len(compact) < 0.6 * limit
    assert len(gzip.compress(compact)) < limit // 20  # what goes over the wire
