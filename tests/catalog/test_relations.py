from __future__ import annotations

from catalog.relations import (
    BARE,
    CAMEL_ID,
    COLUMN_PREFIX,
    DECLARED,
    ID_PREFIX,
    ID_SUFFIX,
    ROLE,
    dangling_references,
    infer_references,
    is_junction,
)
from tests.builders import col, model, table


def inferred(schema_model) -> dict[str, tuple[str, str, str]]:
    """column object -> (target table, target column, strategy), undeclared only."""
    return {
        f"{r.table}.{r.column}": (f"{r.ref_schema}.{r.ref_table}", r.ref_column, r.strategy)
        for r in infer_references(schema_model)
        if not r.declared
    }


def dangling(schema_model) -> set[str]:
    return {f"{d.table}.{d.column}" for d in dangling_references(schema_model)}


CUSTOMERS = table("customers", col("id", pk=True), col("name", "text"))


def test_resolves_x_id_against_a_plural_table_name() -> None:
    m = model(CUSTOMERS, table("orders", col("id", pk=True), col("customer_id")))
    assert inferred(m) == {"orders.customer_id": ("public.customers", "id", ID_SUFFIX)}


def test_resolves_x_id_against_a_singular_table_name_and_plural_x() -> None:
    m = model(
        table("category", col("id", pk=True)),
        table("order_items", col("id", pk=True)),
        table("lines", col("id", pk=True), col("categories_id"), col("order_item_id")),
    )
    assert inferred(m) == {
        "lines.categories_id": ("public.category", "id", ID_SUFFIX),
        "lines.order_item_id": ("public.order_items", "id", ID_SUFFIX),
    }


def test_resolves_camel_case_ids_against_pascal_case_tables() -> None:
    m = model(
        table("Customer", col("CustomerId", pk=True)),
        table("Invoice", col("InvoiceId", pk=True), col("CustomerId"), col("billingCustomerID")),
    )
    assert inferred(m) == {
        "Invoice.CustomerId": ("public.Customer", "CustomerId", CAMEL_ID),
        "Invoice.billingCustomerID": ("public.Customer", "CustomerId", ROLE),
    }


def test_resolves_id_prefix_names() -> None:
    m = model(
        table("clientes", col("id", pk=True)),
        table("pedidos", col("id", pk=True), col("id_cliente")),
    )
    assert inferred(m) == {"pedidos.id_cliente": ("public.clientes", "id", ID_PREFIX)}


def test_resolves_a_role_before_the_entity_name() -> None:
    m = model(
        table("users", col("id", pk=True)),
        table("issues", col("id", pk=True), col("reporter_user_id")),
    )
    assert inferred(m) == {"issues.reporter_user_id": ("public.users", "id", ROLE)}


def test_strips_the_django_app_prefix_in_a_django_database() -> None:
    m = model(
        table("django_migrations", col("id", pk=True)),
        table("auth_user", col("id", pk=True)),
        table(
            "auth_user_groups",
            col("id", pk=True),
            col("user_id", fk="auth_user.id"),
            col("group_id"),
        ),
        table("auth_group", col("id", pk=True)),
        table("blog_post", col("id", pk=True), col("author_user_id"), col("user_id")),
    )
    assert inferred(m) == {
        "blog_post.user_id": ("public.auth_user", "id", ID_SUFFIX),
        "blog_post.author_user_id": ("public.auth_user", "id", ROLE),
        "auth_user_groups.group_id": ("public.auth_group", "id", ID_SUFFIX),
    }


def test_does_not_strip_prefixes_outside_django_databases() -> None:
    m = model(
        table("auth_user", col("id", pk=True)), table("posts", col("id", pk=True), col("user_id"))
    )
    assert inferred(m) == {}
    assert dangling(m) == {"posts.user_id"}


def test_prefers_the_same_schema_and_refuses_to_guess_between_two_others() -> None:
    m = model(
        table("customers", col("id", pk=True), schema="crm"),
        table("customers", col("id", pk=True), schema="billing"),
        table("invoices", col("id", pk=True), col("customer_id"), schema="billing"),
        table("tickets", col("id", pk=True), col("customer_id"), schema="support"),
    )
    assert inferred(m) == {"invoices.customer_id": ("billing.customers", "id", ID_SUFFIX)}
    assert dangling(m) == set()  # ambiguous is not dangling


def test_needs_a_single_column_key_on_the_target() -> None:
    m = model(
        table("customers", col("region"), col("number"), primary_key=("region", "number")),
        table("accounts", col("code", "text", nullable=False), unique=(("code",),)),
        table("orders", col("id", pk=True), col("customer_id"), col("account_id")),
    )
    assert inferred(m) == {"orders.account_id": ("public.accounts", "code", ID_SUFFIX)}
    assert dangling(m) == set()


