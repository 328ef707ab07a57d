"""diff_schemas on hand-built models: every change kind, its classification, renames."""

from __future__ import annotations

from dataclasses import replace

import pytest

from catalog import diff
from catalog.diff import Change, diff_schemas
from catalog.introspection import model as m
from catalog.introspection.model import Column, Index, Table
from tests.builders import col, model, table


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def kinds(changes: list[Change]) -> list[tuple[str, str]]:
    return [(c.kind, c.object) for c in changes]


def retype(old: str, new: str, *, dialect: str = "postgresql") -> Change:
    # As PostgreSQL prints them (the builders' type families know the short spellings).
    spelled = {
        "timestamp(6) without time zone": m.TIMESTAMP,
        "timestamp(0) without time zone": m.TIMESTAMP,
        "timestamp(3) without time zone": m.TIMESTAMP,
    }
    if dialect == "mysql":
        # MySQL's TIMESTAMP is an instant (mysql.py maps it so); its other text types.
        spelled |= {"timestamp": m.TIMESTAMPTZ, "tinytext": m.TEXT, "mediumtext": m.TEXT}
    before = model(
        table("t", col("id", pk=True), col("v", old, family=spelled.get(old))), dialect=dialect
    )
    after = model(
        table("t", col("id", pk=True), col("v", new, family=spelled.get(new))), dialect=dialect
    )
    return only(diff_schemas(before, after))


def test_exactly_the_nineteen_change_kinds_of_the_issue() -> None:
    assert diff.KINDS == (
        "table_added",
        "table_dropped",
        "table_renamed",
        "column_added",
        "column_dropped",
        "column_renamed",
        "type_changed",
        "nullability_changed",
        "default_changed",
        "primary_key_changed",
        "foreign_key_added",
        "foreign_key_dropped",
        "unique_added",
        "unique_dropped",
        "index_added",
        "index_dropped",
        "comment_changed",
        "view_changed",
        "enum_values_changed",
    )


def test_identical_models_have_no_changes() -> None:
    shop = model(table("customers", col("id", pk=True), col("name", "text")))
    assert diff_schemas(shop, shop) == []


def test_table_dropped_and_recreated_identically_on_postgresql_reports_nothing() -> None:
    # New oid and attnums after DROP + CREATE: identities never make a change by themselves.
    old = model(table("customers", col("id", pk=True), col("name", "text")))
    t = old.tables[0]
    old = replace(old, tables=(_with_idents(t, "100"),))
    new = replace(old, tables=(_with_idents(t, "200", start=5),))
    assert diff_schemas(old, new) == []


def _with_idents(t: Table, oid: str, *, start: int = 1) -> Table:
    return replace(
        t,
        ident=oid,
        columns=tuple(replace(c, ident=str(i)) for i, c in enumerate(t.columns, start=start)),
    )


def test_table_added_is_not_breaking_and_dropped_is() -> None:
    a = table("a", col("id", pk=True))
    b = table("b", col("id", pk=True), col("x", "text"))
    changes = diff_schemas(model(a), model(b))
    assert kinds(changes) == [("table_dropped", "public.a"), ("table_added", "public.b")]
    assert [c.breaking for c in changes] == [True, False]
    assert changes[0].table == "public.a"
    assert "dropped" in changes[0].reason


def test_column_added_and_dropped() -> None:
    old = model(table("t", col("id", pk=True), col("gone", "text")))
    new = model(table("t", col("id", pk=True), col("fresh", "integer")))
    changes = diff_schemas(old, new)
    assert kinds(changes) == [
        ("column_dropped", "public.t.gone"),
        ("column_added", "public.t.fresh"),
    ]
    dropped, added = changes
    assert dropped.breaking and not added.breaking
    assert dropped.before == "text" and added.after == "integer"
    assert dropped.table == added.table == "public.t"


