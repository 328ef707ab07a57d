from __future__ import annotations

from scoring.rules.base import DATABASE, RuleContext
from scoring.rules.naming import CAMEL, MIXED, PASCAL, SCREAMING, SNAKE, casings
from tests.builders import applicable, col, failing, model, outcomes, table


def snake_tables(*extra_columns, dialect: str = "postgresql"):
    """Five snake_case tables (two snake columns each) plus the given columns on ``orders``."""
    tables = [
        table(
            name, col("id", pk=True), col(f"{name}_code", "text"), col("created_at", "timestamptz")
        )
        for name in ("customers", "products", "invoices", "payments")
    ]
    tables.append(table("orders", col("id", pk=True), col("order_code", "text"), *extra_columns))
    return model(*tables, dialect=dialect)


def test_classifies_casings_and_keeps_single_words_ambiguous() -> None:
    assert casings("order_items") == {SNAKE}
    assert casings("orders") == {SNAKE, CAMEL}
    assert casings("orderItems") == {CAMEL}
    assert casings("OrderItems") == {PASCAL}
    assert casings("Customer") == {PASCAL}
    assert casings("ORDER_ITEMS") == {SCREAMING}
    assert casings("ID") == {SCREAMING, PASCAL}
    assert casings("Order_Details") == {MIXED}
    assert casings("order date") == {MIXED}
    assert casings("_private_thing") == {SNAKE}


def test_flags_casing_outliers_against_the_dominant_casing() -> None:
    m = snake_tables(col("shippedAt", "timestamptz"), col("total", "numeric"))
    assert failing("name-casing-outlier", m) == {"public.orders.shippedAt"}
    [finding] = [o for o in outcomes("name-casing-outlier", m) if o.failed]
    assert finding.message == "90% of 10 columns are snake_case; shippedAt is camelCase."
    assert finding.fix == 'ALTER TABLE "orders" RENAME COLUMN "shippedAt" TO "shipped_at";'
    assert finding.unit == "public.orders"


def test_single_word_names_pass_under_snake_or_camel_but_not_pascal() -> None:
    pascal = model(
        table(
            "Customer", col("CustomerId", pk=True), col("FirstName", "text"), col("email", "text")
        ),
        table("Invoice", col("InvoiceId", pk=True), col("CustomerId"), col("Total", "numeric")),
    )
    assert failing("name-casing-outlier", pascal) == {"public.Customer.email"}
    camel = model(
        table(
            "orders",
            col("orderId", pk=True),
            col("shippedAt", "timestamptz"),
            col("total", "numeric"),
        ),
    )
    assert failing("name-casing-outlier", camel) == set()


def test_tables_and_columns_are_judged_separately() -> None:
    m = model(
        table(
            "User", col("id", pk=True), col("createdAt", "timestamptz"), col("firstName", "text")
        ),
        table("Post", col("id", pk=True), col("authorId"), col("publishedAt", "timestamptz")),
    )
    assert failing("name-casing-outlier", m) == set()


def test_below_sixty_percent_there_is_no_convention_and_one_database_finding() -> None:
    m = model(
        table(
            "things",
            col("first_name", "text"),
            col("last_name", "text"),
            col("birthDate", "date"),
            col("signupDate", "date"),
            col("zip_code", "text"),
        )
    )  # columns: 3 snake of 5 = 60%: dominant
    assert failing("name-no-dominant-convention", m) == set()
    assert failing("name-casing-outlier", m) == {
        "public.things.birthDate",
        "public.things.signupDate",
    }
    m2 = model(
        table(
            "things",
            col("first_name", "text"),
            col("last_name", "text"),
            col("birthDate", "date"),
            col("signupDate", "date"),
        )
    )  # 50%: no convention
    assert applicable("name-casing-outlier", m2) == set()  # "things" alone: no table convention
    [finding] = outcomes("name-no-dominant-convention", m2)
    assert finding.object == DATABASE and finding.unit == DATABASE
    assert finding.message == (
        "No casing reaches 60% of 4 columns (50% snake_case, 50% camelCase)."
    )