def test_returns_declared_foreign_keys_as_declared() -> None:
    m = model(CUSTOMERS, table("orders", col("id", pk=True), col("customer_id", fk="customers.id")))
    refs = infer_references(m)
    assert [(r.column, r.declared, r.strategy) for r in refs] == [("customer_id", True, DECLARED)]


def test_skips_polymorphic_pairs() -> None:
    m = model(
        table("commentables", col("id", pk=True)),
        table("django_content_type", col("id", pk=True)),
        table("objects", col("id", pk=True)),
        table(
            "comments",
            col("id", pk=True),
            col("commentable_type", "text"),
            col("commentable_id"),
            col("content_type_id", fk="django_content_type.id"),
            col("object_id"),
        ),
    )
    assert inferred(m) == {}
    assert dangling(m) == set()


def test_skips_names_on_the_ignore_list() -> None:
    m = model(CUSTOMERS, table("payments", col("id", pk=True), col("stripe_customer_id", "text")))
    assert inferred(m) == {}
    assert dangling(m) == set()
    custom = infer_references(m, ignore=())
    assert [(r.column, r.strategy) for r in custom] == [("stripe_customer_id", ROLE)]


def test_a_tables_own_name_is_not_a_reference_but_parent_is() -> None:
    m = model(
        table("orders", col("id", pk=True), col("order_id", "text")),
        table("categories", col("id", pk=True), col("parent_id"), col("parent_category_id")),
    )
    assert inferred(m) == {
        "categories.parent_id": ("public.categories", "id", ID_SUFFIX),
        "categories.parent_category_id": ("public.categories", "id", ROLE),
    }
    assert dangling(m) == set()


def test_dangling_ids_resolve_to_no_table_and_own_keys_never_dangle() -> None:
    m = model(
        table("shipments", col("shipment_id", pk=True), col("warehouse_id"), col("carrierId"))
    )
    assert dangling(m) == {"shipments.warehouse_id", "shipments.carrierId"}
    assert [d.target for d in dangling_references(m) if d.column == "warehouse_id"] == ["warehouse"]


def test_a_name_that_keys_a_table_is_not_a_dangling_id() -> None:
    m = model(
        # media_id keys remote_media (with its origin): its thumbnails refer to it.
        table("remote_media", col("origin", "text"), col("media_id", "text"),
              unique=(("origin", "media_id"),)),
        table("remote_media_thumbnails", col("media_id", "text"), col("width")),
        # folder_id keys privmsgs_folder: rule_folder_id is a folder under a role.
        table("privmsgs_folder", col("folder_id", pk=True)),
        table("privmsgs_rules", col("rule_id", pk=True), col("rule_folder_id")),
        # A table's own identity (with a non-reference column) is not a reference.
        table("received_transactions", col("transaction_id", "text"), col("origin", "text"),
              unique=(("transaction_id", "origin"),)),
        # A link table's key columns are references: one to nothing dangles.
        table("room_list", col("appservice_id", "text", nullable=False),
              col("room_id", "text", nullable=False), unique=(("appservice_id", "room_id"),)),
        table("rooms", col("room_id", "text", pk=True)),
    )  # fmt: skip
    assert dangling(m) == {"room_list.appservice_id"}


def test_views_are_neither_sources_nor_targets() -> None:
    m = model(
        table("customers", col("id"), kind="view"),
        table("orders", col("id", pk=True), col("customer_id")),
        table("order_report", col("order_id"), kind="view"),
    )
    assert inferred(m) == {}
    assert dangling(m) == {"orders.customer_id"}


def test_recognises_association_tables() -> None:
    tags = table(
        "post_tags",
        col("post_id", fk="posts.id"),
        col("tag_id", fk="tags.id"),
        col("created_at", "timestamptz"),
        primary_key=("post_id", "tag_id"),
    )
    assert is_junction(tags)
    assert not is_junction(table("posts", col("id", pk=True), col("author_id", fk="users.id")))


def test_strips_a_prefix_most_tables_share_before_resolving() -> None:
    m = model(
        table("ps_customer", col("id_customer", pk=True)),
        table("ps_address", col("id_address", pk=True), col("id_customer")),
        table(
            "ps_orders",
            col("id_order", pk=True),
            col("customer_id"),
            col("id_address_delivery"),
            col("id_address_invoice"),
        ),
        table("ps_alias", col("id_alias", pk=True), col("alias", "text")),
    )
    assert inferred(m) == {
        "ps_address.id_customer": ("public.ps_customer", "id_customer", ID_PREFIX),
        "ps_orders.customer_id": ("public.ps_customer", "id_customer", ID_SUFFIX),
        "ps_orders.id_address_delivery": ("public.ps_address", "id_address", ROLE),
        "ps_orders.id_address_invoice": ("public.ps_address", "id_address", ROLE),
    }
    assert dangling(m) == set()


