"""The changes theme from real snapshots: announcements move it, waivers follow renames."""

from __future__ import annotations

import pytest

from catalog import diff
from catalog.changes import announce
from catalog.models import Connection
from catalog.snapshots import take_snapshot
from scoring.models import Finding, Waiver
from scoring.rules.base import CHANGES
from scoring.runs import score_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    dsn = sqlite_target(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, shipped_at DATE, note TEXT, "
        "total REAL NOT NULL);"
    )
    return make_connection(dsn, sampling_enabled=False)


def scored(connection: Connection):
    snapshot = take_snapshot(connection)
    assert snapshot.succeeded, snapshot.error_message
    return score_snapshot(snapshot)


def open_findings(connection: Connection, rule: str) -> set[str]:
    return set(
        Finding.objects.filter(
            connection=connection, rule=rule, resolved_at__isnull=True
        ).values_list("object", flat=True)
    )


def test_the_theme_is_left_out_until_a_breaking_change_and_then_counts(shop, sqlite_target):
    connection = shop
    first = scored(connection)
    assert CHANGES not in first.themes

    sqlite_target("ALTER TABLE orders DROP COLUMN shipped_at;")
    second = scored(connection)

    assert second.themes[CHANGES] == 0.0
    assert open_findings(connection, "chg-unannounced-breaking") == {"main.orders.shipped_at"}


def test_an_announce_before_the_release_makes_the_change_pass(shop, member, sqlite_target):
    connection = shop
    scored(connection)
    announce(
        connection,
        [diff.Change(diff.COLUMN_DROPPED, "main.orders.note", "main.orders", breaking=True)],
        message="We drop orders.note next week",
        author=member,
    )

    sqlite_target("ALTER TABLE orders DROP COLUMN note;")
    score = scored(connection)

    assert open_findings(connection, "chg-unannounced-breaking") == set()
    # Announced minutes ago: short notice (W) fails, the announcement (E) passes.
    assert open_findings(connection, "chg-short-notice") == {"main.orders.note"}
    assert score.themes[CHANGES] == 75.0


def test_waivers_follow_a_probable_rename(shop, member, sqlite_target):
    connection = shop
    scored(connection)
    waiver = Waiver.objects.create(
        connection=connection,
        rule="ts-date-typed",
        pattern="main.orders.shipped_at",
        reason="the warehouse books days",
        created_by=member,
    )

    sqlite_target("ALTER TABLE orders RENAME COLUMN shipped_at TO shipped_on;")
    scored(connection)

    waiver.refresh_from_db()
    assert waiver.pattern == "main.orders.shipped_on"
