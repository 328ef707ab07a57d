from __future__ import annotations

from scoring.observations import Observations, TableProfile
from scoring.rules.base import ESCALATE, RuleContext
from tests.builders import applicable, col, failing, model, outcomes, table

DELETED_AT = col("deleted_at", "timestamptz")
IS_DELETED = col("is_deleted", "boolean", nullable=False)


def test_flags_entity_tables_without_a_soft_delete_marker() -> None:
    m = model(
        table("orders", col("id", pk=True), DELETED_AT),
        table("customers", col("id", pk=True), col("discardedAt", "timestamptz")),
        table("sessions", col("id", pk=True)),
        table(
            "order_tags",
            col("order_id", fk="orders.id"),
            col("tag_id", fk="tags.id"),
            primary_key=("order_id", "tag_id"),
        ),
    )
    assert applicable("sd-marker-missing", m) == {
        "public.orders",
        "public.customers",
        "public.sessions",
    }
    assert failing("sd-marker-missing", m) == {"public.sessions"}
    [finding] = [o for o in outcomes("sd-marker-missing", m) if o.failed]
    assert finding.fix == 'ALTER TABLE "sessions" ADD COLUMN "deleted_at" timestamptz;'


def test_marker_missing_is_info_by_default_and_ignore_tables_skips() -> None:
    from scoring.rules import RULES_BY_ID

    assert RULES_BY_ID["sd-marker-missing"].severity == "I"
    m = model(table("sessions", col("id", pk=True)))
    ctx = RuleContext(options={"sd-marker-missing": {"ignore_tables": ("sessions",)}})
    assert applicable("sd-marker-missing", m, ctx) == set()


def test_flags_markers_of_the_wrong_shape() -> None:
    m = model(
        table("a", col("deleted_at", "timestamptz", nullable=False)),
        table("b", col("deleted_at", "boolean")),
        table("c", col("is_deleted", "boolean", nullable=True)),
        table("d", col("is_deleted", "character(1)", nullable=False)),
        table("e", DELETED_AT),
        table("f", IS_DELETED),
    )
    assert failing("sd-marker-shape", m) == {
        "public.a.deleted_at",
        "public.b.deleted_at",
        "public.c.is_deleted",
        "public.d.is_deleted",
    }
    fixes = {o.object: o.fix for o in outcomes("sd-marker-shape", m) if o.failed}
    assert (
        fixes["public.a.deleted_at"] == 'ALTER TABLE "a" ALTER COLUMN "deleted_at" DROP NOT NULL;'
    )
    assert fixes["public.c.is_deleted"] == 'ALTER TABLE "c" ALTER COLUMN "is_deleted" SET NOT NULL;'


def test_mysql_tinyint1_is_a_boolean_marker_unless_introspection_found_it_a_small_integer() -> None:
    # Introspection labels tinyint(1) boolean, or integer when a default or check is
    # outside 0/1 (catalog.introspection.mysql); the rule follows the label.
    m = model(
        table("a", col("is_deleted", "tinyint(1)", family="boolean", nullable=False)),
        table("b", col("is_deleted", "tinyint(1)", family="integer", nullable=False, default="2")),
        dialect="mysql",
    )
    assert failing("sd-marker-shape", m) == {"shop.b.is_deleted"}


def test_flags_dual_markers_and_escalates_when_a_sample_finds_disagreement() -> None:
    m = model(
        table("orders", DELETED_AT, IS_DELETED),
        table("invoices", DELETED_AT, IS_DELETED),
        table("customers", DELETED_AT),
        table("sessions", col("id", pk=True)),
    )
    assert applicable("sd-dual-markers", m) == {
        "public.orders",
        "public.invoices",
        "public.customers",
    }
    assert failing("sd-dual-markers", m) == {"public.orders", "public.invoices"}
    ctx = RuleContext(
        observations=Observations(
            tables={"public.orders": TableProfile(sampled_rows=200, marker_disagreements=4)}
        )
    )
    lanes = {o.object: o.lane for o in outcomes("sd-dual-markers", m, ctx) if o.failed}
    assert lanes == {"public.orders": ESCALATE, "public.invoices": None}