def test_a_shared_word_that_is_itself_a_table_is_not_a_prefix() -> None:
    m = model(
        table("user", col("id", pk=True)),
        table("user_roles", col("id", pk=True), col("role_id")),
        table("user_tokens", col("id", pk=True)),
        table("user_emails", col("id", pk=True)),
    )
    assert dangling(m) == {"user_roles.role_id"}


def test_resolves_column_prefixed_references_through_each_tables_tag() -> None:
    m = model(
        table("page", col("page_id", pk=True), col("page_title", "text"), col("page_latest")),
        table("actor", col("actor_id", pk=True), col("actor_name", "text"), col("actor_user")),
        table("user", col("user_id", pk=True), col("user_name", "text"), col("user_touched")),
        table(
            "revision",
            col("rev_id", pk=True),
            col("rev_page"),
            col("rev_actor"),
            col("rev_len"),
            col("rev_timestamp", "binary(14)", family="text"),
        ),
        table("archive", col("ar_id", pk=True), col("ar_rev_id"), col("ar_page_id"), col("ar_x")),
    )
    assert inferred(m) == {
        "actor.actor_user": ("public.user", "user_id", COLUMN_PREFIX),
        "revision.rev_page": ("public.page", "page_id", COLUMN_PREFIX),
        "revision.rev_actor": ("public.actor", "actor_id", COLUMN_PREFIX),
        # ar_ read as a role: rev is revision's tag.
        "archive.ar_rev_id": ("public.revision", "rev_id", ROLE),
        "archive.ar_page_id": ("public.page", "page_id", ROLE),
    }
    assert dangling(m) == set()


def test_an_integer_column_named_exactly_like_a_table_is_a_reference() -> None:
    m = model(
        table("customer", col("id", pk=True)),
        table("orders", col("id", pk=True), col("customer"), col("position")),
        table("notes", col("id", pk=True), col("customer", "text")),
    )
    assert inferred(m) == {"orders.customer": ("public.customer", "id", BARE)}


def test_a_plural_integer_named_like_a_table_counts_rows_rather_than_refers() -> None:
    m = model(
        table("events", col("id", pk=True)),
        table("room_stats", col("id", pk=True), col("events")),
        table("page", col("id", pk=True)),
        table("revision", col("id", pk=True), col("page")),
    )
    # Synapse's room_stats_current.current_state_events: how many, not which.
    assert inferred(m) == {"revision.page": ("public.page", "id", BARE)}
    assert dangling(m) == set()


def test_a_text_id_prefix_name_that_resolves_nowhere_is_a_word_not_a_dangling_id() -> None:
    m = model(
        table("users", col("id", pk=True), col("id_server", "text"), col("id_realm")),
    )
    # Synapse's user_threepid_id_server.id_server is an identity server's host name.
    assert dangling(m) == {"users.id_realm"}


def test_recognises_link_tables_by_shape_without_declared_keys() -> None:
    category_product = table(
        "ps_category_product",
        col("id_category"),
        col("id_product"),
        col("position"),
        primary_key=("id_category", "id_product"),
    )
    members = table(
        "ChannelMembers",
        col("ChannelId", "varchar(26)"),
        col("UserId", "varchar(26)"),
        col("Roles", "text"),
        col("MsgCount", "bigint"),
        primary_key=("ChannelId", "UserId"),
    )
    unique_pair = table(
        "follows",
        col("id", pk=True),
        col("follower_id", nullable=False),
        col("followee_id", nullable=False),
        unique=(("follower_id", "followee_id"),),
    )
    assert is_junction(category_product) and is_junction(members) and is_junction(unique_pair)
    not_null_missing = table(
        "pairs", col("id", pk=True), col("a_id"), col("b_id"), unique=(("a_id", "b_id"),)
    )
    assert not is_junction(not_null_missing)
    assert not is_junction(table("orders", col("id", pk=True), col("customer_id")))


def test_a_column_named_like_another_tables_key_refers_to_it() -> None:
    m = model(
        table("phpbb_acl_options", col("auth_option_id", pk=True), col("auth_option", "text")),
        table("phpbb_acl_users", col("user_id"), col("auth_option_id")),
        table("phpbb_users", col("user_id", pk=True)),
    )
    refs = inferred(m)
    assert refs["phpbb_acl_users.auth_option_id"][:2] == (
        "public.phpbb_acl_options",
        "auth_option_id",
    )
    assert dangling(m) == set()
