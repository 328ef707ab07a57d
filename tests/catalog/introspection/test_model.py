from __future__ import annotations

import gc
import weakref
from dataclasses import replace

import orjson
import pytest

from catalog.introspection.model import (
    CheckConstraint,
    Column,
    EnumType,
    ForeignKey,
    Index,
    PrimaryKey,
    SchemaModel,
    Table,
    UniqueConstraint,
    fingerprint,
    from_document,
    paused_gc,
    row_estimates,
    to_document,
)

ORDERS = Table(
    schema="public",
    name="orders",
    columns=(
        Column("id", "bigint", "integer", nullable=False, identity="always", ident="1"),
        Column("customer_id", "bigint", "integer", nullable=False, ident="2"),
        Column("note", "character varying(20)", "text", comment="free text", max_length=20),
    ),
    primary_key=PrimaryKey("orders_pkey", ("id",)),
    unique_constraints=(UniqueConstraint("orders_note_key", ("note",)),),
    foreign_keys=(ForeignKey("fk", ("customer_id",), "public", "customers", ("id",), "CASCADE"),),
    indexes=(Index("orders_customer_idx", ("customer_id",), predicate="note IS NOT NULL"),),
    checks=(CheckConstraint("positive", "id > 0"),),
    triggers=("audit",),
    row_estimate=1200,
    ident="16384",
)
MODEL = SchemaModel(
    "postgresql", "shop", (ORDERS, Table("public", "customers", kind="view")), server_version="15"
)


def test_document_round_trips_every_field():
    again = from_document(to_document(MODEL), row_estimates=row_estimates(MODEL))
    assert again == MODEL.sorted()
    assert again.table("public", "orders").row_estimate == 1200


ENUMS = (
    EnumType("public", "mood", "mood", ("sad", "ok", "it's fine")),
    EnumType("sales", "status", "sales.status", ()),
)


def test_enum_types_round_trip_exactly_and_stay_frozen():
    with_enums = replace(MODEL, enum_types=tuple(reversed(ENUMS)))
    document = to_document(with_enums)
    again = from_document(document)
    assert again.enum_types == ENUMS  # sorted by (schema, name), labels in their order
    assert again == replace(with_enums, enum_types=ENUMS).sorted()
    assert to_document(again) == document
    assert again.enum_labels("mood") == again.enum_labels("mood[]") == ENUMS[0].labels
    assert again.enum_labels("sales.status") == ()
    assert again.enum_labels("text") is None
    with pytest.raises(AttributeError):
        again.enum_types[0].labels = ("x",)  # type: ignore[misc]
    # Before the tables, where the diff expects the head of the document.
    assert document.index('"enum_types"') < document.index('"tables"')


def test_a_model_without_enums_writes_the_document_it_always_wrote():
    """Stored documents keep their fingerprints: no new key when there are no enum types."""
    document = to_document(MODEL)
    assert "enum_types" not in document
    plain = orjson.loads(document)
    assert list(plain) == ["dialect", "database", "tables", "server_version"]
    assert plain["server_version"] is None
    # An old stored document (no enum_types) still loads, with none.
    assert from_document(document).enum_types == ()


def test_observations_do_not_change_the_fingerprint():
    busier = SchemaModel(
        "postgresql", "shop", (replace(ORDERS, row_estimate=9),), server_version="16"
    )
    lone = SchemaModel("postgresql", "shop", (ORDERS,))
    assert fingerprint(to_document(busier)) == fingerprint(to_document(lone))


def test_idents_stay_in_the_document_but_do_not_decide_the_fingerprint():
    recreated = replace(
        ORDERS,
        ident="99999",
        columns=tuple(replace(c, ident=f"9{c.ident or ''}") for c in ORDERS.columns),
    )
    before = to_document(SchemaModel("postgresql", "shop", (ORDERS,)))
    after = to_document(SchemaModel("postgresql", "shop", (recreated,)))
    assert '"ident":"99999"' in after  # kept for rename-following
    assert fingerprint(after) == fingerprint(before)
    renamed = replace(ORDERS, name="purchases")
    assert fingerprint(to_document(SchemaModel("postgresql", "shop", (renamed,)))) != fingerprint(
        before
    )
    # The text "ident": inside a comment is escaped, never taken for a key.
    one, two = (
        to_document(SchemaModel("postgresql", "shop", (replace(ORDERS, comment=text),)))
        for text in ('{"ident":"1"}', '{"ident":"2"}')
    )
    assert fingerprint(one) != fingerprint(two)


def test_table_order_does_not_change_the_document():
    reversed_model = SchemaModel(MODEL.dialect, MODEL.database, tuple(reversed(MODEL.tables)))
    assert to_document(reversed_model) == to_document(MODEL)


def test_lookups_cached_on_a_table_stay_out_of_the_document():
    fresh = from_document(to_document(MODEL))
    before = to_document(fresh)
    table = fresh.table("public", "orders")
    assert table.column("customer_id").ident == "2"
    assert table.column("missing") is None
    assert "_columns_by_name" in vars(table)  # the cache is there...
    assert to_document(fresh) == before  # ...and not in the document
    assert table.qualified_name == "public.orders" and table.key == ("public", "orders")
    assert '"_' not in before  # no cached attribute (they are underscored) is ever written
    assert replace(table, name="purchases").qualified_name == "public.purchases"


def test_a_document_missing_a_required_field_is_refused() -> None:
    document = orjson.loads(to_document(MODEL))
    del document["tables"][1]["columns"][0]["type_family"]
    with pytest.raises(TypeError, match="type_family"):
        from_document(orjson.dumps(document).decode())


def test_paused_gc_leaves_cycles_collectable() -> None:
    class Node:
        other: object

    with paused_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
        del a, b
    assert gc.isenabled()
    gc.collect()  # survivors of the pause were promoted unscanned, not lost to the collector
    assert alive() is None
