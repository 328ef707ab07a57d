"""The ERD graph builder and subject areas, on hand-built models (pure, milliseconds)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import catalog.erd
from catalog.erd import (
    COMPACT_TABLES,
    HUB_THRESHOLD,
    Diagram,
    areas_to_graph,
    cache_key,
    inline_svg,
    schema_to_graph,
    subject_areas,
)
from catalog.erd.graph import DOT_EDGE_LIMIT, RADIAL_NEIGHBOURS
from catalog.introspection.model import (
    VIEW,
    SchemaModel,
)
from tests.catalog.erd.builders import HOSTILE, fk, hostile_model, model, table, wide


def shop() -> SchemaModel:
    return model(
        table("customers", "id", "name"),
        table("orders", "id", "customer_id", "placed_at", fks=(fk(("customer_id",), "customers"),)),
        table(
            "order_lines",
            "id",
            "order_id",
            "product_id",
            fks=(fk(("order_id",), "orders"), fk(("product_id",), "products")),
        ),
        table("products", "id", "title"),
    )


def edges(diagram: Diagram) -> list[tuple[str, str, str]]:
    """(source node, target node, attributes) for each edge, ports stripped."""
    found = re.findall(r"^(t\d+)(?::\w+)*? -> (t\d+)(?::\w+)*? (.*);$", diagram.source, re.M)
    return [(a, b, attrs) for a, b, attrs in found]


def named_edges(diagram: Diagram) -> list[tuple[str, str]]:
    names = {node: key[1] for key, node in diagram.node_ids.items()}
    return sorted((names[a], names[b]) for a, b, _ in edges(diagram))


# Nodes, edges, marks --------------------------------------------------------


def test_draws_one_node_per_table_and_one_edge_per_foreign_key() -> None:
    diagram = schema_to_graph(shop())
    assert sorted(name for _, name in diagram.tables) == [
        "customers",
        "order_lines",
        "orders",
        "products",
    ]
    assert named_edges(diagram) == [
        ("order_lines", "orders"),
        ("order_lines", "products"),
        ("orders", "customers"),
    ]
    assert diagram.engine == "dot"
    assert not diagram.compact


def test_marks_primary_and_foreign_key_columns() -> None:
    source = schema_to_graph(shop()).source
    orders = re.search(r"^t\d+ \[label=<(.*?orders.*?)>, ", source, re.M)
    assert orders is not None
    rows = orders.group(1)
    assert re.search(r">PK</FONT></TD><TD[^>]*><B>id</B>", rows)
    assert re.search(r">FK</FONT></TD><TD[^>]*>customer_id<", rows)
    assert re.search(r"\"></TD><TD[^>]*>placed_at<", rows)


def test_draws_composite_foreign_key_once() -> None:
    diagram = schema_to_graph(
        model(
            table("shipments", "order_id", "line_no", pk=("order_id", "line_no")),
            table(
                "parcels",
                "id",
                "order_id",
                "line_no",
                fks=(fk(("order_id", "line_no"), "shipments", ("order_id", "line_no")),),
            ),
        )
    )
    assert named_edges(diagram) == [("parcels", "shipments")]
    assert "(order_id, line_no)" in diagram.source


def test_draws_self_reference() -> None:
    diagram = schema_to_graph(
        model(table("employees", "id", "manager_id", fks=(fk(("manager_id",), "employees"),)))
    )
    assert named_edges(diagram) == [("employees", "employees")]


def test_links_each_table_box_to_its_page_with_target_top() -> None:
    diagram = schema_to_graph(shop(), table_url=lambda schema, name: f"/tables/{schema}/{name}/")
    for schema, name in diagram.tables:
        node = diagram.node_ids[(schema, name)]
        line = next(li for li in diagram.source.splitlines() if li.startswith(f"{node} ["))
        assert f'URL="/tables/{schema}/{name}/"' in line
        assert 'target="_top"' in line
        assert f'tooltip="{schema}.{name}' in line


def test_leaves_boxes_unlinked_without_url_function() -> None:
    assert "URL=" not in schema_to_graph(shop()).source


def legend_line(diagram: Diagram) -> str:
    return next(li for li in diagram.source.splitlines() if li.startswith("legend "))


def test_draws_a_legend_on_every_diagram() -> None:
    for diagram in (
        schema_to_graph(shop()),
        schema_to_graph(shop(), focus=("public", "orders")),
        schema_to_graph(shop(), compact=True),
    ):
        for item in ("primary key", "foreign key"):
            assert item in legend_line(diagram)


def test_legend_explains_only_what_the_diagram_shows() -> None:
    plain = legend_line(schema_to_graph(shop()))
    assert "inferred" not in plain and "dropped" not in plain and "view" not in plain
    styled = legend_line(
        schema_to_graph(
            model(table("customers", "id"), table("active", "id", pk=(), kind=VIEW)),
            dropped={"public.customers"},
        )
    )
    assert "dropped table" in styled and ">view<" in styled


def test_styles_views_and_dropped_tables() -> None:
    diagram = schema_to_graph(
        model(
            table("customers", "id"),
            table("old_customers", "id"),
            table("active_customers", "id", pk=(), kind=VIEW),
        ),
        dropped={"public.old_customers"},
    )
    lines = {
        key[1]: next(li for li in diagram.source.splitlines() if li.startswith(f"{node} ["))
        for key, node in diagram.node_ids.items()
    }
    assert "<I>view</I>" in lines["active_customers"]
    assert 'STYLE="dashed"' in lines["old_customers"]
    assert "<S>old_customers</S>" in lines["old_customers"]
    assert "dropped" not in lines["customers"]


# Escaping --------------------------------------------------------------------


def test_escapes_hostile_identifiers_in_labels() -> None:
    diagram = schema_to_graph(hostile_model(), table_url=lambda s, t: f"/t/{s}/{t}/")
    source = diagram.source
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in source
    assert "a&amp;b" in source
    assert "&amp;amp;" in source
    assert "back\\\\slash \\\\N" in source  # doubled: graphviz expands \N in labels
    assert "<b>" not in source
    assert "<i>" not in source
    assert "ünï ☃ 🎸" in source


def test_never_uses_names_as_node_ids() -> None:
    diagram = schema_to_graph(hostile_model())
    assert sorted(diagram.node_ids.values()) == sorted(f"t{i}" for i in range(len(HOSTILE)))
    statements = re.findall(r"^(\S+) \[", diagram.source, re.M)
    assert set(statements) <= {*diagram.node_ids.values(), "legend", "graph", "node", "edge"}


def test_escapes_quotes_backslashes_and_ampersands_in_tooltips_and_urls() -> None:
    diagram = schema_to_graph(hostile_model(), table_url=lambda s, t: f"/t/{s}/{t}/?a=1&b=2")
    source = diagram.source
    assert 'tooltip="sch\\"&lt;i&gt;.it\'s \\"quoted\\"' in source
    assert "back\\\\\\\\slash" in source  # four: the DOT lexer and escString both unescape
    assert "&b=2" not in source and "&amp;b=2" in source
    url = re.search(r'URL="([^"]*)"', source)
    assert url is not None and '"' not in url.group(1) and "<" not in url.group(1)


def test_replaces_control_characters_that_xml_cannot_carry() -> None:
    source = schema_to_graph(model(table("bell\x07\x00tab\there", "id"))).source
    assert "\x07" not in source and "\x00" not in source
    assert "bell\ufffd\ufffdtab here" in source


# Inferred references ---------------------------------------------------------


def test_draws_inferred_reference_dashed_and_labelled() -> None:
    diagram = schema_to_graph(
        model(table("customers", "id", "name"), table("orders", "id", "customer_id"))
    )
    [(source, target, attrs)] = edges(diagram)
    names = {node: key[1] for key, node in diagram.node_ids.items()}
    assert (names[source], names[target]) == ("orders", "customers")
    assert "style=dashed" in attrs
    assert 'label="inferred"' in attrs
    assert "FK?" in diagram.source


def test_draws_no_inferred_reference_when_the_target_is_ambiguous() -> None:
    diagram = schema_to_graph(
        model(
            table("customers", "id", schema="crm"),
            table("customers", "id", schema="billing"),
            table("orders", "id", "customer_id", schema="shop"),
        )
    )
    assert edges(diagram) == []


def test_draws_declared_foreign_key_without_an_inferred_copy() -> None:
    diagram = schema_to_graph(shop())
    assert "inferred" not in "".join(attrs for _, _, attrs in edges(diagram))


# Neighbourhoods ----------------------------------------------------------------


def chain() -> SchemaModel:
    # a -> b -> c -> d, and e -> c
    return model(
        table("a", "id", "b_ref", fks=(fk(("b_ref",), "b"),)),
        table("b", "id", "c_ref", fks=(fk(("c_ref",), "c"),)),
        table("c", "id", "d_ref", fks=(fk(("d_ref",), "d"),)),
        table("d", "id"),
        table("e", "id", "c_ref", fks=(fk(("c_ref",), "c"),)),
    )


def test_neighbourhood_of_depth_one_holds_referenced_and_referencing_tables() -> None:
    diagram = schema_to_graph(chain(), focus=("public", "c"))
    assert [name for _, name in diagram.tables] == ["b", "c", "d", "e"]
    assert named_edges(diagram) == [("b", "c"), ("c", "d"), ("e", "c")]


def test_neighbourhood_of_depth_two_reaches_one_step_further() -> None:
    diagram = schema_to_graph(chain(), focus=("public", "d"), depth=2)
    assert [name for _, name in diagram.tables] == ["b", "c", "d", "e"]
    assert diagram.stubs == ()


def test_neighbourhood_draws_the_focus_table_in_bold() -> None:
    diagram = schema_to_graph(chain(), focus=("public", "c"))
    assert "<B>c</B>" in diagram.source


def hub_model(referrers: int) -> SchemaModel:
    return model(
        table("users", "id"),
        table("orders", "id", "owner", fks=(fk(("owner",), "users"),)),
        table("order_notes", "id", "order_ref", fks=(fk(("order_ref",), "orders"),)),
        *(
            table(f"thing_{i}", "id", "owner", fks=(fk(("owner",), "users"),))
            for i in range(referrers)
        ),
    )


def test_draws_hub_as_stub_and_does_not_expand_it() -> None:
    diagram = schema_to_graph(
        hub_model(HUB_THRESHOLD + 5), focus=("public", "order_notes"), depth=2
    )
    assert [name for _, name in diagram.tables] == ["order_notes", "orders"]
    assert diagram.stubs == (("public", "users"),)
    assert f"referenced by {HUB_THRESHOLD + 6} tables" in diagram.source
    assert named_edges(diagram) == [("order_notes", "orders"), ("orders", "users")]


def test_expands_a_table_below_the_hub_threshold() -> None:
    diagram = schema_to_graph(hub_model(3), focus=("public", "order_notes"), depth=2)
    assert ("public", "users") in diagram.tables
    assert diagram.stubs == ()


def test_neighbourhood_of_a_hub_itself_draws_all_its_referrers() -> None:
    diagram = schema_to_graph(hub_model(HUB_THRESHOLD + 5), focus=("public", "users"))
    # users, orders and every thing_*, but not order_notes two steps away
    assert len(diagram.tables) == 2 + HUB_THRESHOLD + 5


def test_draws_a_hub_with_many_neighbours_radially_around_it() -> None:
    diagram = schema_to_graph(hub_model(RADIAL_NEIGHBOURS + 1), focus=("public", "users"))
    assert diagram.engine == "twopi"
    assert f"root={diagram.node_ids[('public', 'users')]}" in diagram.source
    assert ":i0:w" not in diagram.source  # twopi has no ports on column rows


def test_keeps_the_left_to_right_layout_for_a_table_with_few_neighbours() -> None:
    diagram = schema_to_graph(hub_model(RADIAL_NEIGHBOURS - 2), focus=("public", "users"))
    assert diagram.engine == "dot"


# Selections, layout, compact mode ------------------------------------------------


def test_schema_selection_draws_outside_neighbours_as_stubs() -> None:
    diagram = schema_to_graph(
        model(
            table("users", "id", schema="auth"),
            table(
                "orders",
                "id",
                "owner",
                schema="shop",
                fks=(fk(("owner",), "users", schema="auth"),),
            ),
        ),
        schemas=["shop"],
    )
    assert diagram.tables == (("shop", "orders"),)
    assert diagram.stubs == (("auth", "users"),)


def test_draws_one_cluster_per_schema_when_several_are_shown() -> None:
    diagram = schema_to_graph(
        model(table("users", "id", schema="auth"), table("orders", "id", schema="shop"))
    )
    assert diagram.source.count("subgraph cluster_") == 2
    assert "<B>auth</B>" in diagram.source
    assert "subgraph cluster_" not in schema_to_graph(shop()).source


def test_switches_to_compact_mode_past_the_table_threshold() -> None:
    small = schema_to_graph(wide(COMPACT_TABLES))
    big = schema_to_graph(wide(COMPACT_TABLES + 1))
    assert not small.compact and big.compact
    assert ">integer<" in small.source and ">integer<" not in big.source
    assert 'LEFT">name<' in small.source
    assert '">name<' not in big.source and '">ref0<' in big.source
    assert schema_to_graph(wide(3), compact=True).compact


def test_switches_to_sfdp_past_the_table_or_edge_limit() -> None:
    assert schema_to_graph(wide(COMPACT_TABLES, refs=2)).engine == "dot"
    big = schema_to_graph(wide(COMPACT_TABLES + 1))
    assert big.engine == "sfdp"
    assert "overlap=prism" in big.source
    dense = schema_to_graph(wide(COMPACT_TABLES, refs=DOT_EDGE_LIMIT // COMPACT_TABLES + 1))
    assert dense.engine == "sfdp"


def test_collapses_long_column_lists_to_keys_and_a_count() -> None:
    columns = ["id", "parent_id", *(f"c{i}" for i in range(60))]
    diagram = schema_to_graph(
        model(
            table("parent", "id"),
            table("child", *columns, fks=(fk(("parent_id",), "parent"),)),
        )
    )
    assert ">parent_id<" in diagram.source
    assert "32 more columns" in diagram.source


# Subject areas ------------------------------------------------------------------


def test_groups_tables_by_shared_prefix_in_a_big_schema() -> None:
    tables = [
        *(table(f"ci_{n}", "id") for n in ("builds", "pipelines", "stages", "runners")),
        table("merge_requests", "id"),
        *(table(f"merge_request_{n}", "id") for n in ("diffs", "reviewers", "metrics")),
        *(table(f"misc_{i}", "id") for i in range(40)),
    ]
    areas = {area.name: [t[1] for t in area.tables] for area in subject_areas(model(*tables))}
    assert areas["ci_*"] == ["ci_builds", "ci_pipelines", "ci_runners", "ci_stages"]
    assert areas["merge_request_*"] == [
        "merge_request_diffs",
        "merge_request_metrics",
        "merge_request_reviewers",
        "merge_requests",
    ]


def test_splits_a_prefix_too_big_for_one_page_by_its_next_word() -> None:
    targets = ("artist", "label", "recording", "release", "work", "url", "area", "event")
    tables = [
        table(f"l_{a}_{b}", "id") for a in targets for b in targets if a <= b
    ]  # 36 l_* tables
    tables += [table(f"l_artist_x{i}", "id") for i in range(10)]
    areas = {area.name: len(area.tables) for area in subject_areas(model(*tables))}
    assert areas["l_artist_*"] == 17
    assert all(name.startswith("l_") for name in areas)
    assert sum(areas.values()) == len(tables)


def test_attaches_loose_tables_to_the_area_they_reference_most() -> None:
    tables = [
        *(table(f"ci_{n}", "id") for n in ("builds", "pipelines", "stages")),
        table("artifacts", "id", "build_ref", fks=(fk(("build_ref",), "ci_builds"),)),
        *(table(f"misc_{i}", "id") for i in range(40)),
    ]
    areas = {area.name: [t[1] for t in area.tables] for area in subject_areas(model(*tables))}
    assert "artifacts" in areas["ci_*"]


def test_groups_remaining_tables_by_foreign_key_components() -> None:
    tables = [
        table("alpha", "id"),
        table("beta", "id", "alpha_ref", fks=(fk(("alpha_ref",), "alpha"),)),
        table("gamma", "id"),
        *(table(f"misc_{i}", "id") for i in range(40)),
    ]
    areas = {area.name: [t[1] for t in area.tables] for area in subject_areas(model(*tables))}
    assert ["alpha", "beta"] in areas.values()
    assert areas["other tables"] == ["gamma"]


def test_every_table_lands_in_exactly_one_area() -> None:
    m = wide(300, refs=2)
    areas = subject_areas(m)
    keys = [key for area in areas for key in area.tables]
    assert sorted(keys) == sorted(t.key for t in m.tables)


def test_small_schema_is_one_area() -> None:
    m = model(table("users", "id", schema="auth"), *shop().tables)
    assert [(a.name, len(a.tables)) for a in subject_areas(m)] == [("auth", 1), ("public", 4)]


def test_overview_draws_areas_with_counts_and_weighted_edges() -> None:
    tables = [
        *(table(f"ci_{n}", "id") for n in ("builds", "pipelines", "stages")),
        *(
            table(
                f"user_{n}",
                "id",
                "b",
                "p",
                fks=(fk(("b",), "ci_builds"), fk(("p",), "ci_pipelines")),
            )
            for n in ("a", "b", "c")
        ),
        *(table(f"misc_{i}", "id") for i in range(40)),
    ]
    m = model(*tables)
    areas = subject_areas(m)
    diagram = areas_to_graph(m, areas, area_url=lambda area: f"/areas/{area.slug}/")
    index = {area.name: i for i, area in enumerate(areas)}
    line = next(
        li
        for li in diagram.source.splitlines()
        if li.startswith(f"a{index['user_*']} -> a{index['ci_*']} ")
    )
    assert 'label="6"' in line
    assert "3 tables" in diagram.source
    assert 'URL="/areas/public:ci_*/"' in diagram.source


# Cache keys and SVG for pages ---------------------------------------------------


def test_cache_key_is_stable_and_independent_of_parameter_order() -> None:
    one = cache_key("abc", focus=("public", "orders"), depth=1, dropped={"a.b", "c.d"})
    two = cache_key("abc", dropped={"c.d", "a.b"}, depth=1, focus=("public", "orders"))
    assert one == two and len(one) == 64
    assert cache_key("abc", depth=2, focus=("public", "orders"), dropped={"a.b", "c.d"}) != one
    assert cache_key("abd", focus=("public", "orders"), depth=1, dropped={"a.b", "c.d"}) != one


def test_inline_svg_drops_the_prolog_and_fixed_size() -> None:
    svg = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "http://www.w3.org/x.dtd">\n'
        b"<!-- Generated by graphviz -->\n<!-- Title: erd Pages: 1 -->\n"
        b'<svg width="10pt" height="20pt"\n viewBox="0 0 10 20" xmlns="http://www.w3.org/2000/svg">'
        b"<!-- t0 --><g></g></svg>\n"
    )
    page = inline_svg(svg, label='Orders & "friends"')
    assert page.startswith('<svg class="erd" role="img" aria-label="Orders &amp; &quot;friends')
    assert "<!" not in page and "<?xml" not in page and "10pt" not in page


def test_erd_builder_imports_nothing_from_django() -> None:
    package = Path(catalog.erd.__file__).resolve().parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in {"django", "scoring"} for n in names), path
