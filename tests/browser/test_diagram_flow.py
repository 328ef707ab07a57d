"""ERDs in a real browser: a table page draws its neighbourhood; its boxes are links."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog.models import Connection, Table
from catalog.snapshots import take_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    connection = make_connection(
        sqlite_target(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
            "CREATE TABLE orders (id INTEGER PRIMARY KEY,"
            " customer_id INTEGER REFERENCES customers(id), placed_at TIMESTAMP);"
            "CREATE TABLE order_items (id INTEGER PRIMARY KEY,"
            " order_id INTEGER REFERENCES orders(id), quantity INTEGER);"
        )
    )
    assert take_snapshot(connection).succeeded
    return connection


def box(page, table: Table):
    """The link around a table's box in the inline SVG (graphviz writes xlink:href)."""
    return page.locator(f'#neighbourhood svg a[*|href="{table.get_absolute_url()}"]')


def test_a_table_page_draws_its_neighbourhood_and_a_box_leads_to_that_table(
    page, login, live_server, member, shop
):
    tables = {t.name: t for t in Table.objects.filter(connection=shop)}
    login("alice", "correct horse battery")

    page.goto(live_server.url + tables["customers"].get_absolute_url())
    expect(page.locator("#neighbourhood svg.erd")).to_be_visible()
    expect(box(page, tables["orders"])).to_have_count(1)
    expect(box(page, tables["order_items"])).to_have_count(0)

    page.click("#neighbourhood .diagram-tools a:text-is('2')")
    expect(box(page, tables["order_items"])).to_have_count(1)
    assert page.url.endswith(tables["customers"].get_absolute_url())  # swapped in place

    box(page, tables["orders"]).click()
    page.wait_for_url(live_server.url + tables["orders"].get_absolute_url())
    expect(page.locator("h1")).to_contain_text("orders")
    expect(box(page, tables["customers"])).to_have_count(1)
