from __future__ import annotations

from catalog.introspection.model import Index
from scoring.rules.base import RuleContext
from tests.builders import applicable, col, failing, model, outcomes, table


def test_flags_table_without_primary_key() -> None:
    m = model(
        table("events", col("id", nullable=False), col("payload", "jsonb")),
        table("orders", col("id", pk=True)),
    )
    assert failing("pk-missing", m) == {"public.events"}
    [finding] = [o for o in outcomes("pk-missing", m) if o.failed]
    assert finding.fix == 'ALTER TABLE "events" ADD PRIMARY KEY ("id");'


def test_views_and_partitions_are_not_checked_for_keys() -> None:
    m = model(
        table("order_report", col("id"), kind="view"),
        table("order_mv", col("id"), kind="materialized_view"),
        table("measurements", col("id", pk=True), kind="partitioned"),
        table("remote_orders", col("id"), kind="foreign"),
    )
    assert applicable("pk-missing", m) == {"public.measurements"}
    assert failing("pk-missing", m) == set()


def test_a_unique_not_null_substitute_is_reported_instead_of_pk_missing() -> None:
    m = model(
        table("countries", col("code", "char(2)", nullable=False), unique=(("code",),)),
        table("tags", col("slug", "text", nullable=True), unique=(("slug",),)),
        table(
            "sessions",
            col("token", "text", nullable=False),
            indexes=(Index("sessions_token", ("token",), unique=True, predicate="token <> ''"),),
        ),
    )
    assert failing("pk-missing", m) == {"public.tags", "public.sessions"}  # nullable; partial
    assert failing("pk-unique-substitute", m) == {"public.countries"}
    [finding] = [o for o in outcomes("pk-unique-substitute", m) if o.failed]
    assert finding.fix == 'ALTER TABLE "countries" ADD PRIMARY KEY ("code");'


def test_sqlite_has_no_add_primary_key_fix() -> None:
    m = model(table("events", col("id", nullable=False)), dialect="sqlite")
    [finding] = outcomes("pk-missing", m)
    assert finding.object == "main.events" and finding.fix is None


def test_flags_an_id_column_that_is_not_the_key() -> None:
    m = model(
        table("orders", col("order_id", pk=True), col("id", "text")),
        table("customers", col("id", pk=True)),
        table("order_lines", col("line_id", pk=True)),
    )
    assert applicable("pk-misleading-id", m) == {"public.orders", "public.customers"}
    assert failing("pk-misleading-id", m) == {"public.orders"}


def test_key_names_follow_id_or_singular_table_id() -> None:
    m = model(
        table("orders", col("id", pk=True)),
        table("customers", col("customer_id", pk=True)),
        table("Invoice", col("InvoiceID", pk=True)),
        table("order_items", col("order_item_id", pk=True)),
        table("products", col("sku", "text", pk=True)),
        table("links", col("a"), col("b"), primary_key=("a", "b")),
    )
    assert failing("pk-name-pattern", m) == {"public.products"}
    assert "public.links" not in applicable("pk-name-pattern", m)


def test_key_name_pattern_is_an_option() -> None:
    m = model(table("products", col("sku", "text", pk=True)), table("orders", col("id", pk=True)))
    ctx = RuleContext(options={"pk-name-pattern": {"pk_name_pattern": "sku|{table}_id"}})
    assert failing("pk-name-pattern", m, ctx) == {"public.orders"}


def test_a_key_that_refers_to_another_tables_row_is_well_named() -> None:
    m = model(
        table("users", col("id", pk=True)),
        table("rooms", col("room_id", "text", pk=True)),
        # One-to-one extensions keyed by their parent (Synapse's account_validity).
        table("account_validity", col("user_id", pk=True)),
        table("partial_state_rooms", col("room_id", "text", pk=True)),
        table("open_id_tokens", col("token", "text", pk=True)),
    )
    assert failing("pk-name-pattern", m) == {"public.open_id_tokens"}


def test_django_app_prefix_is_stripped_for_the_key_name() -> None:
    m = model(
        table("django_migrations", col("id", pk=True)),
        table("shop_order", col("order_id", pk=True)),
    )
    assert failing("pk-name-pattern", m) == set()


def test_flags_uuid_keys_stored_as_strings_on_postgresql() -> None:
    m = model(
        table("accounts", col("id", "character varying(36)", pk=True)),
        table("orders", col("order_uuid", "char(32)", pk=True)),
        # 32 hex digits is also an MD5 (phpBB's session ids): only a uuid/guid name says UUID.
        table("sessions", col("session_id", "char(32)", pk=True)),
        table("codes", col("id", "character varying(10)", pk=True)),
        table("users", col("id", "uuid", pk=True)),
    )
    assert failing("pk-uuid-as-string", m) == {"public.accounts", "public.orders"}
    fix = next(o.fix for o in outcomes("pk-uuid-as-string", m) if o.object == "public.orders")
    assert fix == (
        'ALTER TABLE "orders" ALTER COLUMN "order_uuid" TYPE uuid USING "order_uuid"::uuid;'
    )


def test_never_flags_django_char32_uuids_on_mysql_or_sqlite() -> None:
    for dialect in ("mysql", "sqlite"):
        m = model(table("accounts", col("id", "char(32)", pk=True)), dialect=dialect)
        assert applicable("pk-uuid-as-string", m) == set()


def test_flags_serial_keys_on_postgresql_only() -> None:
    m = model(
        table("orders", col("id", pk=True, default="nextval('orders_id_seq'::regclass)")),
        table("users", col("id", "bigint", pk=True, identity="by default")),
    )
    assert failing("pk-serial", m) == {"public.orders"}
    fix = next(o.fix for o in outcomes("pk-serial", m) if o.failed)
    assert "DROP SEQUENCE orders_id_seq;" in fix
    assert "ADD GENERATED BY DEFAULT AS IDENTITY" in fix
    mysql = model(table("orders", col("id", pk=True, identity="auto_increment")), dialect="mysql")
    assert applicable("pk-serial", mysql) == set()


def test_key_names_follow_the_databases_own_conventions() -> None:
    m = model(
        table("ps_customer", col("id_customer", pk=True)),
        table("ps_orders", col("id_order", pk=True)),
        table("ps_cart", col("id_cart", pk=True)),
        table("category", col("cat_id", pk=True), col("cat_title", "text"), col("cat_pages")),
        table("ps_tax", col("tax_key", pk=True)),
    )
    assert failing("pk-name-pattern", m) == {"public.ps_tax"}
    [finding] = [o for o in outcomes("pk-name-pattern", m) if o.failed]
    assert finding.message == "The key tax_key is neither id nor tax_id."
