from __future__ import annotations

from scoring.observations import Observations, TableProfile, ValueProfile
from scoring.rules.base import DEMOTE, RuleContext
from tests.builders import applicable, col, failing, model, outcomes, table

AUDIT = (col("created_at", "timestamptz", nullable=False), col("updated_at", "timestamptz"))


def test_flags_moments_typed_as_dates() -> None:
    m = model(
        table(
            "orders",
            col("id", pk=True),
            col("shipped_at", "date"),
            col("paidAt", "date"),
            col("order_date", "date"),
            col("placed_at", "timestamptz"),
        )
    )
    assert applicable("ts-date-typed", m) == {
        "public.orders.shipped_at",
        "public.orders.paidAt",
        "public.orders.placed_at",
    }
    assert failing("ts-date-typed", m) == {"public.orders.shipped_at", "public.orders.paidAt"}


def test_sqlite_date_declarations_are_overruled_by_sampled_times() -> None:
    m = model(table("orders", col("shipped_at", "date"), col("paid_at", "date")), dialect="sqlite")
    assert failing("ts-date-typed", m) == {"main.orders.shipped_at", "main.orders.paid_at"}
    ctx = RuleContext(
        observations=Observations(
            columns={
                "main.orders.shipped_at": ValueProfile(sampled=100, distinct=90, date_only=0),
                "main.orders.paid_at": ValueProfile(sampled=100, distinct=90, date_only=100),
            }
        )
    )
    assert failing("ts-date-typed", m, ctx) == {"main.orders.paid_at"}


def test_flags_moments_stored_as_strings_and_integers() -> None:
    m = model(
        table(
            "events",
            col("happened_at", "character varying(30)"),
            col("event_ts", "bigint"),
            col("timestamp", "integer"),
            col("logged_at", "timestamptz"),
        )
    )
    assert failing("ts-string-typed", m) == {"public.events.happened_at"}
    assert failing("ts-epoch-typed", m) == {"public.events.event_ts", "public.events.timestamp"}
    fix = next(o.fix for o in outcomes("ts-epoch-typed", m) if o.object.endswith("event_ts"))
    assert fix == (
        'ALTER TABLE "events" ALTER COLUMN "event_ts" TYPE timestamptz USING to_timestamp("event_ts");'
    )


def test_flags_timestamps_without_time_zone_on_postgresql() -> None:
    m = model(
        table(
            "orders",
            col("placed_at", "timestamp without time zone"),
            col("paid_at", "timestamptz"),
            col("opens", "timetz"),
            col("closes", "time"),
        )
    )
    assert applicable("ts-without-tz", m) == {
        "public.orders.placed_at",
        "public.orders.paid_at",
        "public.orders.opens",
    }
    assert failing("ts-without-tz", m) == {"public.orders.placed_at", "public.orders.opens"}
    fix = next(o.fix for o in outcomes("ts-without-tz", m) if o.object.endswith("placed_at"))
    assert fix.endswith("""TYPE timestamptz USING "placed_at" AT TIME ZONE 'UTC';""")


def test_mysql_datetime_is_info_only_and_sqlite_is_not_checked() -> None:
    m = model(table("orders", col("placed_at", "datetime")), dialect="mysql")
    [outcome] = outcomes("ts-without-tz", m)
    assert outcome.failed and outcome.lane == DEMOTE
    assert (
        applicable("ts-without-tz", model(table("t", col("at", "datetime")), dialect="sqlite"))
        == set()
    )


def test_flags_tables_without_creation_or_update_timestamps() -> None:
    m = model(
        table("orders", col("id", pk=True), *AUDIT),
        table("customers", col("id", pk=True), col("createdAt", "timestamptz")),
        table("audit_log", col("id", pk=True), col("inserted_at", "timestamptz")),
        table("order_report", col("id"), kind="view"),
    )
    assert failing("ts-created-missing", m) == set()
    assert failing("ts-updated-missing", m) == {"public.customers", "public.audit_log"}
    assert "public.order_report" not in applicable("ts-created-missing", m)
    fix = next(o.fix for o in outcomes("ts-updated-missing", m) if o.object == "public.audit_log")
    assert fix == (
        'ALTER TABLE "audit_log" ADD COLUMN "updated_at" timestamptz;\n'
        'ALTER TABLE "audit_log" ALTER COLUMN "updated_at" SET DEFAULT now();'
    )


def test_append_only_and_ignored_tables_skip_the_audit_rules() -> None:
    m = model(table("audit_log", col("id", pk=True)), table("orders", col("id", pk=True)))
    ctx = RuleContext(
        options={
            "ts-updated-missing": {"append_only": ("audit_*",)},
            "ts-created-missing": {"ignore_tables": ("public.orders",)},
        }
    )
    assert failing("ts-updated-missing", m, ctx) == {"public.orders"}
    assert failing("ts-created-missing", m, ctx) == {"public.audit_log"}


def test_audit_columns_must_be_timestamps_and_created_not_null() -> None:
    m = model(
        table(
            "orders",
            col("created_at", "timestamptz", nullable=True),
            col("updated_at", "date"),
        ),
        table(
            "customers",
            col("created", "timestamp", nullable=False),
            col("modified_at", "timestamptz"),
        ),
    )
    assert failing("ts-audit-shape", m) == {"public.orders.created_at", "public.orders.updated_at"}
    fixes = {o.object: o.fix for o in outcomes("ts-audit-shape", m) if o.failed}
    assert fixes["public.orders.created_at"] == (
        'ALTER TABLE "orders" ALTER COLUMN "created_at" SET NOT NULL;'
    )


def test_mysql_fixes_use_modify_with_the_nullability() -> None:
    m = model(table("orders", col("shipped_at", "date", nullable=False)), dialect="mysql")
    [finding] = outcomes("ts-date-typed", m)
    assert finding.fix == "ALTER TABLE `orders` MODIFY `shipped_at` DATETIME(6) NOT NULL;"


def test_updated_before_created_needs_a_sample() -> None:
    m = model(table("orders", *AUDIT), table("customers", *AUDIT), table("items", *AUDIT))
    assert applicable("ts-updated-before-created", m) == set()
    ctx = RuleContext(
        observations=Observations(
            tables={
                "public.orders": TableProfile(
                    sampled_rows=500, updated_before_created=3, future_timestamps=0
                ),
                "public.customers": TableProfile(
                    sampled_rows=500, updated_before_created=0, future_timestamps=2
                ),
                "public.items": TableProfile(
                    sampled_rows=500, updated_before_created=0, future_timestamps=0
                ),
            }
        )
    )
    assert failing("ts-updated-before-created", m, ctx) == {"public.orders", "public.customers"}
    assert applicable("ts-updated-before-created", m, ctx) == {
        "public.orders",
        "public.customers",
        "public.items",
    }