def test_expected_casing_turns_the_rule_into_fixed_checking() -> None:
    m = snake_tables(col("shippedAt", "timestamptz"))
    ctx = RuleContext(
        options={
            "name-casing-outlier": {"expected": {"columns": CAMEL}},
            "name-no-dominant-convention": {"expected": CAMEL},
        }
    )
    assert "public.orders.shippedAt" not in failing("name-casing-outlier", m, ctx)
    assert "public.orders.order_code" in failing("name-casing-outlier", m, ctx)
    assert applicable("name-no-dominant-convention", m, ctx) == set()


def test_flags_names_that_need_quoting() -> None:
    m = model(
        table(
            "Order Details",
            col("OrderID", pk=True),
            col("unit-price", "numeric"),
            col("2fa_enabled", "boolean"),
            col("plain_name", "text"),
        )
    )
    assert failing("name-needs-quoting", m) == {
        "public.Order Details",
        "public.Order Details.OrderID",
        "public.Order Details.unit-price",
        "public.Order Details.2fa_enabled",
    }
    fixes = {o.object: o.fix for o in outcomes("name-needs-quoting", m) if o.failed}
    assert fixes["public.Order Details.unit-price"] == (
        'ALTER TABLE "Order Details" RENAME COLUMN "unit-price" TO "unit_price";'
    )
    assert fixes["public.Order Details.2fa_enabled"] is None


def test_upper_case_needs_quoting_on_postgresql_only() -> None:
    for dialect, expected in (("postgresql", {"CustomerId"}), ("mysql", set()), ("sqlite", set())):
        m = model(table("customers", col("CustomerId", pk=True)), dialect=dialect)
        assert {o.split(".")[-1] for o in failing("name-needs-quoting", m)} == expected


def test_flags_reserved_words_per_dialect() -> None:
    names = (
        col("order", "integer"),
        col("user", "text"),
        col("rank", "integer"),
        col("status", "text"),
    )
    pg = model(table("lines", *names))
    assert failing("name-reserved-word", pg) == {"public.lines.order", "public.lines.user"}
    mysql = model(table("lines", *names), dialect="mysql")  # LINES is reserved in MySQL
    assert failing("name-reserved-word", mysql) == {
        "shop.lines",
        "shop.lines.order",
        "shop.lines.rank",
    }
    sqlite = model(table("lines", *names), dialect="sqlite")
    assert failing("name-reserved-word", sqlite) == {"main.lines.order"}


def test_flags_table_plurality_outliers_after_stripping_the_django_prefix() -> None:
    m = model(
        table("django_migrations", col("id", pk=True)),
        table("shop_order", col("id", pk=True)),
        table("shop_customer", col("id", pk=True)),
        table("shop_invoice", col("id", pk=True)),
        table("shop_products", col("id", pk=True)),
        table("shop_metadata", col("id", pk=True)),
        table(
            "shop_order_tags",
            col("id", pk=True),
            col("order_id", fk="shop_order.id"),
            col("tag_id", fk="shop_customer.id"),
        ),
    )
    assert failing("name-inflection-outlier", m) == {"public.shop_products"}
    assert "public.shop_order_tags" not in applicable("name-inflection-outlier", m)  # association
    [finding] = [o for o in outcomes("name-inflection-outlier", m) if o.failed]
    assert finding.message.startswith("75% of 4 table names are singular; shop_products is plural")
    assert finding.fix == 'ALTER TABLE "shop_products" RENAME TO "shop_product";'


def test_strips_a_prefix_most_tables_share_and_never_renames_into_a_worse_name() -> None:
    m = model(
        *(table(f"ps_{n}", col(f"id_{n}", pk=True)) for n in ("customer", "order", "product")),
        table("ps_carts", col("id_cart", pk=True)),
        table("ps_alias", col("id_alias", pk=True)),
        table("ps_sms", col("id_sms", pk=True)),
        table("ps_canvas", col("id_canvas", pk=True)),
    )
    assert failing("name-inflection-outlier", m) == {"public.ps_carts"}
    [finding] = [o for o in outcomes("name-inflection-outlier", m) if o.failed]
    assert finding.fix == 'ALTER TABLE "ps_carts" RENAME TO "ps_cart";'
    plural = model(*(table(n, col("id", pk=True)) for n in ("users", "posts", "tags", "news")))
    renamed = model(*plural.tables, table("data_sms", col("id", pk=True)))
    assert failing("name-inflection-outlier", renamed) == set()  # sms is either number


