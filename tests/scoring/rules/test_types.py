from __future__ import annotations

import pytest

from scoring.observations import Observations, ValueProfile
from scoring.rules.base import ESCALATE, RuleContext
from tests.builders import applicable, col, failing, model, outcomes, table

CUSTOMERS = table("customers", col("id", "integer", pk=True), col("name", "text"))


def test_flags_declared_foreign_keys_whose_type_differs_from_the_target() -> None:
    m = model(
        table(
            "customers",
            col("id", "bigint", pk=True),
            col("code", "character varying(20)", unique=True),
        ),
        table(
            "orders",
            col("id", pk=True),
            col("customer_id", "integer", fk="customers.id"),
            col("customer_code", "character varying(10)", fk="customers.code"),
        ),
        table("invoices", col("id", pk=True), col("customer_id", "int8", fk="customers.id")),
    )
    assert failing("type-fk-declared-mismatch", m) == {
        "public.orders.customer_id",
        "public.orders.customer_code",
    }
    found = {o.object: o for o in outcomes("type-fk-declared-mismatch", m) if o.failed}
    assert "width differs" in found["public.orders.customer_code"].message
    assert found["public.orders.customer_id"].fix == (
        'ALTER TABLE "orders" ALTER COLUMN "customer_id" TYPE bigint USING "customer_id"::bigint;'
    )


def test_mysql_integer_display_widths_are_not_a_mismatch() -> None:
    m = model(
        table("customers", col("id", "int(11)", pk=True)),
        table(
            "orders",
            col("id", "int(11)", pk=True),
            col("customer_id", "int(10)", fk="customers.id"),
        ),
        dialect="mysql",
    )
    assert failing("type-fk-declared-mismatch", m) == set()
    assert applicable("type-fk-declared-mismatch", m) == {"shop.orders.customer_id"}


def test_flags_inferred_references_of_another_type_family() -> None:
    m = model(
        CUSTOMERS,
        table("orders", col("id", pk=True), col("customer_id", "text")),
        table("invoices", col("id", pk=True), col("customer_id", "bigint")),
    )
    assert applicable("type-fk-inferred-mismatch", m) == {
        "public.orders.customer_id",
        "public.invoices.customer_id",
    }
    assert failing("type-fk-inferred-mismatch", m) == {"public.orders.customer_id"}


def test_inferred_mismatch_skips_stripe_ids_and_polymorphic_pairs() -> None:
    m = model(
        CUSTOMERS,
        table(
            "payments",
            col("id", pk=True),
            col("stripe_customer_id", "text"),
            col("owner_type", "text"),
            col("owner_id", "text"),
        ),
        table("owners", col("id", pk=True)),
    )
    assert applicable("type-fk-inferred-mismatch", m) == set()


def test_django_char32_uuids_on_mysql_match_their_target() -> None:
    m = model(
        table("accounts", col("id", "char(32)", pk=True)),
        table("orders", col("id", "char(32)", pk=True), col("account_id", "char(32)")),
        dialect="mysql",
    )
    assert failing("type-fk-inferred-mismatch", m) == set()
    assert failing("pk-uuid-as-string", m) == set()


def test_flags_minority_types_of_the_same_column_name() -> None:
    m = model(
        CUSTOMERS,
        table("orders", col("customer_id", "integer"), col("status", "text")),
        table("invoices", col("customer_id", "bigint"), col("status", "integer")),
        table("tickets", col("customerId", "text")),
        table("report", col("customer_id", "text"), kind="view"),
    )
    assert failing("type-same-name-mismatch", m) == {"public.tickets.customerId"}
    assert applicable("type-same-name-mismatch", m) == {
        "public.orders.customer_id",
        "public.invoices.customer_id",
        "public.tickets.customerId",
    }


def test_a_tie_in_same_name_types_fails_all() -> None:
    m = model(
        CUSTOMERS,
        table("orders", col("customer_id", "integer")),
        table("tickets", col("customer_id", "text")),
    )
    assert failing("type-same-name-mismatch", m) == {
        "public.orders.customer_id",
        "public.tickets.customer_id",
    }


