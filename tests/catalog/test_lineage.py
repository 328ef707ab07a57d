"""dbt lineage: which sources read a table and the models downstream, from a real-looking
manifest; kept by import_dbt --apply and by an upload on the connection page."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from catalog.lineage import (
    LineageError,
    annotate_downstream,
    connection_lineage,
    downstream_of,
    read_lineage,
    store_lineage,
    table_of,
)
from catalog.models import DbtLineage, DocRevision, SchemaChange, Snapshot
from tests.catalog.docs_catalog import make_catalog, shop_model

MANIFEST = Path(__file__).parent / "fixtures" / "dbt" / "manifest.json"


def test_lineage_names_the_sources_of_each_table_and_every_model_downstream():
    lineage = read_lineage(MANIFEST.read_bytes())

    assert lineage["generated_at"] == "2024-03-01T09:30:00.000000Z"
    # order_facts reads public.orders (its identifier); stg_orders and, through it, fct_orders.
    assert downstream_of(lineage, "public.orders") == (
        ["shop.order_facts"],
        ["fct_orders", "stg_orders"],
    )
    assert downstream_of(lineage, "public.customers") == (["shop.customers"], ["fct_orders"])


def test_tests_are_not_counted_as_models():
    lineage = read_lineage(MANIFEST.read_bytes())

    models = {m for entry in lineage["tables"].values() for m in entry["models"]}
    assert models == {"stg_orders", "fct_orders"}


def test_a_table_no_source_reads_has_no_downstream_and_case_is_folded():
    lineage = read_lineage(MANIFEST.read_bytes())

    assert downstream_of(lineage, "public.payments") == ([], [])
    assert downstream_of(lineage, "PUBLIC.Orders")[0] == ["shop.order_facts"]
    assert downstream_of({"tables": {}}, "public.orders") == ([], [])


def test_cycles_in_child_map_end():
    manifest = {
        "sources": {"source.p.s.t": {"schema": "public", "name": "t", "source_name": "s"}},
        "nodes": {},
        "child_map": {"source.p.s.t": ["model.p.a"], "model.p.a": ["model.p.b"],
                      "model.p.b": ["model.p.a"]},
    }  # fmt: skip

    assert downstream_of(read_lineage(json.dumps(manifest)), "public.t") == (["s.t"], ["a", "b"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"nodes": {}}', "not a dbt manifest"),
        ('{"sources": {"source.x": {"name": "t"}}}', "no schema or table name"),
        ('{"sources": {}, "child_map": []}', "should be mappings"),
    ],
)
def test_a_wrong_manifest_is_refused_with_a_reason(text, message):
    with pytest.raises(LineageError, match=message):
        read_lineage(text)


def test_table_of_an_object_is_its_schema_and_table():
    assert table_of("public.orders.status") == "public.orders"
    assert table_of("public.orders") == "public.orders"


@pytest.mark.django_db
def test_import_dbt_keeps_the_lineage_only_when_applied(team):
    connection = make_catalog(team, shop_model())
    out = StringIO()

    call_command("import_dbt", "shop", str(MANIFEST), stdout=out)
    assert "Lineage: 2 tables read by dbt sources, 2 models downstream." in out.getvalue()
    assert not DbtLineage.objects.exists()

    call_command("import_dbt", "shop", str(MANIFEST), "--apply", stdout=out)
    assert downstream_of(connection_lineage(connection), "public.orders")[1] == [
        "fct_orders",
        "stg_orders",
    ]
    # The docs import still works beside it.
    assert "Imported" in out.getvalue()


@pytest.mark.django_db
def test_import_dbt_refuses_a_manifest_without_lineage_shape(team, tmp_path):
    make_catalog(team, shop_model())
    bad = tmp_path / "manifest.json"
    bad.write_text('{"sources": {}, "child_map": [1]}')

    with pytest.raises(CommandError, match="should be mappings"):
        call_command("import_dbt", "shop", str(bad), "--apply")
    assert not DbtLineage.objects.exists()


@pytest.mark.django_db
def test_a_member_uploads_a_manifest_on_the_connection_page_and_sees_its_models(
    team, member_client
):
    connection = make_catalog(team, shop_model())
    url = reverse("catalog:dbt_lineage", args=[connection.pk])
    assert "upload one" in member_client.get(connection.get_absolute_url()).content.decode()

    with MANIFEST.open("rb") as manifest:
        response = member_client.post(url, {"manifest": manifest})

    assert response.status_code == 302
    page = member_client.get(url).content.decode()
    assert "<code>public.orders</code>" in page
    assert "2: <code>fct_orders</code>, <code>stg_orders</code>" in page
    summary = member_client.get(connection.get_absolute_url()).content.decode()
    assert "2 tables read by dbt sources" in summary


@pytest.mark.django_db
def test_a_bad_manifest_is_refused_and_the_kept_lineage_stays(team, member_client, tmp_path):
    connection = make_catalog(team, shop_model())
    url = reverse("catalog:dbt_lineage", args=[connection.pk])
    with MANIFEST.open("rb") as manifest:
        member_client.post(url, {"manifest": manifest})
    bad = tmp_path / "manifest.json"
    bad.write_text('{"nodes": {}}')

    with bad.open("rb") as manifest:
        response = member_client.post(url, {"manifest": manifest})

    assert response.status_code == 400
    assert "not a dbt manifest" in response.content.decode()
    assert downstream_of(connection_lineage(connection), "public.orders")[0] == ["shop.order_facts"]


@pytest.mark.django_db
def test_an_outsider_cannot_upload_lineage(team, outsider_client):
    connection = make_catalog(team, shop_model())

    with MANIFEST.open("rb") as manifest:
        response = outsider_client.post(
            reverse("catalog:dbt_lineage", args=[connection.pk]), {"manifest": manifest}
        )

    assert response.status_code == 403
    assert not DbtLineage.objects.exists()


def _change(connection, snapshot, kind, obj, *, breaking=True, before=""):
    table = ".".join(obj.split(".")[:2])
    return SchemaChange.objects.create(
        connection=connection, snapshot=snapshot, detected_at=timezone.now(), kind=kind,
        object=obj, table=table, schema=table.split(".")[0], breaking=breaking,
        before=before, reason="test",
    )  # fmt: skip


@pytest.mark.django_db
def test_breaking_changes_on_the_changes_tab_name_who_reads_them_downstream(team, member_client):
    connection = make_catalog(team, shop_model())
    store_lineage(connection, read_lineage(MANIFEST.read_bytes()), file_name="manifest.json")
    snapshot = Snapshot.objects.get(connection=connection)
    _change(connection, snapshot, "column_dropped", "public.orders.status")
    _change(connection, snapshot, "table_renamed", "public.buyers", before="public.customers")
    _change(connection, snapshot, "column_added", "public.orders.channel", breaking=False)

    page = member_client.get(
        reverse("catalog:connection_changes", args=[connection.pk])
    ).content.decode()

    assert (
        "Read by 1 dbt source (<code>shop.order_facts</code>); 2 models downstream: "
        "<code>fct_orders</code>, <code>stg_orders</code>." in page
    )
    # A renamed table: dbt still reads it by its old name.
    assert "Read by 1 dbt source (<code>shop.customers</code>); 1 model downstream" in page
    assert page.count("downstream:") == 2


@pytest.mark.django_db
def test_annotating_downstream_is_one_query_for_any_number_of_changes(
    team, django_assert_num_queries
):
    connection = make_catalog(team, shop_model())
    store_lineage(connection, read_lineage(MANIFEST.read_bytes()), file_name="manifest.json")
    snapshot = Snapshot.objects.get(connection=connection)
    changes = [
        _change(connection, snapshot, "column_dropped", f"public.orders.c{i}") for i in range(20)
    ]

    with django_assert_num_queries(1):
        annotate_downstream([connection.pk], changes)
    assert all(c.downstream_models == ["fct_orders", "stg_orders"] for c in changes)


@pytest.mark.django_db
def test_import_dbt_of_a_project_keeps_its_built_manifests_lineage(team, tmp_path):
    connection = make_catalog(team, shop_model())
    project = tmp_path / "project"
    shutil.copytree(MANIFEST.parent / "project", project)
    (project / "target").mkdir()
    shutil.copy(MANIFEST, project / "target" / "manifest.json")

    call_command("import_dbt", "shop", str(project), "--apply", stdout=StringIO())

    assert downstream_of(connection_lineage(connection), "public.customers") == (
        ["shop.customers"],
        ["fct_orders"],
    )
    # The descriptions still come from the project's schema files.
    assert DocRevision.objects.filter(source=DocRevision.Source.DBT).exists()