def test_flags_the_minority_soft_delete_convention() -> None:
    m = model(
        table("a", DELETED_AT),
        table("b", DELETED_AT),
        table("c", col("archived_at", "timestamptz")),
        table("d", IS_DELETED),
        table("e", DELETED_AT, IS_DELETED),
    )
    assert applicable("sd-convention-outlier", m) == {
        "public.a",
        "public.b",
        "public.c",
        "public.d",
    }
    assert failing("sd-convention-outlier", m) == {"public.d"}


def test_a_convention_tie_fails_every_table() -> None:
    m = model(table("a", DELETED_AT), table("b", IS_DELETED))
    assert failing("sd-convention-outlier", m) == {"public.a", "public.b"}
    assert failing("sd-convention-outlier", model(table("a", DELETED_AT))) == set()


def test_flags_hard_deletes_observed_on_soft_delete_tables() -> None:
    m = model(
        table("orders", DELETED_AT),
        table("invoices", DELETED_AT),
        table("customers", DELETED_AT),
        table("sessions", col("id", pk=True)),
    )
    assert applicable("sd-hard-delete-observed", m) == set()
    ctx = RuleContext(
        observations=Observations(
            tables={
                "public.orders": TableProfile(deletes_before=10, deletes_now=25),
                "public.invoices": TableProfile(deletes_before=10, deletes_now=10),
                "public.customers": TableProfile(deletes_before=90, deletes_now=3),  # reset
                "public.sessions": TableProfile(deletes_before=0, deletes_now=500),  # no marker
            }
        )
    )
    assert applicable("sd-hard-delete-observed", m, ctx) == {"public.orders", "public.invoices"}
    assert failing("sd-hard-delete-observed", m, ctx) == {"public.orders"}


def test_flags_cascading_deletes() -> None:
    m = model(
        table("orders", col("id", pk=True)),
        table("lines", col("id", pk=True), col("order_id", fk="orders.id", on_delete="CASCADE")),
        table("notes", col("id", pk=True), col("order_id", fk="orders.id")),
    )
    assert failing("sd-cascade-delete", m) == {"public.lines.order_id"}
    [finding] = [o for o in outcomes("sd-cascade-delete", m) if o.failed]
    assert finding.fix == (
        'ALTER TABLE "lines" DROP CONSTRAINT "lines_order_id_fkey", ADD CONSTRAINT '
        '"lines_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE RESTRICT;'
    )
    mysql = model(*m.tables, dialect="mysql", database="public")
    [finding] = [o for o in outcomes("sd-cascade-delete", mysql) if o.failed]
    assert finding.fix.startswith("ALTER TABLE `lines` DROP FOREIGN KEY `lines_order_id_fkey`;\n")


def test_a_log_of_deletions_has_no_marker_to_shape_or_miss() -> None:
    m = model(
        table(
            "deleted_entity",
            col("gid", "uuid", pk=True),
            col("data", "jsonb", nullable=False),
            col("deleted_at", "timestamptz", nullable=False, default="now()"),
        ),
        table(
            "purchase_archive",
            col("id", pk=True),
            col("archived_at", "timestamptz", nullable=False),
        ),
        table(
            "erasures",
            col("user_id"),
            col("deleted_at", "timestamptz"),
            primary_key=("user_id", "deleted_at"),
        ),
        table("orders", col("id", pk=True), col("deleted_at", "timestamptz", nullable=False)),
    )
    # orders' NOT NULL deleted_at is a broken marker; the three logs' are the event's moment.
    assert failing("sd-marker-shape", m) == {"public.orders.deleted_at"}
    assert applicable("sd-marker-missing", m) == {"public.orders"}


def test_epoch_delete_markers_are_left_to_ts_epoch_typed() -> None:
    m = model(table("Posts", col("Id", "varchar(26)", pk=True), col("DeleteAt", "bigint")))
    assert failing("sd-marker-shape", m) == set()
    assert failing("sd-marker-missing", m) == set()
    assert failing("ts-epoch-typed", m) == {"public.Posts.DeleteAt"}


def test_cascade_messages_read_as_english() -> None:
    m = model(
        table("events", col("id", pk=True)),
        table("tickets", col("id", pk=True), col("event_id", fk="events.id", on_delete="CASCADE")),
    )
    [finding] = [o for o in outcomes("sd-cascade-delete", m) if o.failed]
    assert finding.message.startswith("Deleting an events row silently deletes its tickets rows")