def test_reference_names_that_resolve_to_no_table_are_not_compared() -> None:
    # Synapse: stream_id is a stream position (bigint), and text where it holds a remote
    # server's opaque id; txn_id an appservice counter and a client's string. No table
    # says they mean one thing, and casting the text to bigint would fail on real rows.
    m = model(
        CUSTOMERS,
        table("receipts", col("stream_id", "bigint"), col("customer_id")),
        table("pokes", col("stream_id", "bigint"), col("customer_id")),
        table("remote_extremities", col("stream_id", "text"), col("customer_id", "text")),
        table("appservice_txns", col("txn_id", "bigint")),
        table("event_txns", col("txn_id", "text")),
    )
    assert failing("type-same-name-mismatch", m) == {"public.remote_extremities.customer_id"}


def profile(
    sampled: int = 100, distinct: int = 60, leading_zero: int = 0, **parses: int
) -> ValueProfile:
    return ValueProfile(
        sampled=sampled, distinct=distinct, parses=parses, leading_zero=leading_zero
    )


def sampled(profiles: dict[str, ValueProfile]) -> RuleContext:
    return RuleContext(observations=Observations(columns=profiles))


STRINGS = model(
    table(
        "people",
        col("id", pk=True),
        col("age", "text"),
        col("zip", "character varying(10)"),
        col("active", "text"),
        col("height", "text"),
        col("born", "text"),
        col("seen", "text"),
        col("token", "text"),
        col("prefs", "text"),
        col("account_id", "text"),
        col("nickname", "text"),
        col("few", "text"),
        col("tiny", "text"),
        col("score", "integer"),
    )
)
PROFILES = {
    "public.people.age": profile(int=100, decimal=100, json=100),
    "public.people.zip": profile(int=100, decimal=100, leading_zero=7),
    "public.people.active": profile(distinct=2, bool=100, int=100, decimal=100),
    "public.people.height": profile(decimal=99),
    "public.people.born": profile(date=100, timestamp=100),
    "public.people.seen": profile(timestamp=98),
    "public.people.token": profile(uuid=100),
    "public.people.prefs": profile(json=100),
    "public.people.account_id": profile(int=100, decimal=100),
    "public.people.nickname": profile(int=5),
    "public.people.few": profile(distinct=4, int=100),
    "public.people.tiny": profile(sampled=49, int=49),
}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("int", {"public.people.age", "public.people.account_id"}),
        ("decimal", {"public.people.height"}),
        ("bool", {"public.people.active"}),
        ("date", {"public.people.born"}),
        ("timestamp", {"public.people.seen"}),
        ("uuid", {"public.people.token"}),
        ("json", {"public.people.prefs"}),
    ],
)
def test_flags_strings_that_encode_another_type(kind: str, expected: set[str]) -> None:
    rule = f"type-string-encodes-{kind}"
    assert failing(rule, STRINGS, sampled(PROFILES)) == expected
    assert applicable(rule, STRINGS, sampled(PROFILES)) == set(
        PROFILES
    )  # text columns with a sample


def test_sampling_rules_apply_to_nothing_without_a_sample() -> None:
    assert applicable("type-string-encodes-int", STRINGS) == set()


def test_leading_zero_zip_codes_are_strings_not_ints() -> None:
    for kind in ("int", "decimal"):
        assert "public.people.zip" not in failing(
            f"type-string-encodes-{kind}", STRINGS, sampled(PROFILES)
        )


def test_strings_encoding_a_reference_are_errors() -> None:
    lanes = {
        o.object: o.lane
        for o in outcomes("type-string-encodes-int", STRINGS, sampled(PROFILES))
        if o.failed
    }
    assert lanes == {"public.people.age": None, "public.people.account_id": ESCALATE}


def test_flags_money_in_floats_and_postgres_money() -> None:
    m = model(
        table(
            "orders",
            col("price", "double precision"),
            col("total_amount", "real"),
            col("fee_usd", "float"),
            col("amount_cents", "bigint"),
            col("balance", "money"),
            col("total_count", "double precision"),
            col("discount", "money"),
            col("unit_cost", "numeric(12,2)"),
        )
    )
    assert failing("type-float-money", m) == {
        "public.orders.price",
        "public.orders.total_amount",
        "public.orders.fee_usd",
        "public.orders.balance",
        "public.orders.discount",
    }
    assert "public.orders.total_count" not in applicable("type-float-money", m)
    fix = next(o.fix for o in outcomes("type-float-money", m) if o.object.endswith(".price"))
    assert (
        fix
        == 'ALTER TABLE "orders" ALTER COLUMN "price" TYPE numeric(19,4) USING "price"::numeric(19,4);'
    )


