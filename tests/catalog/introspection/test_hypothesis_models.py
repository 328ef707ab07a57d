"""Generated schema models with arbitrary identifiers (any unicode, quotes, markup, control
characters, 63-byte names, empty comments) through serialisation, fingerprinting, scoring,
the ERD and the pages: no crash, an exact round trip, nothing unescaped (issue 13)."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.diff import diff_documents, diff_schemas
from catalog.erd.graph import schema_to_graph
from catalog.erd.render import render
from catalog.introspection.model import (
    ENUM,
    Column,
    EnumType,
    ForeignKey,
    PrimaryKey,
    SchemaModel,
    Table,
    fingerprint,
    from_document,
    to_document,
)
from scoring.engine import score_schema
from tests.builders import family_of
from tests.catalog.docs_catalog import make_catalog

# Any character a catalog can hold (PostgreSQL refuses NUL), at most 63 bytes of UTF-8.
NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=63,
).filter(lambda name: len(name.encode()) <= 63)
# Markup, quotes and control characters often, not only by chance.
HOSTILE = st.sampled_from(
    ["<script>alert(1)</script>", '"', "'", "&amp;", "a\tb", "\x1b[31m", "\u202eevil", "x" * 63]
)
IDENTIFIERS = st.one_of(NAMES, HOSTILE)
COMMENTS = st.one_of(st.none(), st.just(""), st.text(max_size=40).filter(lambda t: "\x00" not in t))
TYPES = st.sampled_from(["bigint", "text", "timestamp with time zone", "date", "boolean", "jsonb"])


@st.composite
def models(draw) -> SchemaModel:
    schema = draw(IDENTIFIERS)
    enum_names = draw(st.lists(IDENTIFIERS, max_size=2, unique=True))
    enums = sorted(
        (
            EnumType(
                schema=schema,
                name=name,
                data_type=f"{schema}.{name}",  # as a column prints it: unique per type
                labels=tuple(draw(st.lists(st.one_of(NAMES, HOSTILE), max_size=4, unique=True))),
            )
            for name in enum_names
        ),
        key=lambda e: (e.schema, e.name),
    )
    names = draw(st.lists(IDENTIFIERS, min_size=1, max_size=4, unique=True))
    tables = []
    for index, name in enumerate(names):
        column_names = draw(st.lists(IDENTIFIERS, min_size=1, max_size=5, unique=True))
        columns = []
        for column_name in column_names:
            data_type = draw(TYPES)
            columns.append(
                Column(
                    name=column_name,
                    data_type=data_type,
                    type_family=family_of(data_type),
                    nullable=draw(st.booleans()),
                    comment=draw(COMMENTS),
                )
            )
        if enums and draw(st.booleans()):
            enum = draw(st.sampled_from(enums))
            enum_column = "enum column" if "enum column" not in column_names else "enum column 2"
            columns.append(Column(name=enum_column, data_type=enum.data_type, type_family=ENUM))
        foreign_keys = ()
        if index and draw(st.booleans()):
            parent = tables[0]
            foreign_keys = (
                ForeignKey(
                    name=draw(st.one_of(st.none(), IDENTIFIERS)),
                    columns=(columns[-1].name,),
                    ref_schema=schema,
                    ref_table=parent.name,
                    ref_columns=parent.primary_key.columns,
                ),
            )
        tables.append(
            Table(
                schema=schema,
                name=name,
                columns=tuple(columns),
                primary_key=PrimaryKey(name=draw(st.one_of(st.none(), IDENTIFIERS)),
                                       columns=(columns[0].name,)),
                foreign_keys=foreign_keys,
                comment=draw(COMMENTS),
            )
        )  # fmt: skip
    # Introspection yields tables in key order; the canonical document keeps that order.
    tables.sort(key=lambda t: t.key)
    return SchemaModel(
        dialect="postgresql",
        database=draw(IDENTIFIERS),
        tables=tuple(tables),
        enum_types=tuple(enums),
    )


@settings(max_examples=60, deadline=None)
@given(model=models())
def test_generated_models_round_trip_score_and_draw(model):
    document = to_document(model)

    assert from_document(document) == model
    assert to_document(from_document(document)) == document
    assert fingerprint(document) == fingerprint(to_document(from_document(document)))
    assert diff_documents(document, document) == diff_schemas(model, from_document(document)) == []
    score_schema(model)
    diagram = schema_to_graph(model)
    # graphviz itself parses the DOT source: every identifier was quoted and escaped.
    assert render(diagram, format="svg", timeout=30).startswith((b"<?xml", b"<svg"))


COUNTER = itertools.count()


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(model=models())
def test_generated_models_render_escaped_on_the_table_pages(model, team, member_client):
    connection = make_catalog(team, model, name=f"generated-{next(COUNTER)}")
    baseline = None
    for table in connection.tables.all():
        html = member_client.get(table.get_absolute_url()).content.decode()
        assert escape(table.name) in html
        for column in model.tables[0].columns if table.name == model.tables[0].name else ():
            assert escape(column.name) in html
        # Only the page's own scripts: no identifier opened one.
        scripts = html.lower().count("<script")
        baseline = scripts if baseline is None else baseline
        assert scripts == baseline == html.count('<script src="/static/'), html
    page = member_client.get(reverse("catalog:connection_detail", args=[connection.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.lower().count("<script") == text.count('<script src="/static/')
