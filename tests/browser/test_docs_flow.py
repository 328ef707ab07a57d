"""Documentation in a real browser: edit a column description in place, and meet a conflict."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import htmx_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def orders_page(make_connection, sqlite_target, live_server):
    from catalog.models import Column, Table
    from catalog.snapshots import take_snapshot

    connection = make_connection(
        sqlite_target(
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL, shipped_at DATE);"
        )
    )
    assert take_snapshot(connection).succeeded
    orders = Table.objects.get(connection=connection, name="orders")
    status = Column.objects.get(table=orders, name="status")
    return f"{live_server.url}{orders.get_absolute_url()}", f"#doc-column-{status.pk}", status


def test_member_edits_a_column_description_in_place_and_it_is_kept(
    page, login, member, orders_page
):
    url, cell, status = orders_page
    login("alice", "correct horse battery")
    page.goto(url)

    page.click(f"{cell} >> text=Add a description")
    editor = page.locator(f"{cell} textarea")
    editor.wait_for()
    htmx_settled(page)
    editor.fill("Lifecycle: **paid** or *shipped*")
    # The live preview renders as you type.
    expect(page.locator(f"{cell} .doc-preview strong")).to_have_text("paid")
    url_before = page.url
    page.click(f"{cell} button:has-text('Save')")

    expect(page.locator(f"{cell} > .md strong")).to_have_text("paid")
    expect(page.locator(f"{cell} > .doc-source")).to_have_text("SchemaJoy")
    assert page.url == url_before

    page.reload()
    expect(page.locator(f"{cell} > .md em")).to_have_text("shipped")
    status.refresh_from_db()
    assert status.description == "Lifecycle: **paid** or *shipped*"


def test_two_pages_editing_the_same_description_meet_a_conflict(page, login, member, orders_page):
    url, cell, status = orders_page
    login("alice", "correct horse battery")
    other = page.context.new_page()
    page.goto(url)
    other.goto(url)
    page.click(f"{cell} >> text=Add a description")
    other.click(f"{cell} >> text=Add a description")

    for each in (page, other):
        each.locator(f"{cell} textarea").wait_for()
        htmx_settled(each)
    page.locator(f"{cell} textarea").fill("First version")
    page.click(f"{cell} button:has-text('Save')")
    expect(page.locator(f"{cell} > .md")).to_have_text("First version")

    other.locator(f"{cell} textarea").fill("Second version")
    other.click(f"{cell} button:has-text('Save')")

    alert = other.locator(f"{cell} [role=alert]")
    expect(alert).to_contain_text("alice saved this description")
    expect(alert.locator(".theirs")).to_have_text("First version")
    expect(other.locator(f"{cell} textarea")).to_have_value("Second version")
    status.refresh_from_db()
    assert status.description == "First version"

    # Having seen the other text, saving again replaces it on purpose.
    other.click(f"{cell} button:has-text('Save')")
    expect(other.locator(f"{cell} > .md")).to_have_text("Second version")
    status.refresh_from_db()
    assert (status.description, status.description_version) == ("Second version", 2)