def test_flags_a_default_of_the_string_null() -> None:
    m = model(
        table(
            "orders",
            col("note", "text", default="'null'::text"),
            col("code", "character varying(10)", default="'NULL'::character varying"),
            col("status", "text", default="'new'::text"),
            col("other", "text", default="NULL"),
        )
    )
    assert failing("type-default-null-string", m) == {"public.orders.note", "public.orders.code"}
    mariadb = model(table("orders", col("note", "varchar(10)", default="'null'")), dialect="mysql")
    assert failing("type-default-null-string", mariadb) == {"shop.orders.note"}


def test_reports_references_without_foreign_keys_and_dangling_ids() -> None:
    m = model(
        CUSTOMERS,
        table(
            "orders",
            col("id", pk=True),
            col("customer_id"),
            col("warehouse_id"),
            col("stripe_customer_id", "text"),
        ),
        table("invoices", col("id", pk=True), col("customer_id", fk="customers.id")),
    )
    assert applicable("rel-inferred-fk-undeclared", m) == {
        "public.orders.customer_id",
        "public.invoices.customer_id",
    }
    assert failing("rel-inferred-fk-undeclared", m) == {"public.orders.customer_id"}
    [finding] = [o for o in outcomes("rel-inferred-fk-undeclared", m) if o.failed]
    assert finding.fix == (
        'ALTER TABLE "orders" ADD FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") NOT VALID;'
    )
    assert failing("rel-dangling-id", m) == {"public.orders.warehouse_id"}
    assert applicable("rel-dangling-id", m) == {
        "public.orders.customer_id",
        "public.orders.warehouse_id",
    }


def test_no_foreign_key_fix_while_the_types_differ() -> None:
    m = model(CUSTOMERS, table("orders", col("id", pk=True), col("customer_id", "text")))
    [finding] = [o for o in outcomes("rel-inferred-fk-undeclared", m) if o.failed]
    assert finding.fix is None
    assert "fix type-fk-inferred-mismatch first" in finding.message


def test_homonyms_of_different_concepts_are_not_compared() -> None:
    m = model(
        table("image", col("id", pk=True), col("width"), col("weight", "integer")),
        table("product", col("id", pk=True), col("width", "decimal(20,6)"), col("weight", "text")),
        table("session", col("id", pk=True), col("token", "text")),
        table("api_key", col("id", pk=True), col("token", "bigint")),
    )
    assert applicable("type-same-name-mismatch", m) == set()


def test_numbers_differing_in_width_or_scale_and_zones_are_not_findings() -> None:
    m = model(
        table(
            "orders", col("id", pk=True), col("price", "decimal(10,2)"), col("paid_at", "timestamp")
        ),
        table(
            "lines",
            col("id", pk=True),
            col("price", "decimal(20,6)"),
            col("paid_at", "timestamptz"),
        ),
        table(
            "refunds", col("id", pk=True), col("price", "integer"), col("paid_at", "timestamptz")
        ),
    )
    assert failing("type-same-name-mismatch", m) == set()
    assert len(applicable("type-same-name-mismatch", m)) == 6


def test_a_reference_name_as_text_and_as_integer_is_a_finding_in_plain_english() -> None:
    m = model(
        CUSTOMERS,
        table("orders", col("id", pk=True), col("customer_id")),
        table("invoices", col("id", pk=True), col("customer_id")),
        table("tickets", col("id", pk=True), col("customer_id", "varchar(20)")),
    )
    [finding] = [o for o in outcomes("type-same-name-mismatch", m) if o.failed]
    assert finding.object == "public.tickets.customer_id"
    assert finding.message == (
        "customer_id is varchar(20) here but integer in most tables "
        "(number in 2 tables, text in 1 table)."
    )
