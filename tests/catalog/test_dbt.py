"""dbt interop: sources.yml export read back field by field; import plans from real-looking files."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from catalog.dbt import DbtImportError, ImportPlan, apply_dbt_import, export_dbt, plan_dbt_import
from catalog.documentation import set_column_doc, set_table_doc
from catalog.models import Column, DocRevision, Table
from tests.builders import col, model, table
from tests.catalog.docs_catalog import make_catalog, shop_model

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "dbt"
PROJECT = FIXTURES / "project"
SOURCES_YML = PROJECT / "models" / "staging" / "sources.yml"
SCHEMA_YML = PROJECT / "models" / "staging" / "schema.yml"
MANIFEST = FIXTURES / "manifest.json"


def files(*paths: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


@pytest.fixture
def shop(team):
    return make_catalog(team, shop_model())


# Export ---------------------------------------------------------------------------------


def test_export_reads_back_as_dbt_sources_field_by_field(shop, member):
    orders = Table.objects.get(name="orders")
    set_table_doc(
        orders, "One row per checkout.\n\nCancelled ones stay.", user=member, base_version=0
    )
    Column.objects.filter(table=orders, name="status").update(
        dbt_description="Lifecycle: new, paid"
    )

    document = yaml.safe_load(export_dbt(shop))

    assert document["version"] == 2
    [source] = document["sources"]
    assert (source["name"], source["schema"]) == ("public", "public")
    customers, orders_entry = source["tables"]
    assert customers == {
        "name": "customers",
        "description": "People who buy",
        "loaded_at_field": "updated_at",
        "freshness": {
            "warn_after": {"count": 24, "period": "hour"},
            "error_after": {"count": 48, "period": "hour"},
        },
        "columns": [
            {"name": "id", "data_type": "bigint", "data_tests": ["unique", "not_null"]},
            {"name": "email", "description": "Login e-mail", "data_type": "text"},
            {"name": "updated_at", "data_type": "timestamp with time zone"},
        ],
    }
    assert orders_entry["description"] == "One row per checkout.\n\nCancelled ones stay."
    assert "loaded_at_field" not in orders_entry and "freshness" not in orders_entry
    by_name = {c["name"]: c for c in orders_entry["columns"]}
    assert by_name["customer_id"] == {
        "name": "customer_id",
        "data_type": "bigint",
        "data_tests": [{"relationships": {"to": "source('public', 'customers')", "field": "id"}}],
    }
    assert by_name["status"]["description"] == "Lifecycle: new, paid"
    assert [c["name"] for c in orders_entry["columns"]] == [
        "id",
        "customer_id",
        "status",
        "shipped_at",
    ]


def test_export_writes_multi_line_descriptions_as_literal_blocks(shop, member):
    set_table_doc(
        Table.objects.get(name="orders"), "Line one\nLine two", user=member, base_version=0
    )

    assert "description: |-\n          Line one\n          Line two\n" in export_dbt(shop)


def test_export_of_one_schema_skips_composite_key_uniqueness_and_dropped_tables(team):
    connection = make_catalog(
        team,
        model(
            table(
                "order_lines",
                col("order_id", "bigint"),
                col("line_no", "integer"),
                schema="sales",
                primary_key=("order_id", "line_no"),
            ),
            table("gone", col("id", "bigint", pk=True), schema="sales"),
            table("other", col("id", "bigint", pk=True), schema="hr"),
        ),
    )
    gone = Table.objects.get(name="gone")
    Table.objects.filter(pk=gone.pk).update(dropped_in=gone.first_seen)

    document = yaml.safe_load(export_dbt(connection, schema="sales"))

    [source] = document["sources"]
    assert source["name"] == "sales"
    [lines] = source["tables"]
    assert [c["data_tests"] for c in lines["columns"]] == [["not_null"], ["not_null"]]


# Import ---------------------------------------------------------------------------------


def test_plan_from_schema_files_matches_sources_case_insensitively(shop):
    plan = plan_dbt_import(shop, files(SOURCES_YML, SCHEMA_YML))

    changes = {c.label: c.after for c in plan.changes}
    assert changes == {
        "public.customers": "People with an account. One row per login; guests check out without one.",
        "public.customers.id": "Surrogate key.",
        "public.customers.email": "Login e-mail, **unique** across live accounts.",
        "public.orders": "One row per checkout.\n\nCancelled orders stay, with `status = 'cancelled'`.",
        "public.orders.customer_id": "Who bought it.",
        "public.orders.status": "new, paid, shipped or cancelled.",
    }
    assert sorted(plan.unmatched) == ["public.orders.coupon_code", "public.refunds"]
    assert any("1 models skipped" in note for note in plan.notes)
    assert Column.objects.exclude(dbt_description="").count() == 0  # planning writes nothing


def test_plan_says_which_imported_texts_another_description_hides(shop, member):
    email = Column.objects.get(name="email")
    email.comment = ""
    email.save()
    set_column_doc(email, "Ours, edited here", user=member, base_version=0)

    plan = plan_dbt_import(shop, files(SOURCES_YML))

    notes = {c.label: (c.shown_source_after, c.note) for c in plan.changes if c.note}
    assert notes["public.customers.email"][0] == "schemajoy"
    assert "alice" in notes["public.customers.email"][1]
    assert "stays shown" in notes["public.customers.email"][1]
    assert notes["public.customers"] == (
        "comment",
        "The database comment stays shown; dbt's text is kept beside it.",
    )
    assert {c.label for c in plan.shadowed} == {"public.customers", "public.customers.email"}


def test_plan_from_a_manifest_uses_identifiers_and_flags_newer_schemajoy_edits(shop, member):
    set_table_doc(
        Table.objects.get(name="customers"), "Ours, after the manifest", user=member, base_version=0
    )

    plan = plan_dbt_import(shop, files(MANIFEST))

    assert plan.generated_at == "2024-03-01T09:30:00.000000Z"
    changes = {c.label: c for c in plan.changes}
    assert set(changes) == {
        "public.customers",
        "public.customers.id",
        "public.customers.email",
        "public.orders",
        "public.orders.status",
    }
    assert changes["public.orders"].after == "Checkouts (the manifest calls them order_facts)."
    assert "newer than this manifest" in changes["public.customers"].note
    assert plan.unmatched == []


def test_apply_stores_dbt_texts_with_revisions_and_never_touches_schemajoy_text(shop, member):
    email = Column.objects.get(name="email")
    set_column_doc(email, "Ours", user=member, base_version=0)
    plan = plan_dbt_import(shop, files(SOURCES_YML))
    # The plan travels through the session as JSON between preview and apply.
    plan = ImportPlan.from_dict(json.loads(json.dumps(plan.to_dict())))

    result = apply_dbt_import(plan, user=member)

    assert (result.applied, result.stale) == (6, [])
    email.refresh_from_db()
    assert (email.description, email.dbt_description) == (
        "Ours",
        "Login e-mail, **unique** across live accounts.",
    )
    assert DocRevision.objects.filter(source=DocRevision.Source.DBT, author=member).count() == 6
    again = plan_dbt_import(shop, files(SOURCES_YML))
    assert (again.changes, again.unchanged) == ([], 6)


def test_apply_leaves_texts_changed_since_the_plan(shop, member):
    plan = plan_dbt_import(shop, files(SOURCES_YML))
    Column.objects.filter(name="status").update(dbt_description="someone imported meanwhile")

    result = apply_dbt_import(plan, user=member)

    assert result.stale == ["public.orders.status"]
    assert Column.objects.get(name="status").dbt_description == "someone imported meanwhile"
    assert result.applied == 5


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "schema.yml",
            "sources:\n  - name: x\n    tables: [\n",
            "schema.yml: not valid YAML at line",
        ),
        ("schema.yml", "- just\n- a list\n", "expected a mapping with 'sources:'"),
        ("schema.yml", "sources:\n  name: shop\n", "'sources' should be a list"),
        ("schema.yml", "sources:\n  - tables: []\n", "a source has no 'name'"),
        ("manifest.json", '{"sources": {', "manifest.json: not valid JSON at line 1"),
        ("manifest.json", '{"nodes": {}}', "not a dbt manifest"),
        ("manifest.json", b"\xff\xfe\x00garbage", "not UTF-8"),
        ("notes.txt", "sources: []", "expected a dbt schema file"),
    ],
)
def test_malformed_uploads_raise_a_clear_error(shop, name, content, message):
    with pytest.raises(DbtImportError, match=message.replace("(", r"\(")):
        plan_dbt_import(shop, [(name, content)])


# Commands -------------------------------------------------------------------------------


def test_export_command_writes_the_file(shop, tmp_path):
    out = tmp_path / "sources.yml"

    call_command("export_dbt", "shop", "-o", str(out))

    assert yaml.safe_load(out.read_text())["sources"][0]["tables"][0]["name"] == "customers"


def test_import_command_prints_the_plan_and_applies_only_when_asked(shop, capsys):
    call_command("import_dbt", "shop", str(PROJECT))
    printed = capsys.readouterr().out
    assert "6 descriptions to import" in printed and "not found: public.refunds" in printed
    assert Column.objects.exclude(dbt_description="").count() == 0

    call_command("import_dbt", "shop", str(PROJECT), "--apply")

    assert "Imported 6 descriptions." in capsys.readouterr().out
    assert Table.objects.get(name="orders").dbt_description.startswith("One row per checkout.")


def test_export_writes_no_yaml_anchors(db, make_connection, sqlite_target):

    from catalog.dbt import export_dbt
    from catalog.snapshots import take_snapshot

    dsn = sqlite_target(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, updated_at TIMESTAMP);"
        "CREATE TABLE b (id INTEGER PRIMARY KEY, updated_at TIMESTAMP);"
    )
    connection = make_connection(dsn, name="anchors")
    take_snapshot(connection)

    text = export_dbt(connection)

    assert "&id" not in text and "*id" not in text
    assert text.count("freshness:") == 2


# Hostile files (issue 13, 15): a clear error, quickly, nothing built --------------------


def _deep_yaml(levels: int) -> str:
    return "sources:\n" + "".join("  " * i + "- \n" for i in range(1, levels))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("schema.yml", "a: &x [1, 2]\nb: *x\n", "YAML aliases (*name) are not accepted"),
        ("schema.yml", "sources: " + "[" * 5000 + "]" * 5000, "nested deeper than 64 levels"),
        ("schema.yml", _deep_yaml(5000), "nested deeper than 64 levels"),
        ("schema.yml", "sources:\n  - name: " + "9" * 5000 + "\n", "number longer than 30 digits"),
        ("manifest.json", "[" * 100_000 + "]" * 100_000, "nested far deeper than any dbt"),
        ("manifest.json", '{"sources": {}, "n": ' + "9" * 5000 + "}", "number longer than 30"),
        ("manifest.json", '{"sources": {}, "metadata": [1]}', "'metadata' should be a mapping"),
        (
            "manifest.json",
            '{"sources": {}, "metadata": {"generated_at": "2024-13-45T99:00:00"}}',
            "metadata.generated_at should be a date-time",
        ),
        (
            "manifest.json",
            '{"sources": {}, "metadata": {"generated_at": 12}}',
            "metadata.generated_at should be a date-time",
        ),
    ],
    ids=["alias", "deep-flow-yaml", "deep-block-yaml", "huge-int-yaml", "deep-json",
         "huge-int-json", "metadata-list", "bad-generated-at", "int-generated-at"],
)  # fmt: skip
def test_hostile_files_are_refused_with_a_clear_message(shop, name, content, message):
    with pytest.raises(DbtImportError, match=re.escape(message)):
        plan_dbt_import(shop, [(name, content)])


def test_the_alias_bomb_is_refused_within_a_second_with_nothing_stored(shop):
    bomb = (
        "cols: &cols\n"
        + "".join(f"  - {{name: c{i}}}\n" for i in range(200))
        + "".join(f"s{i}: *cols\n" for i in range(200))
    )
    started = time.process_time()

    with pytest.raises(DbtImportError, match="aliases"):
        plan_dbt_import(shop, [("schema.yml", bomb)])

    assert time.process_time() - started < 1
    assert not Column.objects.exclude(dbt_description="").exists()


def test_a_description_over_the_size_limit_is_refused_naming_the_object(shop, settings):
    settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS = 10
    text = "sources:\n  - name: public\n    tables:\n      - name: orders\n        description: "
    with pytest.raises(DbtImportError, match=r"public.orders: Descriptions are limited to 10"):
        plan_dbt_import(shop, [("schema.yml", text + "x" * 11 + "\n")])


def test_a_manifest_time_without_zone_is_taken_as_utc(shop):
    manifest = '{"sources": {}, "metadata": {"generated_at": "2024-05-01T12:00:00"}}'

    plan = plan_dbt_import(shop, [("manifest.json", manifest)])

    assert plan.generated_at == "2024-05-01T12:00:00"


def test_import_command_exits_with_the_message_on_a_100000_level_manifest(shop, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("[" * 100_000 + "]" * 100_000)

    with pytest.raises(CommandError, match="nested far deeper than any dbt manifest"):
        call_command("import_dbt", "shop", str(path))
