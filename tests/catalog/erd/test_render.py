"""Rendering ERDs with the real graphviz binaries, on hostile names and real corpus schemas."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote

import pytest

from catalog.erd import (
    Diagram,
    RenderError,
    RenderTimeout,
    areas_to_graph,
    inline_svg,
    render,
    schema_to_graph,
    subject_areas,
)
from catalog.introspection import introspect
from catalog.introspection.model import TEXT, Column, PrimaryKey, SchemaModel, Table
from tests.builders import col, model, table
from tests.catalog.erd.builders import HOSTILE, hostile_model, wide

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def url(schema: str, name: str) -> str:
    return f"/tables/{schema}/{name}/"


def links(svg: bytes) -> dict[str, str]:
    """href -> tooltip of every link in the SVG (which must parse)."""
    root = ET.fromstring(svg)
    return {
        a.get(f"{XLINK}href", ""): a.get(f"{XLINK}title", "")
        for a in root.iter(f"{SVG}a")
        if a.get(f"{XLINK}href")
    }


def texts(svg: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def assert_links_every_table(svg: bytes, diagram_tables: tuple[tuple[str, str], ...]) -> None:
    hrefs = links(svg)
    expected = {quote(url(*key), safe="/:?#[]@!$&'()*+,;=%~-._") for key in diagram_tables}
    assert expected <= set(hrefs)


def test_hostile_names_draw_as_themselves_and_inject_nothing() -> None:
    diagram = schema_to_graph(hostile_model(), table_url=url)
    svg = render(diagram, format="svg", timeout=20)
    drawn = texts(svg)
    for name in HOSTILE:
        assert drawn.count(name) == 2  # the box title and the column
        assert f"{name}(1)" in drawn
    tags = {el.tag for el in ET.fromstring(svg).iter()}
    assert tags <= {f"{SVG}{t}" for t in ("svg", "g", "title", "polygon", "path", "text", "a")}
    tooltips = set(links(svg).values())
    assert {f'sch"<i>.{name}' for name in HOSTILE} <= tooltips
    assert_links_every_table(svg, diagram.tables)


def test_names_with_control_characters_still_render() -> None:
    weird = SchemaModel(
        dialect="postgresql",
        database="x",
        tables=(
            Table(
                schema="public",
                name="bell\x07new\nline",
                columns=(Column(name="", data_type="", type_family=TEXT),),
                primary_key=PrimaryKey(name=None, columns=("",)),
            ),
        ),
    )
    svg = render(schema_to_graph(weird), timeout=20)
    assert "bell\ufffdnew line" in texts(svg)


def test_inline_svg_of_a_real_render_parses_and_keeps_links() -> None:
    diagram = schema_to_graph(hostile_model(), table_url=url)
    page = inline_svg(render(diagram, timeout=20))
    assert page.startswith('<svg class="erd"')
    assert_links_every_table(page.encode(), diagram.tables)


def test_renders_png_and_returns_dot_source_as_is() -> None:
    diagram = schema_to_graph(hostile_model())
    assert render(diagram, format="png", timeout=20).startswith(b"\x89PNG")
    assert render(diagram, format="dot") == diagram.source.encode()


def test_stops_a_layout_that_exceeds_the_time_limit() -> None:
    diagram = schema_to_graph(wide(1000, refs=3), compact=False, engine="dot")
    started = time.monotonic()
    with pytest.raises(RenderTimeout, match="compact form"):
        render(diagram, timeout=0.2)
    assert time.monotonic() - started < 2


def test_reports_graphviz_errors_clearly() -> None:
    with pytest.raises(RenderError, match="graphviz"):
        render("digraph { a -> }", engine="dot", timeout=20)
    with pytest.raises(ValueError):
        render("digraph {}", engine="rm", timeout=20)


# Real schemas ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pagila(pg_corpus: Callable[[str], str]) -> SchemaModel:
    return introspect(pg_corpus("pagila"))


@pytest.fixture(scope="module")
def musicbrainz(pg_corpus: Callable[[str], str]) -> SchemaModel:
    return introspect(pg_corpus("musicbrainz"))


def timed_render(diagram: Diagram, limit: float) -> bytes:
    started = time.monotonic()
    svg = render(diagram, timeout=limit)
    assert time.monotonic() - started < limit
    return svg


def test_renders_all_of_pagila_with_a_link_per_table(pagila: SchemaModel) -> None:
    diagram = schema_to_graph(pagila, table_url=url)
    assert diagram.engine == "dot" and not diagram.compact
    assert len(diagram.tables) == len(pagila.tables)
    svg = timed_render(diagram, 10)
    assert_links_every_table(svg, diagram.drawn)
    assert "rental" in texts(svg)


def test_renders_the_neighbourhood_of_musicbrainz_artist(musicbrainz: SchemaModel) -> None:
    focus = ("musicbrainz", "artist")
    for depth in (1, 2):
        diagram = schema_to_graph(musicbrainz, focus=focus, depth=depth, table_url=url)
        assert focus in diagram.tables
        assert ("musicbrainz", "artist_alias") in diagram.tables
        svg = timed_render(diagram, 5)
        assert_links_every_table(svg, diagram.drawn)
    # link (referenced by 100+ tables) is a stub, not a doorway to the whole database
    assert ("musicbrainz", "link") in diagram.stubs


def test_renders_all_of_musicbrainz_in_compact_form(musicbrainz: SchemaModel) -> None:
    diagram = schema_to_graph(musicbrainz, table_url=url)
    assert diagram.compact and diagram.engine == "sfdp"
    assert len(diagram.tables) > 500
    svg = timed_render(diagram, 30)
    assert_links_every_table(svg, diagram.drawn)


def test_renders_the_musicbrainz_subject_area_map_and_an_area(musicbrainz: SchemaModel) -> None:
    areas = subject_areas(musicbrainz)
    names = {area.name for area in areas}
    assert "musicbrainz: l_artist_*" in names
    assert all(len(area.tables) <= 60 for area in areas)
    ET.fromstring(timed_render(areas_to_graph(musicbrainz, areas), 10))
    area = next(a for a in areas if a.name == "musicbrainz: l_artist_*")
    diagram = schema_to_graph(musicbrainz, tables=area.tables, table_url=url)
    assert_links_every_table(timed_render(diagram, 10), diagram.drawn)


def test_a_column_named_only_a_closing_bracket_renders():
    # graphviz refused <B>]</B>: found by the hypothesis test of generated models.
    svg = render(schema_to_graph(model(table("t", col("]", "bigint", pk=True)))), format="svg")

    assert b"]" in svg
