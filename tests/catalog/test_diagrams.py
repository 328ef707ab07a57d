"""Diagram pages, cache, background renders, downloads and the erd command, on real targets."""

from __future__ import annotations

import logging
import re
import sqlite3
import xml.etree.ElementTree as ET
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.diagrams import View, get_diagram
from catalog.models import Connection, Diagram, Table
from catalog.snapshots import take_snapshot
from catalog.tasks import render_diagram

pytestmark = pytest.mark.django_db

HOSTILE = "<b>\"x\"</b> & 'y'"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def chain(tables: int = 3, *, hostile: bool = True) -> str:
    """DDL of a chain of tables t0000 <- t0001 <- ..., each with a parent_id foreign key."""
    script = [
        f"CREATE TABLE t{i:04d} (id INTEGER PRIMARY KEY, name TEXT, parent_id INTEGER "
        f"REFERENCES t{max(i - 1, 0):04d}(id));"
        for i in range(tables)
    ]
    if hostile:
        quoted = '"' + HOSTILE.replace('"', '""') + '"'
        script.append(
            f"CREATE TABLE {quoted} (id INTEGER PRIMARY KEY, t0000_id INTEGER REFERENCES t0000(id));"
        )
    return "\n".join(script)


def snapshotted(make_connection, sqlite_target, name: str = "shop", **shape) -> Connection:
    connection = make_connection(sqlite_target(chain(**shape), name=f"{name}.db"), name=name)
    assert take_snapshot(connection).succeeded
    return connection


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    return snapshotted(make_connection, sqlite_target)


@pytest.fixture
def big(make_connection, sqlite_target) -> Connection:
    """Past the compact threshold (150 tables): whole-database renders go to the worker."""
    return snapshotted(make_connection, sqlite_target, name="big", tables=200, hostile=False)