def test_postgresql_column_rename_followed_by_attnum_is_exact() -> None:
    old = model(table("products", col("id", pk=True), col("description", "text")))
    new = model(table("products", col("id", pk=True), col("synopsis", "text")))
    old = replace(old, tables=(_with_idents(old.tables[0], "7"),))
    new = replace(new, tables=(_with_idents(new.tables[0], "7"),))
    change = only(diff_schemas(old, new))
    assert change.kind == "column_renamed"
    assert change.object == "public.products.synopsis"
    assert (change.before, change.after) == ("description", "synopsis")
    assert change.breaking and not change.probable and not change.transition


def test_postgresql_table_rename_followed_by_oid_keeps_comparing_its_columns() -> None:
    old = model(table("client", col("id", pk=True), col("name", "varchar(100)")))
    new = model(table("customer", col("id", pk=True), col("name", "varchar(50)")))
    old = replace(old, tables=(_with_idents(old.tables[0], "42"),))
    new = replace(new, tables=(_with_idents(new.tables[0], "42"),))
    changes = diff_schemas(old, new)
    assert kinds(changes) == [
        ("table_renamed", "public.customer"),
        ("type_changed", "public.customer.name"),
    ]
    assert changes[0].before == "public.client" and not changes[0].probable


def test_postgresql_different_attnums_are_a_drop_and_an_add_not_a_guess() -> None:
    old = model(table("t", col("id", pk=True), col("a", "text")))
    new = model(table("t", col("id", pk=True), col("b", "text")))
    old = replace(old, tables=(_with_idents(old.tables[0], "9"),))
    new = replace(
        new,
        tables=(
            replace(
                _with_idents(new.tables[0], "9"),
                columns=(
                    replace(new.tables[0].columns[0], ident="1"),
                    replace(new.tables[0].columns[1], ident="3"),
                ),
            ),
        ),
    )
    assert kinds(diff_schemas(old, new)) == [
        ("column_dropped", "public.t.a"),
        ("column_added", "public.t.b"),
    ]


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_probable_column_rename_same_type_nullability_and_position(dialect: str) -> None:
    old = model(
        table("products", col("id", pk=True), col("desc", "text"), col("price", "real")),
        dialect=dialect,
    )
    new = model(
        table("products", col("id", pk=True), col("description", "text"), col("price", "real")),
        dialect=dialect,
    )
    change = only(diff_schemas(old, new))
    assert change.kind == "column_renamed"
    assert change.probable and change.breaking
    assert (change.before, change.after) == ("desc", "description")
    assert "probably" in change.reason


def test_no_rename_guessed_when_the_type_differs() -> None:
    old = model(table("t", col("id", pk=True), col("a", "text")), dialect="mysql")
    new = model(table("t", col("id", pk=True), col("b", "int")), dialect="mysql")
    assert kinds(diff_schemas(old, new)) == [
        ("column_dropped", "shop.t.a"),
        ("column_added", "shop.t.b"),
    ]


def test_no_rename_guessed_when_the_nullability_differs() -> None:
    old = model(table("t", col("id", pk=True), col("a", "text", nullable=True)), dialect="sqlite")
    new = model(table("t", col("id", pk=True), col("b", "text", nullable=False)), dialect="sqlite")
    assert [c.kind for c in diff_schemas(old, new)] == ["column_dropped", "column_added"]


def test_no_rename_guessed_when_the_position_differs() -> None:
    old = model(table("t", col("id", pk=True), col("a", "text"), col("n", "int")), dialect="mysql")
    new = model(table("t", col("id", pk=True), col("n", "int"), col("b", "text")), dialect="mysql")
    assert [c.kind for c in diff_schemas(old, new)] == ["column_dropped", "column_added"]


