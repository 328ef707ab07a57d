"""The change history in a real browser: Changes tab, breaking only, a change's table, Watch."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from catalog.models import Watch
from catalog.snapshots import take_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_filters_breaking_changes_follows_one_and_watches_its_table(
    page, login, member, make_connection, sqlite_target
):
    dsn = sqlite_target(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, shipped_at DATE, total REAL);"
        "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT);"
    )
    connection = make_connection(dsn, sampling_enabled=False)
    assert take_snapshot(connection).succeeded
    sqlite_target(
        "ALTER TABLE orders DROP COLUMN shipped_at;ALTER TABLE products ADD COLUMN price REAL;"
    )
    assert take_snapshot(connection).succeeded
    login("alice", "correct horse battery")
    page.click(".topbar nav >> text=Connections")  # one click from the overview

    page.click("text=shop")
    page.click(".pageactions >> text=Changes")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("main.products.price")
    expect(changes).to_contain_text("main.orders.shipped_at")

    page.check("input[name=breaking]")
    expect(changes).not_to_contain_text("main.products.price")
    expect(changes).to_contain_text("main.orders.shipped_at")
    assert "breaking=on" in page.url  # the filter is in the address, so it can be shared
    if os.environ.get("SCHEMAJOY_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["SCHEMAJOY_SCREENSHOTS"], "changes.png"), full_page=True
        )

    page.click("#changes >> text=main.orders.shipped_at")
    expect(page.locator("h1")).to_contain_text("orders")
    history = page.locator("#table-history")
    expect(history).to_contain_text("main.orders.shipped_at dropped on")
    expect(history).to_contain_text("breaking, not announced")

    page.click("#table-watch >> text=Watch table")
    expect(page.locator("#table-watch")).to_contain_text("Unwatch table")
    assert Watch.objects.filter(user=member, table__name="orders", column=None).count() == 1
    if os.environ.get("SCHEMAJOY_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["SCHEMAJOY_SCREENSHOTS"], "table.png"), full_page=True
        )
