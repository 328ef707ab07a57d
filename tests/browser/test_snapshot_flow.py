"""The foundation's key flow in a real browser: log in, add a connection, snapshot it, browse."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def target(tmp_path) -> str:
    path = tmp_path / "shop.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),"
        " shipped_at DATE);"
        + "".join(f"CREATE TABLE extra_{i:02d} (id INTEGER PRIMARY KEY);" for i in range(60))
    )
    db.close()
    return f"sqlite:///{path}"


def test_member_adds_a_connection_snapshots_it_and_browses_tables(
    page, login, live_server, member, target
):
    login("alice", "correct horse battery")
    page.click(".topbar nav >> text=Connections")  # one click from the overview

    page.click("text=Add connection")
    page.fill("input[name=name]", "shop")
    page.fill("input[name=dsn]", target)
    page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_have_text("shop")
    expect(page.locator("#tables")).to_contain_text("No snapshot yet")

    url_before = page.url
    page.click("button:has-text('Snapshot now')")
    # The status and the table list update in place: no navigation.
    expect(page.locator("#status")).to_contain_text("OK")
    expect(page.locator("#tables")).to_contain_text("main.customers")
    expect(page.locator("#tables .pager")).to_contain_text("page 1 of 2 (62 tables)")
    assert page.url == url_before

    page.fill("form.filters input[name=q]", "ord")
    expect(page.locator("#tables tbody tr")).to_have_count(1)

    page.click("text=main.orders")
    expect(page.locator("h1")).to_contain_text("orders")
    expect(page.locator("table.grid").first).to_contain_text("shipped_at")
    page.click("text=main.customers")
    expect(page.locator("h1")).to_contain_text("customers")


def test_a_failed_snapshot_shows_its_reason_in_place(
    page, login, member, make_connection, tmp_path
):
    make_connection(f"sqlite:///{tmp_path / 'missing.db'}", name="gone")
    login("alice", "correct horse battery")
    page.click(".topbar nav >> text=Connections")  # one click from the overview

    page.click("text=gone")
    page.click("button:has-text('Snapshot now')")
    expect(page.locator("#status [role=alert]")).to_contain_text("missing.db")