def test_two_same_shaped_candidates_guess_no_rename() -> None:
    old = model(table("t", col("id", pk=True), col("a", "text"), col("b", "text")), dialect="mysql")
    new = model(table("t", col("id", pk=True), col("c", "text"), col("d", "text")), dialect="mysql")
    assert sorted(c.kind for c in diff_schemas(old, new)) == [
        "column_added",
        "column_added",
        "column_dropped",
        "column_dropped",
    ]


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_probable_table_rename_when_the_column_list_is_identical(dialect: str) -> None:
    cols = (col("id", pk=True), col("name", "text"))
    old = model(table("clients", *cols), table("orders", col("id", pk=True)), dialect=dialect)
    new = model(table("customers", *cols), table("orders", col("id", pk=True)), dialect=dialect)
    change = only(diff_schemas(old, new))
    assert change.kind == "table_renamed" and change.probable and change.breaking
    assert change.after == change.object == change.table
    assert change.before.endswith(".clients")


def test_two_identical_tables_dropped_guess_no_rename() -> None:
    cols = (col("id", pk=True), col("name", "text"))
    old = model(table("a", *cols), table("b", *cols), dialect="mysql")
    new = model(table("c", *cols), dialect="mysql")
    assert sorted(c.kind for c in diff_schemas(old, new)) == [
        "table_added",
        "table_dropped",
        "table_dropped",
    ]


def test_rename_with_a_view_of_the_old_name_is_a_transition() -> None:
    old = model(table("client", col("id", pk=True)))
    new_t = replace(table("customer", col("id", pk=True)), ident="5")
    view = table("client", col("id"), kind=m.VIEW)
    old = replace(old, tables=(replace(old.tables[0], ident="5"),))
    new = model(new_t, view)
    renamed = next(c for c in diff_schemas(old, new) if c.kind == "table_renamed")
    assert renamed.transition


def test_column_rename_with_a_generated_column_of_the_old_name_is_a_transition() -> None:
    old = model(table("t", col("id", pk=True), col("desc", "text")))
    old = replace(old, tables=(_with_idents(old.tables[0], "1"),))
    t = _with_idents(
        table("t", col("id", pk=True), col("description", "text"), col("desc", "text")), "1"
    )
    t = replace(t, columns=(*t.columns[:2], replace(t.columns[2], generated="description")))
    changes = diff_schemas(old, model(t))
    renamed = next(c for c in changes if c.kind == "column_renamed")
    assert renamed.transition


# Types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ("varchar(255)", "varchar(50)", True),
        ("varchar(50)", "varchar(255)", False),
        ("character varying(255)", "text", False),
        ("text", "character varying(20)", True),
        ("smallint", "integer", False),
        ("integer", "bigint", False),
        ("bigint", "integer", True),
        ("numeric(10,2)", "numeric(12,2)", False),
        ("numeric(10,2)", "numeric(10,1)", True),
        ("numeric(10,2)", "numeric(8,2)", True),
        ("numeric(10,2)", "numeric", False),
        ("numeric", "numeric(10,2)", True),
        ("real", "double precision", False),
        ("double precision", "real", True),
        ("timestamp with time zone", "timestamp without time zone", True),
        ("timestamp(6) without time zone", "timestamp(0) without time zone", True),
        ("timestamp(0) without time zone", "timestamp(3) without time zone", False),
        ("integer", "text", True),
        ("text", "integer", True),
        ("json", "jsonb", False),
        ("integer[]", "text[]", True),
    ],
)
def test_postgresql_type_changes(old: str, new: str, breaking: bool) -> None:
    change = retype(old, new)
    assert change.kind == "type_changed"
    assert (change.before, change.after) == (old, new)
    assert change.breaking is breaking, change.reason


def test_narrowing_varchar_reason_reads_like_the_issue() -> None:
    assert retype("varchar(255)", "varchar(50)").reason == (
        "varchar(255) -> varchar(50) narrows: longer values no longer fit"
    )