def diagram_url(connection: Connection, **query: str) -> str:
    url = reverse("catalog:connection_diagram", args=[connection.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def inlined_svg(html: str) -> ET.Element:
    """The SVG inlined in a page, which must be well-formed XML on its own."""
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG"
    return ET.fromstring(match.group(0))


def hrefs(svg: ET.Element) -> set[str]:
    return {a.get(f"{XLINK}href", "") for a in svg.iter(f"{SVG}a")} - {""}


def render_count(caplog) -> int:
    return sum("rendered diagram" in r.getMessage() for r in caplog.records)


# Service


def test_every_table_box_links_to_its_table_page(member_client, shop):
    response = member_client.get(diagram_url(shop))

    assert response.status_code == 200
    links = hrefs(inlined_svg(response.content.decode()))
    pages = {t.get_absolute_url() for t in Table.objects.filter(connection=shop)}
    assert len(pages) == 4 and pages <= links


def test_an_unchanged_schema_never_renders_twice(member_client, shop, caplog):
    caplog.set_level(logging.INFO, logger="catalog.diagrams")

    first = inlined_svg(member_client.get(diagram_url(shop)).content.decode())
    take_snapshot(shop)  # same schema, new snapshot: same fingerprint, same key
    second = inlined_svg(member_client.get(diagram_url(shop)).content.decode())
    member_client.get(diagram_url(shop, all="1"))  # the same view, spelt out

    assert render_count(caplog) == 1
    assert Diagram.objects.filter(connection=shop).count() == 1
    assert ET.tostring(first) == ET.tostring(second)


def test_a_changed_schema_renders_its_new_version(member_client, shop, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="catalog.diagrams")
    member_client.get(diagram_url(shop))
    db = sqlite3.connect(tmp_path / "shop.db")
    db.execute(
        "CREATE TABLE refunds (id INTEGER PRIMARY KEY, t0001_id INTEGER REFERENCES t0001(id))"
    )
    db.commit()
    db.close()
    take_snapshot(shop)

    html = member_client.get(diagram_url(shop)).content.decode()

    assert render_count(caplog) == 2
    refunds = Table.objects.get(connection=shop, name="refunds")
    assert refunds.get_absolute_url() in hrefs(inlined_svg(html))


def test_a_big_whole_database_renders_in_the_task_while_the_page_polls(
    member_client, big, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.get(diagram_url(big, all="1"))

    html = response.content.decode()
    row = Diagram.objects.get(connection=big, params__scope="database")
    status_url = reverse("catalog:diagram_status", args=[big.pk, row.pk])
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 2s"' in html
    assert "<svg" not in html
    assert row.status == Diagram.Status.READY  # the eager task ran at commit
    assert row.params["drawn"] == {"tables": 200, "compact": True}

    fragment = member_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in fragment and "<html" not in fragment
    links = hrefs(inlined_svg(fragment))
    assert {t.get_absolute_url() for t in Table.objects.filter(connection=big)} <= links
    assert render_diagram(row.pk) is False  # a second run finds nothing to claim


def test_a_big_database_opens_on_its_map_of_subject_areas(member_client, big):
    html = member_client.get(diagram_url(big)).content.decode()

    row = Diagram.objects.get(connection=big)
    assert row.params["scope"] == "overview" and row.status == Diagram.Status.READY
    slugs = [slug for slug, _, _ in row.params["areas"]]
    assert slugs
    for slug in slugs:
        assert f'?area={quote(slug, safe="")}"' in html
    area = member_client.get(diagram_url(big), {"area": slugs[0]})
    assert area.status_code == 200
    assert len(hrefs(inlined_svg(area.content.decode()))) >= 2


def test_a_render_over_the_time_limit_fails_and_offers_the_compact_form(
    member_client, shop, settings, caplog
):
    caplog.set_level(logging.INFO, logger="catalog.diagrams")
    settings.ERD_RENDER_TIMEOUT = 0.001

    html = member_client.get(diagram_url(shop)).content.decode()
    again = member_client.get(diagram_url(shop)).content.decode()

    row = Diagram.objects.get(connection=shop)
    assert row.status == Diagram.Status.FAILED and "took more than" in row.error
    assert "took more than" in html and 'role="alert"' in html
    assert "compact=1" in html and "areas=1" in html
    assert render_count(caplog) == 1  # failures are cached too
    assert re.findall(r'role="alert">[^<]*', again) == re.findall(r'role="alert">[^<]*', html)


def test_a_big_render_over_the_time_limit_fails_in_the_task(
    member_client, big, settings, django_capture_on_commit_callbacks
):
    settings.ERD_RENDER_TIMEOUT = 0.001
    with django_capture_on_commit_callbacks(execute=True):
        member_client.get(diagram_url(big, all="1"))
    row = Diagram.objects.get(connection=big, params__scope="database")

    fragment = member_client.get(
        reverse("catalog:diagram_status", args=[big.pk, row.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert row.status == Diagram.Status.FAILED
    assert "took more than" in fragment and "every 2s" not in fragment


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("svg", "image/svg+xml", b"<?xml"),
        ("png", "image/png", b"\x89PNG"),
        ("dot", "text/vnd.graphviz; charset=utf-8", b"digraph erd {"),
    ],
)
def test_downloads_carry_their_type_and_a_file_name(member_client, shop, fmt, content_type, magic):
    response = member_client.get(diagram_url(shop, format=fmt))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="shop-erd.{fmt}"'
    assert response.content.startswith(magic)


def test_a_neighbourhood_downloads_under_its_table_name(member_client, shop):
    table = Table.objects.get(connection=shop, name="t0001")
    url = reverse("catalog:table_diagram", args=[shop.pk, table.pk])

    response = member_client.get(url, {"depth": "2", "format": "dot"})

    assert response["Content-Disposition"] == 'attachment; filename="shop-main.t0001-erd.dot"'
    assert b"t0002" in response.content and b"t0000" in response.content


def test_hostile_table_names_inline_as_text_never_as_markup(member_client, shop):
    pages = [member_client.get(diagram_url(shop)).content.decode()]
    hostile = Table.objects.get(connection=shop, name=HOSTILE)
    pages.append(
        member_client.get(
            reverse("catalog:table_diagram", args=[shop.pk, hostile.pk]), HTTP_HX_REQUEST="true"
        ).content.decode()
    )
    for html in pages:
        assert "<b>" not in html
        svg = inlined_svg(html)
        assert not list(svg.iter(f"{SVG}b")) and not list(svg.iter("b"))
        texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
        assert HOSTILE in texts
        assert hostile.get_absolute_url() in hrefs(svg)


# Table pages


def test_table_page_lazy_loads_its_neighbourhood_with_a_plain_link(member_client, shop):
    table = Table.objects.get(connection=shop, name="t0001")
    url = reverse("catalog:table_diagram", args=[shop.pk, table.pk])

    html = member_client.get(table.get_absolute_url()).content.decode()

    assert f'hx-get="{url}" hx-trigger="load"' in html
    assert f'href="{url}"' in html and f'href="{url}?depth=2"' in html


def test_neighbourhood_fragment_draws_the_table_and_its_neighbours(member_client, shop):
    tables = {t.name: t for t in Table.objects.filter(connection=shop)}
    url = reverse("catalog:table_diagram", args=[shop.pk, tables["t0001"].pk])

    fragment = member_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    deeper = member_client.get(url, {"depth": "2"}, HTTP_HX_REQUEST="true").content.decode()
    page = member_client.get(url).content.decode()

    assert fragment.strip().startswith('<div id="neighbourhood"') and "<html" not in fragment
    assert hrefs(inlined_svg(fragment)) == {
        tables[n].get_absolute_url() for n in ("t0000", "t0001", "t0002")
    }
    assert tables[HOSTILE].get_absolute_url() in hrefs(inlined_svg(deeper))
    assert "<html" in page and '<div id="neighbourhood"' in page


def test_a_dropped_table_draws_from_its_last_snapshot_marked_dropped(member_client, shop, tmp_path):
    db = sqlite3.connect(tmp_path / "shop.db")
    db.execute("DROP TABLE t0002")
    db.commit()
    db.close()
    take_snapshot(shop)
    gone = Table.objects.get(connection=shop, name="t0002")
    assert gone.dropped_in_id is not None

    fragment = member_client.get(
        reverse("catalog:table_diagram", args=[shop.pk, gone.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    svg = inlined_svg(fragment)
    assert gone.get_absolute_url() in hrefs(svg)
    assert "dropped" in ["".join(t.itertext()).strip() for t in svg.iter(f"{SVG}text")]


# Pages, permissions, errors


def test_connection_page_links_to_its_diagram(member_client, shop):
    html = member_client.get(shop.get_absolute_url()).content.decode()
    assert f'href="{diagram_url(shop)}"' in html


def test_every_logged_in_user_may_read_diagrams(outsider_client, shop):
    table = Table.objects.get(connection=shop, name="t0001")
    urls = [
        diagram_url(shop),
        diagram_url(shop, schema="main"),
        diagram_url(shop, format="png"),
        reverse("catalog:table_diagram", args=[shop.pk, table.pk]),
    ]
    for url in urls:
        assert outsider_client.get(url).status_code == 200, url
    row = Diagram.objects.filter(connection=shop, format="svg").first()
    file_url = reverse("catalog:diagram_file", args=[shop.pk, row.pk])
    assert outsider_client.get(file_url).status_code == 200
    assert Client().get(diagram_url(shop)).status_code == 302  # but not anonymous users


def test_unknown_schemas_areas_and_formats_are_not_found(member_client, shop):
    for query in ({"schema": "nope"}, {"area": "nope:x_*"}, {"format": "pdf"}):
        assert member_client.get(diagram_url(shop, **query)).status_code == 404, query
    assert not Diagram.objects.exists()


def test_a_connection_without_a_snapshot_says_so(member_client, make_connection):
    connection = make_connection("sqlite:////nonexistent.db", name="fresh")

    html = member_client.get(diagram_url(connection)).content.decode()

    assert "No snapshot yet" in html


def count_queries(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(db_connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_cache_hits_cost_the_same_queries_for_10_and_1000_tables(
    member_client, django_capture_on_commit_callbacks, make_connection, sqlite_target
):
    small = snapshotted(make_connection, sqlite_target, name="small", tables=10)
    huge = snapshotted(make_connection, sqlite_target, name="huge", tables=1000, hostile=False)
    counts = {}
    for connection in (small, huge):
        table = Table.objects.get(connection=connection, name="t0005")
        urls = [
            diagram_url(connection),
            diagram_url(connection, all="1"),
            diagram_url(connection, schema="main"),
            diagram_url(connection, format="dot"),
        ]
        fragment = reverse("catalog:table_diagram", args=[connection.pk, table.pk])
        with django_capture_on_commit_callbacks(execute=True):
            for url in urls:
                member_client.get(url)  # warm the cache
            member_client.get(fragment, HTTP_HX_REQUEST="true")
        counts[connection.name] = [count_queries(member_client, url) for url in urls]
        counts[connection.name].append(
            count_queries(member_client, fragment, HTTP_HX_REQUEST="true")
        )
    assert counts["small"] == counts["huge"]
    assert max(counts["huge"]) <= 6


# Command


def run_erd(*args: str) -> str:
    out = StringIO()
    call_command("erd", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_erd_command_writes_each_format(shop, tmp_path):
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("dot", b"digraph")):
        path = tmp_path / f"shop.{fmt}"
        run_erd("shop", "--format", fmt, "-o", str(path))
        assert path.read_bytes().startswith(magic), fmt


def test_erd_command_draws_a_table_by_its_bare_name(shop, tmp_path):
    path = tmp_path / "t.dot"
    run_erd("shop", "--table", "t0001", "--depth", "1", "--format", "dot", "-o", str(path))

    text = path.read_text()
    assert "t0000" in text and "t0002" in text and "t0003" not in text


def test_erd_command_refuses_an_ambiguous_table_and_lists_candidates(
    pg_target, tmp_path, make_connection
):
    pg_target.execute(
        "CREATE SCHEMA sales; CREATE SCHEMA archive;"
        "CREATE TABLE sales.orders (id int PRIMARY KEY);"
        "CREATE TABLE archive.orders (id int PRIMARY KEY);"
    )
    connection = make_connection(pg_target.dsn, name="pg")
    assert take_snapshot(connection).succeeded

    with pytest.raises(CommandError) as failure:
        run_erd("pg", "--table", "orders", "-o", str(tmp_path / "x.svg"))
    assert "archive.orders" in str(failure.value) and "sales.orders" in str(failure.value)

    run_erd("pg", "--table", "sales.orders", "--format", "dot", "-o", str(tmp_path / "x.dot"))
    assert "orders" in (tmp_path / "x.dot").read_text()
    run_erd("pg", "--schema", "archive", "--format", "dot", "-o", str(tmp_path / "a.dot"))
    assert "sales" not in (tmp_path / "a.dot").read_text()


def test_erd_command_fails_with_a_reason(shop, tmp_path):
    cases = [
        (("nope",), "No connection named"),
        (("shop", "--table", "missing"), "No table"),
        (("shop", "--schema", "nope"), "No schema"),
        (("shop", "--depth", "2"), "--depth"),
    ]
    for args, reason in cases:
        with pytest.raises(CommandError, match=reason):
            run_erd(*args, "-o", str(tmp_path / "x.svg"))
    assert not (tmp_path / "x.svg").exists()


def test_erd_command_and_pages_share_the_cache(member_client, shop, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="catalog.diagrams")
    run_erd("shop", "--format", "svg", "-o", str(tmp_path / "x.svg"))
    member_client.get(diagram_url(shop, format="svg"))

    assert render_count(caplog) == 1


def test_get_diagram_renders_big_views_in_place_without_a_queue(big):
    row = get_diagram(big, View(scope="database"))

    assert row.status == Diagram.Status.READY and row.params["drawn"]["compact"] is True
