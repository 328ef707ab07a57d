"""Documentation pages through the test client: inline editing, conflicts, permissions, search."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.documentation import set_column_doc, set_table_doc
from catalog.models import Column, DbtImportPreview, DocRevision, Table, Team
from tests.builders import col, model, table
from tests.catalog.docs_catalog import make_catalog, shop_model

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
# 200 sources each naming the same 200 columns by alias: 3.8 KB that PyYAML expanded to GBs.
ALIAS_BOMB = (
    "cols: &cols\n"
    + "".join(f"  - {{name: c{i}, description: d}}\n" for i in range(200))
    + "sources:\n"
    + "".join(f"  - {{name: s{i}, tables: [{{name: t, columns: *cols}}]}}\n" for i in range(200))
).encode()


@pytest.fixture
def shop(team):
    return make_catalog(team, shop_model())


@pytest.fixture
def other_team_shop(db):
    """A connection of team B, which alice (team A) may read but not edit."""
    team_b = Team.objects.create(name="Billing", slug="billing")
    return make_catalog(team_b, shop_model(), name="billing")


def column_urls(column: Column) -> tuple[str, str]:
    args = [column.table.connection_id, column.table_id, column.pk]
    return reverse("catalog:column_doc_edit", args=args), reverse("catalog:column_doc", args=args)


def test_member_edits_a_column_description_inline(member_client, shop):
    status = Column.objects.get(table__connection=shop, name="status")
    edit_url, _ = column_urls(status)

    form = member_client.get(edit_url, **HX)
    assert form.status_code == 200
    html = form.content.decode()
    assert "<html" not in html and "<textarea" in html
    assert 'name="base_version" value="0"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html

    saved = member_client.post(
        edit_url, {"text": "**new**, paid <script>x()</script>", "base_version": "0"}, **HX
    )

    assert saved.status_code == 200
    fragment = saved.content.decode()
    assert "<strong>new</strong>, paid" in fragment and "<script" not in fragment
    assert "SchemaJoy" in fragment and f'id="doc-column-{status.pk}"' in fragment
    status.refresh_from_db()
    assert (status.description_version, status.description_updated_by.username) == (1, "alice")


def test_the_second_save_on_a_stale_version_shows_the_other_text(member_client, shop, team):
    bob = User.objects.create_user("bob", password="x")
    team.members.add(bob)
    status = Column.objects.get(table__connection=shop, name="status")
    set_column_doc(status, "Bob's *text*", user=bob, base_version=0)
    edit_url, _ = column_urls(status)

    response = member_client.post(edit_url, {"text": "Alice's text", "base_version": "0"}, **HX)

    assert response.status_code == 200  # htmx swaps only 2xx
    html = response.content.decode()
    assert 'role="alert"' in html and "bob saved this description" in html
    assert "Bob&#x27;s <em>text</em>" in html or "Bob's <em>text</em>" in html
    assert ">Alice&#x27;s text</textarea>" in html
    assert 'name="base_version" value="1"' in html
    status.refresh_from_db()
    assert status.description == "Bob's *text*"

    plain = member_client.post(edit_url, {"text": "Alice's text", "base_version": "0"})
    assert plain.status_code == 409


def test_a_plain_form_post_saves_and_redirects_to_the_table(member_client, shop):
    orders = Table.objects.get(connection=shop, name="orders")
    url = reverse("catalog:table_doc_edit", args=[shop.pk, orders.pk])

    assert "<html" in member_client.get(url).content.decode()  # works without JavaScript
    response = member_client.post(url, {"text": "Checkouts", "base_version": "0"})

    assert response.status_code == 302 and response["Location"] == orders.get_absolute_url()
    orders.refresh_from_db()
    assert orders.description == "Checkouts"


def test_a_member_of_another_team_cannot_edit_by_crafting_requests(member_client, other_team_shop):
    status = Column.objects.get(table__connection=other_team_shop, name="status")
    orders = status.table
    edit_url, display_url = column_urls(status)
    set_table_doc(orders, "Theirs", user=None, base_version=0)
    revision = DocRevision.objects.get(table=orders)

    assert member_client.get(edit_url, **HX).status_code == 403
    assert member_client.post(edit_url, {"text": "x", "base_version": "0"}, **HX).status_code == 403
    table_url = reverse("catalog:table_doc_edit", args=[other_team_shop.pk, orders.pk])
    assert member_client.post(table_url, {"text": "x", "base_version": "1"}).status_code == 403
    revert_url = reverse("catalog:doc_revert", args=[other_team_shop.pk, orders.pk, revision.pk])
    assert member_client.post(revert_url).status_code == 403
    import_url = reverse("catalog:dbt_import", args=[other_team_shop.pk])
    upload = SimpleUploadedFile("sources.yml", b"version: 2\nsources: []\n")
    assert member_client.post(import_url, {"files": upload}).status_code == 403
    assert (
        member_client.post(
            reverse("catalog:dbt_import_apply", args=[other_team_shop.pk])
        ).status_code
        == 403
    )

    status.refresh_from_db()
    orders.refresh_from_db()
    assert (status.description, orders.description, orders.description_version) == ("", "Theirs", 1)
    assert DocRevision.objects.count() == 1
    # Reading stays open to everyone logged in.
    assert member_client.get(display_url).status_code == 200
    assert "Theirs" in member_client.get(orders.get_absolute_url()).content.decode()


def test_ids_from_another_connection_are_not_found(member_client, shop, other_team_shop):
    theirs = Column.objects.get(table__connection=other_team_shop, name="status")
    ours = Table.objects.get(connection=shop, name="orders")
    url = reverse("catalog:column_doc_edit", args=[shop.pk, ours.pk, theirs.pk])

    assert member_client.post(url, {"text": "x", "base_version": "0"}).status_code == 404


def test_anonymous_users_are_sent_to_login(shop):
    status = Column.objects.get(table__connection=shop, name="status")
    edit_url, display_url = column_urls(status)
    client = Client()
    for response in [
        client.get(edit_url),
        client.post(edit_url, {"text": "x", "base_version": "0"}),
        client.get(display_url),
        client.get(reverse("catalog:search"), {"q": "order"}),
        client.post(reverse("catalog:doc_preview"), {"text": "x"}),
        client.get(reverse("catalog:dbt_export", args=[shop.pk])),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    status.refresh_from_db()
    assert status.description == ""


def test_preview_renders_sanitised_markdown(member_client):
    response = member_client.post(
        reverse("catalog:doc_preview"), {"text": "# Title\n[x](javascript:alert(1))"}, **HX
    )

    html = response.content.decode()
    assert "<h1>Title</h1>" in html and "javascript" not in html


def test_table_page_shows_where_each_description_comes_from(member_client, shop, member):
    orders = Table.objects.get(connection=shop, name="orders")
    set_table_doc(orders, "Checkouts, *one* each", user=member, base_version=0)
    Column.objects.filter(table=orders, name="status").update(dbt_description="From dbt")

    html = member_client.get(orders.get_absolute_url()).content.decode()
    customers = member_client.get(
        Table.objects.get(name="customers").get_absolute_url()
    ).content.decode()

    assert "Checkouts, <em>one</em> each" in html and ">SchemaJoy</span>" in html
    assert "From dbt" in html and ">dbt</span>" in html
    assert "People who buy" in customers and ">database comment</span>" in customers
    assert 'hx-trigger="doc-edit"' in html  # fired by static/js/docs.js, not an eval'd filter


def test_history_shows_diffs_and_revert_restores(member_client, shop, member):
    orders = Table.objects.get(connection=shop, name="orders")
    set_table_doc(orders, "line one\nline two", user=member, base_version=0)
    second = set_table_doc(orders, "line one\nline 2", user=member, base_version=1)
    history = reverse("catalog:doc_history", args=[shop.pk, orders.pk])

    html = member_client.get(history).content.decode()
    assert '<span class="del">-line two</span>' in html
    assert '<span class="add">+line 2</span>' in html

    response = member_client.post(
        reverse("catalog:doc_revert", args=[shop.pk, orders.pk, second.pk])
    )

    assert response.status_code == 302
    orders.refresh_from_db()
    assert orders.description == "line one\nline two"


def test_comment_sql_page_fragment_and_download(member_client, shop, member):
    orders = Table.objects.get(connection=shop, name="orders")
    set_table_doc(orders, "It's <orders>", user=member, base_version=0)
    url = reverse("catalog:comment_sql", args=[shop.pk])

    page = member_client.get(url, {"table": orders.pk}).content.decode()
    fragment = member_client.get(url, {"schema": "public"}, **HX).content.decode()
    download = member_client.get(url, {"download": "1"})

    assert (
        "COMMENT ON TABLE &quot;public&quot;.&quot;orders&quot; IS &#x27;It&#x27;&#x27;s &lt;orders&gt;&#x27;;"
        in page
    )
    assert fragment.startswith('<pre class="sql" id="comment-sql">')
    assert download["Content-Disposition"].startswith("attachment")
    assert "IS 'It''s <orders>';" in download.content.decode()


def test_dbt_export_downloads_and_import_previews_then_applies(member_client, shop):
    export = member_client.get(reverse("catalog:dbt_export", args=[shop.pk]))
    assert export["Content-Disposition"] == 'attachment; filename="sources.yml"'
    assert b"version: 2" in export.content

    url = reverse("catalog:dbt_import", args=[shop.pk])
    sources = (
        b"version: 2\nsources:\n  - name: public\n    tables:\n"
        b"      - name: orders\n        description: Checkouts\n"
        b"        columns:\n          - name: status\n            description: Lifecycle\n"
    )
    preview = member_client.post(url, {"files": SimpleUploadedFile("sources.yml", sources)})
    assert preview.status_code == 200
    assert "2 descriptions to import" in preview.content.decode()
    assert Table.objects.get(name="orders").dbt_description == ""
    # The plan waits server-side under a random token, not in the session.
    token = preview.context["token"]
    assert not any(key.startswith("dbt") for key in member_client.session.load())
    assert DbtImportPreview.objects.get().token == token

    applied = member_client.post(
        reverse("catalog:dbt_import_apply", args=[shop.pk]), {"token": token}
    )

    assert applied.status_code == 302
    assert Table.objects.get(name="orders").dbt_description == "Checkouts"
    assert Column.objects.get(name="status").dbt_description == "Lifecycle"
    # The plan was used once: a second apply asks for a new upload.
    again = member_client.post(
        reverse("catalog:dbt_import_apply", args=[shop.pk]), {"token": token}
    )
    assert again["Location"] == url
    assert not DbtImportPreview.objects.exists()


def test_a_malformed_upload_shows_a_clear_error_and_changes_nothing(member_client, shop):
    url = reverse("catalog:dbt_import", args=[shop.pk])

    response = member_client.post(
        url, {"files": SimpleUploadedFile("schema.yml", b"sources:\n  - name: [unclosed\n")}
    )

    assert response.status_code == 400
    assert "schema.yml: not valid YAML at line" in response.content.decode()
    assert not Column.objects.exclude(dbt_description="").exists()
    assert (
        member_client.post(reverse("catalog:dbt_import_apply", args=[shop.pk]))["Location"] == url
    )


def test_coverage_fragment_and_the_undocumented_columns_list(member_client, shop, member):
    set_column_doc(Column.objects.get(name="status"), "Lifecycle", user=member, base_version=0)

    coverage = member_client.get(reverse("catalog:docs_coverage", args=[shop.pk]), **HX)
    undocumented = member_client.get(reverse("catalog:undocumented", args=[shop.pk]))

    assert "<html" not in coverage.content.decode()
    assert "2 / 7" in coverage.content.decode()  # email (comment) and status
    names = [c.name for c in undocumented.context["page"].object_list]
    assert names == ["id", "updated_at", "id", "customer_id", "shipped_at"]
    assert "Add a description" in undocumented.content.decode()


def test_search_returns_fragments_across_names_and_descriptions(member_client, shop, member):
    set_column_doc(
        Column.objects.get(name="shipped_at"), "When the parcel left", user=member, base_version=0
    )
    url = reverse("catalog:search")

    with CaptureQueriesContext(db_connection) as queries:
        fragment = member_client.get(url, {"q": "parcel"}, **HX)
    # Read now: the next request clears the connection's query log.
    search_queries = [q["sql"] for q in queries.captured_queries if "catalog_" in q["sql"]]
    page = member_client.get(url, {"q": "ORDER"})

    html = fragment.content.decode()
    assert html.startswith('\n<div id="results">') or html.lstrip().startswith('<div id="results">')
    assert "shipped_at" in html and "When the parcel left" in html
    assert len(search_queries) == 4  # names, then descriptions, for tables and columns
    assert "<html" in page.content.decode()
    assert [t.name for t in page.context["results"].tables] == ["orders"]
    assert {c.name for c in page.context["results"].columns} == set()
    assert "Type at least two" in member_client.get(url, {"q": "o"}).content.decode()


def catalog_of(team: Team, n: int):
    """n filler tables plus a `wide` table of n documented columns."""
    wide = table(
        "wide",
        col("id", "bigint", pk=True),
        *(col(f"c{i:04d}", "text", comment=f"column *{i}*") for i in range(n)),
        col("parent_id", "bigint", fk="orders.id"),
    )
    base = shop_model(tables=n)
    return make_catalog(team, model(*base.tables, wide), name=f"shop{n}")


def count_queries(client: Client, url: str, **extra: str) -> int:
    with CaptureQueriesContext(db_connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def test_documentation_pages_make_the_same_number_of_queries_for_10_and_1000_tables(
    member_client, team
):
    counts = {}
    for n in (10, 1000):
        connection = catalog_of(team, n)
        wide = Table.objects.get(connection=connection, name="wide")
        counts[n] = (
            count_queries(member_client, wide.get_absolute_url()),
            count_queries(member_client, connection.get_absolute_url()),
            count_queries(
                member_client, reverse("catalog:docs_coverage", args=[connection.pk]), **HX
            ),
            count_queries(member_client, reverse("catalog:undocumented", args=[connection.pk])),
            count_queries(member_client, reverse("catalog:search"), QUERY_STRING="q=wide"),
        )

    assert counts[10] == counts[1000], counts


def test_search_ranks_exact_names_first_then_descriptions_and_skips_dropped(team, member):
    from catalog.search import search_catalog

    connection = make_catalog(
        team,
        model(
            table("order_items", col("id", pk=True), col("order_id", "bigint")),
            table("orders", col("id", pk=True), col("reorder_level", "integer")),
            table("notes", col("id", pk=True), col("body", "text", comment="Free text")),
            table("old_orders", col("id", pk=True)),
        ),
    )
    Table.objects.filter(name="old_orders").update(
        dropped_in=Table.objects.get(name="old_orders").first_seen
    )
    set_table_doc(Table.objects.get(name="notes"), "Remarks on orders", user=member, base_version=0)
    assert connection.tables.count() == 4

    results = search_catalog("  Order ")

    assert results.query == "Order"
    assert [t.name for t in results.tables] == ["orders", "order_items", "notes"]
    assert [c.name for c in search_catalog("order").columns] == ["order_id", "reorder_level"]
    assert [c.name for c in search_catalog("free text").columns] == ["body"]
    # Two characters: name prefixes only.
    assert [c.name for c in search_catalog("or").columns] == ["order_id"]
    assert search_catalog("o").empty


def test_search_matches_qualified_names_of_tables_and_columns(team):
    from catalog.search import search_catalog

    make_catalog(
        team,
        model(
            table("film", col("film_id", pk=True), col("title", "text")),
            table("film", col("id", pk=True), col("title", "text"), schema="archive"),
            table("actor", col("actor_id", pk=True), col("first_name", "text")),
        ),
    )

    film = search_catalog("public.film")
    assert [(t.schema, t.name) for t in film.tables] == [("public", "film")]
    title = search_catalog("public.film.title")
    assert film.columns == [] and not title.tables
    assert [(c.table.schema, c.table.name, c.name) for c in title.columns] == [
        ("public", "film", "title")
    ]
    # table.column reads as a table's columns too
    assert sorted(c.table.schema for c in search_catalog("film.title").columns) == [
        "archive",
        "public",
    ]
    assert [t.name for t in search_catalog("PUBLIC.act").tables] == ["actor"]
    assert search_catalog("nosuch.film").empty


def test_postgresql_has_trigram_indexes_on_the_searched_expressions():
    if db_connection.vendor != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only")
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'catalog_%%_trgm'"
        )
        indexes = dict(cursor.fetchall())

    assert set(indexes) == {
        "catalog_table_name_trgm",
        "catalog_table_search_trgm",
        "catalog_column_name_trgm",
        "catalog_column_search_trgm",
    }
    assert all("gin_trgm_ops" in definition for definition in indexes.values())


def test_preview_refuses_the_quadratic_bracket_text_by_size(member_client):
    text = "[" * 20000 + "]" * 20000

    response = member_client.post(reverse("catalog:doc_preview"), {"text": text})

    assert response.status_code == 400
    assert "limited to 20,000 characters; this one has 40,000" in response.content.decode()


def test_an_over_long_description_is_refused_with_the_text_kept_and_nothing_saved(
    member_client, shop, settings
):
    settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS = 50
    status = Column.objects.get(table__connection=shop, name="status")
    edit_url, _ = column_urls(status)

    response = member_client.post(edit_url, {"text": "y" * 51, "base_version": "0"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "limited to 50 characters; this one has 51" in html and "y" * 51 in html
    status.refresh_from_db()
    assert (status.description, status.description_version) == ("", 0)
    assert not DocRevision.objects.filter(column=status).exists()


def test_a_saved_description_loses_its_bidi_override(member_client, shop):
    status = Column.objects.get(table__connection=shop, name="status")
    edit_url, _ = column_urls(status)

    member_client.post(edit_url, {"text": "paid\u202e txt.exe", "base_version": "0"})

    status.refresh_from_db()
    assert status.description == "paid txt.exe"


def test_another_users_preview_token_applies_nothing(member_client, shop, team):
    url = reverse("catalog:dbt_import", args=[shop.pk])
    sources = (
        b"sources:\n  - name: public\n    tables:\n      - name: orders\n        description: X\n"
    )
    token = member_client.post(url, {"files": SimpleUploadedFile("s.yml", sources)}).context[
        "token"
    ]
    bob = User.objects.create_user("bob", password="x")
    team.members.add(bob)
    other = Client()
    other.force_login(bob)

    response = other.post(reverse("catalog:dbt_import_apply", args=[shop.pk]), {"token": token})

    assert response["Location"] == url
    assert Table.objects.get(name="orders").dbt_description == ""
    assert DbtImportPreview.objects.filter(token=token).exists()


def test_an_alias_bomb_upload_is_refused_fast_and_stores_nothing(member_client, shop):
    url = reverse("catalog:dbt_import", args=[shop.pk])

    response = member_client.post(url, {"files": SimpleUploadedFile("schema.yml", ALIAS_BOMB)})

    assert response.status_code == 400
    assert "YAML aliases (*name) are not accepted" in response.content.decode()
    assert not DbtImportPreview.objects.exists()
    assert not any(key.startswith("dbt") for key in member_client.session.load())


def test_an_upload_over_the_limit_is_refused_by_its_content_length_before_it_is_read(
    member_client, shop, settings
):
    settings.SCHEMAJOY_UPLOAD_MAX_BYTES = 1024 * 1024
    url = reverse("catalog:dbt_import", args=[shop.pk])

    # The body is never read: a stream that fails on read proves it.
    response = member_client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )

    assert response.status_code == 413
    assert "Uploads are limited to 1 MB; this request has 3.0 MB." in response.content.decode()


class _Unreadable:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    "name", ["comment_sql", "undocumented", "dbt_export", "connection_diagram", "search"]
)
def test_a_nul_byte_in_query_parameters_is_a_clear_400(member_client, shop, name):
    url = (
        reverse(f"catalog:{name}")
        if name == "search"
        else reverse(f"catalog:{name}", args=[shop.pk])
    )

    response = member_client.get(url, {"q": "a\x00b", "schema": "pub\x00lic"})

    assert response.status_code == 400
    assert "NUL characters" in response.content.decode()