def test_timestamptz_to_timestamp_says_it_loses_the_time_zone() -> None:
    assert "time zone" in retype("timestamp with time zone", "timestamp without time zone").reason


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ("tinyint(1)", "int(11)", False),
        ("int(11)", "tinyint(1)", True),
        ("int(11)", "bigint(20)", False),
        ("int(10) unsigned", "bigint(20)", False),
        ("int(11)", "int(10) unsigned", True),
        ("bigint(20) unsigned", "bigint(20)", True),
        ("varchar(255)", "varchar(50)", True),
        ("varchar(255)", "text", False),
        ("text", "tinytext", True),
        ("mediumtext", "longtext", False),
        ("decimal(10,2)", "decimal(12,4)", False),
        ("decimal(10,2)", "decimal", True),
        ("float", "double", False),
        ("double", "float", True),
        ("datetime(6)", "datetime", True),
        ("datetime", "datetime(3)", False),
        ("timestamp", "datetime", True),
    ],
)
def test_mysql_type_changes(old: str, new: str, breaking: bool) -> None:
    change = retype(old, new, dialect="mysql")
    assert change.kind == "type_changed"
    assert change.breaking is breaking, change.reason


@pytest.mark.parametrize(
    ("old", "new"), [("int(11)", "int"), ("bigint(20) unsigned", "bigint unsigned")]
)
def test_mysql_display_widths_are_not_a_change(old: str, new: str) -> None:
    before = model(table("t", col("v", old)), dialect="mysql")
    after = model(table("t", col("v", new)), dialect="mysql")
    assert diff_schemas(before, after) == []


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ("VARCHAR(255)", "VARCHAR(50)", False),  # SQLite enforces no declared length
        ("INTEGER", "SMALLINT", False),  # one 64-bit integer storage
        ("REAL", "DECIMAL(10, 2)", True),  # another affinity
        ("TEXT", "INTEGER", True),
    ],
)
def test_sqlite_type_changes(old: str, new: str, breaking: bool) -> None:
    change = retype(old, new, dialect="sqlite")
    assert change.kind == "type_changed"
    assert change.breaking is breaking, change.reason


def test_enum_value_removed_is_breaking_and_added_is_not() -> None:
    removed = retype("enum('new','paid','shipped')", "enum('new','shipped')", dialect="mysql")
    assert removed.kind == "enum_values_changed" and removed.breaking
    assert "'paid'" in removed.reason
    assert (removed.before, removed.after) == ("new, paid, shipped", "new, shipped")
    added = retype("enum('new','paid')", "enum('new','paid','refunded')", dialect="mysql")
    assert added.kind == "enum_values_changed" and not added.breaking


# Columns' other properties -----------------------------------------------------------------


def _with_enums(schema: m.SchemaModel, **labels: tuple[str, ...]) -> m.SchemaModel:
    return replace(
        schema,
        enum_types=tuple(
            m.EnumType(schema="public", name=name, data_type=name, labels=values)
            for name, values in labels.items()
        ),
    )


def _enum_models(
    old_labels: tuple[str, ...], new_labels: tuple[str, ...]
) -> tuple[m.SchemaModel, m.SchemaModel]:
    """Two PostgreSQL models of identical tables whose enum type ``mood`` differs."""
    tables = (
        table("person", col("id", pk=True), col("mood", "mood", family=m.ENUM)),
        table("diary", col("id", pk=True), col("moods", "mood[]", family=m.ARRAY)),
        table("plain", col("id", pk=True), col("label", "text")),
    )
    return (
        _with_enums(model(*tables), mood=old_labels, other=("x",)),
        _with_enums(model(*tables), mood=new_labels, other=("x",)),
    )


@pytest.mark.parametrize("through_documents", [False, True])
def test_postgresql_enum_label_removed_is_breaking_per_column(through_documents: bool) -> None:
    old, new = _enum_models(("sad", "ok", "happy"), ("sad", "happy"))
    changes = (
        diff.diff_documents(m.to_document(old), m.to_document(new))
        if through_documents
        else diff_schemas(old, new)
    )
    assert [(c.kind, c.object, c.before, c.after, c.breaking) for c in changes] == [
        ("enum_values_changed", "public.diary.moods", "sad, ok, happy", "sad, happy", True),
        ("enum_values_changed", "public.person.mood", "sad, ok, happy", "sad, happy", True),
    ]
    assert changes[0].reason == (
        "removes 'ok': rows, filters and accepted-values tests using it break"
    )


