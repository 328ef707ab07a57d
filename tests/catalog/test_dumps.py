"""Schema files: dump_schema writes the canonical document of a real database; reading one
back refuses a wrong shape with a message that says where."""

from __future__ import annotations

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
from catalog.dumps import SchemaFileError, model_without_idents, read_schema_document
from catalog.introspection.model import EnumType, to_document
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