def test_flags_foreign_key_suffix_outliers() -> None:
    m = model(
        table("users", col("id", pk=True)),
        table(
            "posts",
            col("id", pk=True),
            col("author_id", fk="users.id"),
            col("editor_id", fk="users.id"),
            col("reviewer_id", fk="users.id"),
            col("owner_fk", fk="users.id"),
        ),
        table("profiles", col("id", pk=True, fk="users.id")),
        table("servers", col("destination", "text", pk=True)),
        # Named exactly like the key it holds (Synapse's destination_rooms.destination).
        table("server_rooms", col("destination", "text", fk="servers.destination")),
    )
    assert failing("name-fk-suffix-outlier", m) == {"public.posts.owner_fk"}
    assert "public.server_rooms.destination" not in applicable("name-fk-suffix-outlier", m)
    [finding] = [o for o in outcomes("name-fk-suffix-outlier", m) if o.failed]
    assert finding.fix == 'ALTER TABLE "posts" RENAME COLUMN "owner_fk" TO "owner_id";'


def test_flags_boolean_prefix_outliers_and_counts_is_and_has_as_one_style() -> None:
    m = model(
        table(
            "accounts",
            col("is_active", "boolean"),
            col("has_children", "boolean"),
            col("can_login", "boolean"),
            col("enabled", "boolean"),
            col("name", "text"),
        )
    )
    assert applicable("name-boolean-prefix", m) == {
        "public.accounts.is_active",
        "public.accounts.has_children",
        "public.accounts.can_login",
        "public.accounts.enabled",
    }
    assert failing("name-boolean-prefix", m) == {"public.accounts.enabled"}


def test_flags_minority_spellings_of_one_concept() -> None:
    m = model(
        table("orders", col("created_at", "timestamptz")),
        table("customers", col("createdAt", "timestamptz")),
        table("invoices", col("date_created", "timestamptz")),
        table("flags", col("deleted", "boolean"), col("deleted_at", "timestamptz")),
    )
    assert failing("name-concept-synonyms", m) == {"public.invoices.date_created"}
    [finding] = [o for o in outcomes("name-concept-synonyms", m) if o.failed]
    assert finding.fix == 'ALTER TABLE "invoices" RENAME COLUMN "date_created" TO "created_at";'
    assert "public.flags.deleted" not in applicable("name-concept-synonyms", m)


def test_a_tie_between_concept_spellings_fails_all_of_them() -> None:
    m = model(
        table("orders", col("created_at", "timestamptz")),
        table("invoices", col("date_created", "timestamptz")),
    )
    assert failing("name-concept-synonyms", m) == {
        "public.orders.created_at",
        "public.invoices.date_created",
    }


def test_concept_synonyms_catch_the_ts_and_time_spellings_of_creation() -> None:
    m = model(
        table("bugs", col("id", pk=True), col("creation_ts", "timestamptz")),
        table("attachments", col("id", pk=True), col("creation_ts", "timestamptz")),
        table("flags", col("id", pk=True), col("creation_ts", "timestamptz")),
        table("votes", col("id", pk=True), col("created_ts", "timestamptz")),
        table("tokens", col("id", pk=True), col("creation_time", "timestamptz")),
    )
    assert failing("name-concept-synonyms", m) == {
        "public.votes.created_ts",
        "public.tokens.creation_time",
    }


def test_fk_suffix_fixes_never_rename_into_a_keyword_or_an_existing_column() -> None:
    m = model(
        table("users", col("id", pk=True)),
        table(
            "redirects",
            col("id", pk=True),
            *(col(n, fk="users.id") for n in ("author", "editor", "owner", "reviewer")),
            col("new_id", fk="users.id"),
            col("creator_id", fk="users.id"),
            col("creator", "text"),
        ),
    )
    fixes = {o.object: o.fix for o in outcomes("name-fk-suffix-outlier", m) if o.failed}
    assert fixes == {"public.redirects.new_id": None, "public.redirects.creator_id": None}