@pytest.mark.parametrize("through_documents", [False, True])
def test_postgresql_enum_label_added_is_not_breaking(through_documents: bool) -> None:
    old, new = _enum_models(("sad", "ok"), ("sad", "ok", "happy"))
    changes = (
        diff.diff_documents(m.to_document(old), m.to_document(new))
        if through_documents
        else diff_schemas(old, new)
    )
    assert [(c.object, c.breaking, c.reason) for c in changes] == [
        ("public.diary.moods", False, "adds 'happy'"),
        ("public.person.mood", False, "adds 'happy'"),
    ]


def test_postgresql_enum_label_renamed_is_a_removal() -> None:
    old, new = _enum_models(("new", "void"), ("new", "cancelled"))
    change = diff_schemas(old, new)[-1]
    assert (change.object, change.breaking) == ("public.person.mood", True)
    assert change.reason.startswith("removes 'void'")


def test_postgresql_enum_labels_follow_a_renamed_column_and_skip_a_retyped_one() -> None:
    old = _with_enums(
        model(
            table(
                "person",
                col("id", pk=True),
                col("mood", "mood", family=m.ENUM),
                col("feeling", "mood", family=m.ENUM),
            )
        ),
        mood=("sad", "ok"),
    )
    person = old.tables[0]
    renamed = replace(
        person,
        columns=(
            person.columns[0],
            replace(person.columns[1], name="humour"),
            replace(person.columns[2], data_type="text", type_family=m.TEXT),
        ),
    )
    old = replace(old, tables=(_with_idents(person, "10"),))
    new = _with_enums(replace(old, tables=(_with_idents(renamed, "10"),)), mood=("sad",))
    assert kinds(diff_schemas(old, new)) == [
        ("type_changed", "public.person.feeling"),
        ("column_renamed", "public.person.humour"),
        ("enum_values_changed", "public.person.humour"),
    ]


def test_enum_types_on_one_side_only_report_nothing_of_their_own() -> None:
    old, _new = _enum_models(("a",), ("a",))
    assert diff_schemas(replace(old, enum_types=()), old) == []
    assert diff.changed_enum_types(old, replace(old, enum_types=())) == set()


def test_nullability_default_and_comment_changes_are_not_breaking() -> None:
    old = model(table("t", col("v", "text", nullable=False, default="'a'::text", comment="old")))
    new = model(table("t", col("v", "text", nullable=True, default="'b'::text", comment="new")))
    changes = diff_schemas(old, new)
    assert [c.kind for c in changes] == [
        "nullability_changed",
        "default_changed",
        "comment_changed",
    ]
    assert not any(c.breaking for c in changes)
    assert (changes[0].before, changes[0].after) == ("NOT NULL", "NULL")
    assert (changes[1].before, changes[1].after) == ("'a'::text", "'b'::text")


def test_table_comment_changed() -> None:
    old = model(table("t", col("id", pk=True), comment="Orders"))
    new = model(table("t", col("id", pk=True), comment="Customer orders"))
    change = only(diff_schemas(old, new))
    assert (change.kind, change.object, change.breaking) == ("comment_changed", "public.t", False)


# Keys, references, uniques, indexes ---------------------------------------------------------


def test_primary_key_added_is_not_breaking_changed_and_dropped_are() -> None:
    none = model(table("t", col("id"), col("code", "text")))
    on_id = model(table("t", col("id", pk=True), col("code", "text", nullable=True)))
    on_code = model(table("t", col("id", nullable=False), col("code", "text", pk=True)))
    added = [c for c in diff_schemas(none, on_id) if c.kind == "primary_key_changed"]
    assert len(added) == 1 and not added[0].breaking
    moved = [c for c in diff_schemas(on_id, on_code) if c.kind == "primary_key_changed"]
    assert len(moved) == 1 and moved[0].breaking
    assert (moved[0].before, moved[0].after) == ("(id)", "(code)")
    dropped = [c for c in diff_schemas(on_id, none) if c.kind == "primary_key_changed"]
    assert len(dropped) == 1 and dropped[0].breaking


