from __future__ import annotations

from scoring.rules.base import RuleContext
from tests.builders import applicable, col, failing, model, table


def test_flags_tables_and_views_without_a_description() -> None:
    m = model(
        table("orders", col("id", pk=True), comment="One row per order placed."),
        table("customers", col("id", pk=True), comment="   "),
        table("order_report", col("id"), kind="view"),
    )
    assert failing("doc-table-missing", m) == {"public.customers", "public.order_report"}


def test_schemajoy_descriptions_beat_comments_which_beat_dbt() -> None:
    m = model(
        table("orders", col("id", pk=True)),
        table("customers", col("id", pk=True)),
        table("invoices", col("id", pk=True), comment="From the database."),
    )
    ctx = RuleContext(
        descriptions={"public.orders": "Written in SchemaJoy.", "public.invoices": ""},
        dbt_descriptions={"public.customers": "From dbt.", "public.invoices": "TODO"},
    )
    assert failing("doc-table-missing", m, ctx) == set()
    # The blank SchemaJoy text falls through to the comment, so dbt's TODO is not effective.
    assert failing("doc-placeholder", m, ctx) == set()


def test_flags_undocumented_columns_except_self_describing_ones() -> None:
    m = model(
        table("customers", col("id", pk=True), comment="People who buy."),
        table("warehouses", col("id", pk=True)),
        table(
            "orders",
            col("id", pk=True),
            col("customer_id", fk="customers.id"),
            col("warehouse_id", fk="warehouses.id"),
            col("createdAt", "timestamptz"),
            col("updated_at", "timestamptz"),
            col("note", "text", comment="Free text from the buyer."),
            col("channel", "text"),
        ),
    )
    assert applicable("doc-column-missing", m) == {
        "public.orders.warehouse_id",
        "public.orders.note",
        "public.orders.channel",
    }
    assert failing("doc-column-missing", m) == {
        "public.orders.warehouse_id",
        "public.orders.channel",
    }


def test_flags_placeholder_descriptions() -> None:
    m = model(
        table(
            "orders",
            col("id", pk=True, comment="TODO"),
            col("customer_id", comment="Customer ID."),
            col("note", "text", comment="tbd: ask sales"),
            col("channel", "text", comment="-"),
            col("total", "numeric", comment="Gross amount in the order's currency, tax included."),
            col("status", "text"),
            comment="Orders",
        )
    )
    assert failing("doc-placeholder", m) == {
        "public.orders",
        "public.orders.id",
        "public.orders.customer_id",
        "public.orders.note",
        "public.orders.channel",
    }
    assert "public.orders.status" not in applicable("doc-placeholder", m)
