from __future__ import annotations

from dataclasses import replace

from catalog.introspection.model import CheckConstraint
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
            col("sent_ms", "bigint"),
            col("timeout_ms", "bigint"),  # a length of time, not a moment
            col("throttle_ms", "bigint"),  # Synapse's pusher_throttle: a length too
            col("logged_at", "timestamptz"),
        )
    )
    assert failing("ts-string-typed", m) == {"public.events.happened_at"}
    assert failing("ts-epoch-typed", m) == {
        "public.events.event_ts",
        "public.events.timestamp",
        "public.events.sent_ms",
    }
    found = {o.object.rsplit(".", 1)[1]: o for o in outcomes("ts-epoch-typed", m) if o.failed}
    # A 32-bit integer holds seconds; _ms says milliseconds; a bare bigint does not say.
    assert found["timestamp"].fix == (
        'ALTER TABLE "events" ALTER COLUMN "timestamp" TYPE timestamptz '
        'USING to_timestamp("timestamp");'
    )
    assert found["sent_ms"].fix == (
        'ALTER TABLE "events" ALTER COLUMN "sent_ms" TYPE timestamptz '
        'USING to_timestamp("sent_ms" / 1000.0);'
    )
    assert found["event_ts"].fix is None
    assert "unit (seconds or milliseconds) is not in its name" in found["event_ts"].message


def test_moments_in_binary_strings_and_date_names_are_strings_too() -> None:
    m = model(
        table(
            "revision",
            col("rev_id", pk=True),
            col("rev_timestamp", "binary(14)", family="binary"),
            col("rev_touched", "varbinary(14)", family="binary"),
            col("rev_text", "mediumblob", family="binary"),
            col("ts", "char(14)"),
            col("birth_date", "varchar(10)"),
            col("date_format", "varchar(20)"),
            col("date_upd", "int"),
        ),
        dialect="mysql",
    )
    assert failing("ts-string-typed", m) == {
        "shop.revision.rev_timestamp",
        "shop.revision.ts",
        "shop.revision.birth_date",
    }
    assert failing("ts-epoch-typed", m) == {"shop.revision.date_upd"}
    assert failing("ts-date-typed", m) == set()
    [fix] = [o.fix for o in outcomes("ts-string-typed", m) if o.object.endswith("rev_timestamp")]
    assert fix == "ALTER TABLE `revision` MODIFY `rev_timestamp` DATETIME(6) NULL;"


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


def test_the_databases_own_spellings_of_creation_and_update_count() -> None:
    m = model(
        *(
            table(
                f"ps_{n}",
                col(f"id_{n}", pk=True),
                col("date_add", "datetime", nullable=False),
                col("date_upd", "datetime", nullable=False),
            )
            for n in ("customer", "orders", "cart")
        ),
        table("ps_log", col("id_log", pk=True), col("created_at", "datetime")),
        table("ps_hook", col("id_hook", pk=True), col("date_add", "int")),
        table("ps_flag", col("id_flag", pk=True), col("date_upd", "tinyint(1)", family="boolean")),
        dialect="mysql",
    )
    assert failing("ts-created-missing", m) == {"shop.ps_flag"}
    assert failing("ts-updated-missing", m) == {"shop.ps_log", "shop.ps_hook", "shop.ps_flag"}
    fixes = {o.object: o.fix for o in outcomes("ts-updated-missing", m) if o.failed}
    assert fixes["shop.ps_flag"] is None  # its date_upd is a flag: never a second one
    assert fixes["shop.ps_log"].startswith("ALTER TABLE `ps_log` ADD COLUMN `date_upd`")
    assert fixes["shop.ps_hook"].startswith("ALTER TABLE `ps_hook` ADD COLUMN `date_upd`")
    # ps_flag's date_upd is a flag: no creation moment, and nothing would duplicate it.
    [created] = [o for o in outcomes("ts-created-missing", m) if o.failed]
    assert created.fix.startswith("ALTER TABLE `ps_flag` ADD COLUMN `date_add`")
    # A different spelling is name-concept-synonyms' finding, not a missing column.
    assert "shop.ps_log.created_at" in failing("name-concept-synonyms", m)


def test_pagila_last_update_is_an_update_timestamp() -> None:
    m = model(
        table(
            "actor",
            col("actor_id", pk=True),
            col("last_update", "timestamptz", nullable=False, default="now()"),
        )
    )
    assert failing("ts-updated-missing", m) == set()
    assert failing("ts-audit-shape", m) == set()


def test_a_fix_never_adds_a_column_that_exists() -> None:
    m = model(
        table("a", col("id", pk=True), col("created", "timestamptz")),
        table("b", col("id", pk=True), col("created", "timestamptz")),
        table("c", col("id", pk=True), col("created", "boolean")),
    )
    [finding] = [o for o in outcomes("ts-created-missing", m) if o.failed]
    assert finding.object == "public.c" and finding.fix is None


def test_epoch_audit_columns_fail_the_shape_without_a_unit_blind_fix() -> None:
    m = model(table("Posts", col("Id", "varchar(26)", pk=True), col("CreateAt", "bigint")))
    assert failing("ts-created-missing", m) == set()
    [shape] = [o for o in outcomes("ts-audit-shape", m) if o.failed]
    assert shape.fix is None and "ts-epoch-typed" in shape.message


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


def test_no_type_fix_for_a_column_a_check_or_a_view_depends_on() -> None:
    checked = table(
        "posts",
        col("id", pk=True),
        col("post_time", "integer", default="0"),
        col("edit_time", "integer", default="0"),
    )
    checked = replace(checked, checks=(CheckConstraint("posts_check", "(post_time >= 0)"),))
    view = table("recent", col("edit_time", "integer"), kind="view")
    view = replace(view, view_definition="SELECT posts.edit_time FROM posts")
    m = model(checked, view)
    fixes = {o.object: o.fix for o in outcomes("ts-epoch-typed", m) if o.failed}
    assert fixes == {"public.posts.post_time": None, "public.posts.edit_time": None}
    free = model(checked)
    [fix] = [o.fix for o in outcomes("ts-epoch-typed", free) if o.object.endswith("edit_time")]
    # A default of the old type goes first, or the cast fails.
    assert fix == (
        'ALTER TABLE "posts" ALTER COLUMN "edit_time" DROP DEFAULT, ALTER COLUMN "edit_time" '
        'TYPE timestamptz USING to_timestamp("edit_time");'
    )