def test_foreign_keys_added_and_dropped_are_not_breaking() -> None:
    customers = table("customers", col("id", pk=True))
    without = model(customers, table("orders", col("id", pk=True), col("customer_id")))
    with_fk = model(
        customers, table("orders", col("id", pk=True), col("customer_id", fk="customers.id"))
    )
    added = only(diff_schemas(without, with_fk))
    assert (added.kind, added.object, added.breaking) == (
        "foreign_key_added",
        "public.orders.customer_id",
        False,
    )
    assert added.after == "(customer_id) -> public.customers(id)"
    assert only(diff_schemas(with_fk, without)).kind == "foreign_key_dropped"


def test_unique_constraints_added_and_dropped() -> None:
    plain = model(table("t", col("id", pk=True), col("a", "text"), col("b", "text")))
    unique = model(
        table("t", col("id", pk=True), col("a", "text"), col("b", "text"), unique=(("a", "b"),))
    )
    added = only(diff_schemas(plain, unique))
    assert (added.kind, added.object, added.after) == ("unique_added", "public.t", "(a, b)")
    assert only(diff_schemas(unique, plain)).kind == "unique_dropped"


def test_indexes_added_and_dropped_by_shape_not_name() -> None:
    base = table("t", col("id", pk=True), col("a", "text"))
    indexed = replace(base, indexes=(Index("t_a_idx", ("a",)),))
    renamed_index = replace(base, indexes=(Index("t_a_index", ("a",)),))
    added = only(diff_schemas(model(base), model(indexed)))
    assert (added.kind, added.after, added.breaking) == ("index_added", "(a)", False)
    assert only(diff_schemas(model(indexed), model(base))).kind == "index_dropped"
    assert diff_schemas(model(indexed), model(renamed_index)) == []


def test_a_renamed_column_does_not_also_change_its_keys_and_indexes() -> None:
    t = table("t", col("id", pk=True), col("code", "text", unique=True))
    t = replace(t, indexes=(Index("t_code_idx", ("code",)),))
    r = table("t", col("key", pk=True), col("code", "text", unique=True))
    r = replace(r, indexes=(Index("t_code_idx", ("code",)),))
    change = only(diff_schemas(model(t, dialect="sqlite"), model(r, dialect="sqlite")))
    assert change.kind == "column_renamed"


# Views ------------------------------------------------------------------------------------


def _view(*columns: str, definition: str) -> Table:
    return replace(
        table("order_totals", *(col(c, "numeric") for c in columns), kind=m.VIEW),
        view_definition=definition,
    )


def test_view_that_lost_a_column_is_breaking() -> None:
    old = model(_view("order_id", "total", "items", definition="SELECT a"))
    new = model(_view("order_id", "total", definition="SELECT b"))
    change = only(diff_schemas(old, new))
    assert (change.kind, change.breaking) == ("view_changed", True)
    assert "lost items" in change.reason


def test_view_with_a_new_definition_and_the_same_columns_is_not_breaking() -> None:
    old = model(_view("order_id", "total", definition="SELECT a"))
    new = model(_view("order_id", "total", definition="SELECT b"))
    change = only(diff_schemas(old, new))
    assert (change.kind, change.breaking) == ("view_changed", False)
    assert (change.before, change.after) == ("SELECT a", "SELECT b")


def test_view_dropped_is_breaking() -> None:
    old = model(table("t", col("id", pk=True)), _view("order_id", definition="SELECT 1"))
    new = model(table("t", col("id", pk=True)))
    change = only(diff_schemas(old, new))
    assert (change.kind, change.breaking) == ("table_dropped", True)
    assert change.reason.startswith("view dropped")


# Order ------------------------------------------------------------------------------------


def test_breaking_changes_come_first_then_by_table_object_and_kind() -> None:
    old = model(
        table("a", col("id", pk=True), col("x", "text")),
        table("b", col("id", pk=True), col("y", "varchar(10)")),
    )
    new = model(
        table("a", col("id", pk=True), col("x", "text"), col("z", "text")),
        table("b", col("id", pk=True), col("y", "varchar(5)")),
        table("c", col("id", pk=True)),
    )
    assert kinds(diff_schemas(old, new)) == [
        ("type_changed", "public.b.y"),
        ("column_added", "public.a.z"),
        ("table_added", "public.c"),
    ]


def test_changes_are_values_with_a_dict_form() -> None:
    change = Change("column_added", "public.t.a", "public.t", after="text", reason="new column")
    assert change.schema == "public"
    assert change.as_dict() == {
        "kind": "column_added",
        "object": "public.t.a",
        "table": "public.t",
        "before": None,
        "after": "text",
        "breaking": False,
        "reason": "new column",
        "probable": False,
        "transition": False,
    }
    assert hash(change) == hash(replace(change))


def test_column_model_values_compare_by_structure() -> None:
    assert Column("a", "text", m.TEXT) == Column("a", "text", m.TEXT)


def test_diff_documents_equals_diff_schemas_of_the_parsed_models() -> None:
    from catalog.diff import diff_documents
    from catalog.introspection.model import from_document, to_document

    customers = table("customers", col("id", pk=True), col("name", "text"))
    old = model(
        customers,
        table("clients_archive", col("id", pk=True), col("email", "varchar(100)")),
        table(
            "orders", col("id", pk=True), col("customer_id", fk="customers.id"), col("desc", "text")
        ),
        dialect="sqlite",
    )
    new = model(
        customers,
        table("clients_old", col("id", pk=True), col("email", "varchar(100)")),
        table("orders", col("id", pk=True), col("customer_id"), col("description", "text")),
        dialect="sqlite",
    )
    old_doc, new_doc = to_document(old), to_document(new)
    expected = diff_schemas(from_document(old_doc), from_document(new_doc))
    assert diff_documents(old_doc, new_doc) == expected
    assert {c.kind for c in expected} == {"table_renamed", "column_renamed", "foreign_key_dropped"}
    assert diff_documents(old_doc, old_doc) == []


def test_diff_documents_is_not_fooled_by_names_and_comments_that_look_like_json() -> None:
    from catalog.diff import diff_documents
    from catalog.introspection.model import to_document

    sly = '}},{"schema":"main","name":"x"}]'
    old = model(
        table("t", col("id", pk=True), comment=sly), table(sly, col("a", "text")), dialect="sqlite"
    )
    new = model(
        table("t", col("id", pk=True), comment=sly + "!"),
        table(sly, col("a", "text"), col("b", "text")),
        dialect="sqlite",
    )
    assert kinds(diff_documents(to_document(old), to_document(new))) == [
        ("comment_changed", "main.t"),
        ("column_added", f"main.{sly}.b"),
    ]


def test_diff_documents_of_empty_and_unexpected_documents() -> None:
    from catalog.diff import diff_documents
    from catalog.introspection.model import to_document

    empty = to_document(model(dialect="sqlite"))
    one = to_document(model(table("t", col("id", pk=True)), dialect="sqlite"))
    assert kinds(diff_documents(empty, one)) == [("table_added", "main.t")]
    assert kinds(diff_documents(one, empty)) == [("table_dropped", "main.t")]
    # Another layout (keys reordered by hand): parsed whole, same answer.
    import orjson

    shuffled = orjson.dumps(
        {"tables": orjson.loads(one)["tables"], "dialect": "sqlite", "database": "shop"}
    ).decode()
    assert diff_documents(empty, shuffled) == diff_documents(empty, one)
